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
     * Threads inside one operator of one session; 0 lets ONNX Runtime pick (one per physical core). moodtag already
     * runs encoders, frames and requests side by side, so one thread per session keeps the cores busy without
     * oversubscribing them: with the default pack on 2 cores, 1 took an utterance from about 270 to 240 ms end to end
     * (together with one FFmpeg decoding thread). Raise it for a pack whose one large model runs alone for long
     * (the paper's VideoMAE: see bench/README.md).
     */
    @WithDefault("1")
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
