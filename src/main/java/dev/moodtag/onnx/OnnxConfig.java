package dev.moodtag.onnx;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How ONNX Runtime sessions are created. */
@ConfigMapping(prefix = "moodtag.onnx")
public interface OnnxConfig {

    enum Device { AUTO, CPU, CUDA }

    /** How cuDNN picks a convolution algorithm for each new input shape (ONNX Runtime's cudnn_conv_algo_search). */
    enum ConvAlgoSearch { HEURISTIC, EXHAUSTIVE, DEFAULT }

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
     * {@code heuristic} (cuDNN's tables, no timing), {@code exhaustive} (time every candidate: ONNX Runtime's own
     * default) or {@code default} (one fixed algorithm). Exhaustive search picks by timing, so under load two
     * processes, or one process before and after a busy moment, can pick different algorithms and the same file
     * embeds to different last bits; heuristic picks the same algorithm every time on the same GPU and cuDNN.
     */
    @WithDefault("heuristic")
    ConvAlgoSearch cudaConvAlgoSearch();

    /**
     * ONNX Runtime's deterministic compute: where a kernel has a faster non-deterministic variant (atomic
     * accumulation on CUDA), use the deterministic one, so the same file gives the same vectors whatever the load.
     */
    @WithDefault("true")
    boolean deterministicCompute();

    /**
     * Threads inside one operator of one session; 0 lets ONNX Runtime pick (one per physical core). moodtag already
     * runs encoders, frames and requests side by side, so one thread per session keeps the cores busy without
     * oversubscribing them: with the default pack on 2 cores, 1 took an utterance from about 270 to 240 ms end to end
     * (together with one FFmpeg decoding thread). Raise it for a pack whose one large model runs alone for long
     * (the paper's VideoMAE: see bench/README.md). The value can change a vector's last bits (a split reduction sums in
     * another order), so machines whose vectors are compared need the same value; 0 means one per core, which differs.
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
