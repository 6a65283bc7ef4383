package dev.moodtag.encode;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the encode stage runs the pack's encoders. */
@ConfigMapping(prefix = "moodtag.engine")
public interface EngineConfig {

    /**
     * Run the encoders of one utterance concurrently. ONNX Runtime does not keep two cores busy on small models,
     * so overlapping text, speech and video shortens an utterance's latency even on a 2-core box.
     */
    @WithDefault("true")
    boolean parallelEncoders();
}
