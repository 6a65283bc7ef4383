package dev.moodtag.encode;

import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.EncoderSpec;

/**
 * Builds the voice-activity detector for the pack's {@code vad} entry of one {@link #kind()}. Like
 * {@link EncoderFactory}, implementations are CDI beans found through {@code Instance<...>}.
 */
public interface SpeechActivityDetectorFactory {

    /** The manifest's {@code kind} this factory serves, e.g. {@code silero-vad}. */
    String kind();

    SpeechActivityDetector create(EncoderSpec spec, OnnxRuntime onnx);
}
