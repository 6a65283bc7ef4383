package dev.moodtag.onnx;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How ONNX Runtime sessions are created. */
@ConfigMapping(prefix = "moodtag.onnx")
public interface OnnxConfig {

    enum Device { AUTO, CPU, CUDA }

    /**
     * {@code cpu}, {@code cuda} (fail if CUDA cannot start) or {@code auto} (try CUDA, fall back to CPU
     * and record why).
     */
    @WithDefault("auto")
    Device device();

    /** CUDA device ordinal used when the CUDA provider is tried. */
    @WithDefault("0")
    int cudaDeviceId();

    /**
     * Threads inside one operator. 0 lets ONNX Runtime pick (one per physical core). On small boxes that
     * also run several sessions concurrently, 1 avoids oversubscription.
     */
    @WithDefault("0")
    int intraOpThreads();

    /** Graph optimisation: {@code none}, {@code basic}, {@code extended} or {@code all}. */
    @WithDefault("all")
    String optimizationLevel();

    /**
     * Whether ONNX Runtime's intra-op threads spin-wait for work between operators. Spinning shaves microseconds off
     * one model on idle cores, but the encoders of an utterance run concurrently, and on a small box spinning
     * threads burn the cores the other encoders (and FFmpeg) need; see bench/README.md for the measurement.
     */
    @WithDefault("false")
    boolean spinWait();

    /** The CPU memory arena speeds repeated runs of same-shaped inputs at the cost of resident memory. */
    @WithDefault("true")
    boolean cpuArena();
}
