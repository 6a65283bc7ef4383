package dev.moodtag.encode;

import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.EncoderSpec;

/** Builds the pack's voice-activity detector for one manifest {@code kind}; implementations are CDI beans. */
public interface SpeechActivityDetectorFactory {

    String kind();

    SpeechActivityDetector create(EncoderSpec spec, OnnxRuntime onnx);
}
