package dev.moodtag.encode;

import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.ModelPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;


/**
 * Builds an {@link EmbeddingEngine} for a pack other than the configured one: the benchmarks' precision variants and
 * the trainer's subset of the encoders a manifest needs. The caller owns (and closes) what it builds.
 */
@ApplicationScoped
public class EmbeddingEngines {

    private final Instance<OnnxRuntime> onnx;
    private final EncoderKinds kinds;

    // ONNX Runtime through an Instance: a command that trains on precomputed features never loads it.
    public EmbeddingEngines(Instance<OnnxRuntime> onnx, EncoderKinds kinds) {
        this.onnx = onnx;
        this.kinds = kinds;
    }

    public EmbeddingEngine build(ModelPack pack, boolean parallel) {
        return new EmbeddingEngine(pack, onnx.get(), kinds, parallel);
    }
}
