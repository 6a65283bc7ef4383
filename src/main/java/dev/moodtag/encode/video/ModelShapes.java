package dev.moodtag.encode.video;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;

import java.util.Map;

/** Declared tensor shapes, read at encoder start so a manifest that does not fit its model fails early and clearly. */
final class ModelShapes {
    private ModelShapes() {
    }

    /** The shape of tensor {@code name} among a session's input or output infos (−1 for symbolic dimensions). */
    static long[] of(Map<String, NodeInfo> infos, String name, EncoderSpec spec) {
        NodeInfo info = infos.get(name);
        if (info == null) throw new ModelPackException("encoder " + spec.id() + ": the model has no tensor '" + name
                + "'; it has " + infos.keySet() + " (map it under 'inputs'/'outputs' in the manifest)");
        return ((TensorInfo) info.getInfo()).getShape();
    }
}
