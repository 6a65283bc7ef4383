package dev.moodtag.encode;

import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.EncoderSpec;

/** One {@code kind} of the pack's {@code vad} entry, like {@link EncoderKind}; registered in {@link EncoderKinds}. */
public record DetectorKind(String name, Class<? extends Record> parameters, Build build) {

    @FunctionalInterface
    public interface Build {
        SpeechActivityDetector create(EncoderSpec spec, OnnxRuntime onnx);
    }

    public SpeechActivityDetector create(EncoderSpec spec, OnnxRuntime onnx) {
        return build.create(spec, onnx);
    }
}
