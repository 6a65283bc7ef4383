package dev.moodtag.encode;

import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.ModelPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.List;

/**
 * Builds an {@link EmbeddingEngine} for a pack other than the configured one: the benchmarks' precision variants and
 * the trainer's subset of the encoders a manifest needs. The caller owns (and closes) what it builds.
 */
@ApplicationScoped
public class EmbeddingEngines {

    private final Instance<OnnxRuntime> onnx;
    private final List<EncoderFactory> encoderFactories;
    private final List<SpeechActivityDetectorFactory> vadFactories;

    // ONNX Runtime through an Instance: a command that trains on precomputed features never loads it.
    public EmbeddingEngines(Instance<OnnxRuntime> onnx, Instance<EncoderFactory> encoderFactories,
                            Instance<SpeechActivityDetectorFactory> vadFactories) {
        this.onnx = onnx;
        this.encoderFactories = encoderFactories.stream().toList();
        this.vadFactories = vadFactories.stream().toList();
    }

    public EmbeddingEngine build(ModelPack pack, boolean parallel) {
        return new EmbeddingEngine(pack, onnx.get(), encoderFactories, vadFactories, parallel);
    }
}
