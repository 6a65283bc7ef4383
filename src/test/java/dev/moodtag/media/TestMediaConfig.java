package dev.moodtag.media;

import java.time.Duration;

/** {@link MediaConfig} for plain JUnit tests: the documented defaults, each replaceable. */
public record TestMediaConfig(double videoFps, int maxFrames, int maxFrameSide, int maxSourceSide, Duration maxDuration,
                              long maxFileBytes, boolean skipBidirectionalFrames, boolean parallelDecoding)
        implements MediaConfig {

    public static TestMediaConfig defaults() {
        return new TestMediaConfig(5, 64, 640, 7680, Duration.ofMinutes(10), 2_147_483_648L, true, true);
    }

    public TestMediaConfig withMaxFrameSide(int side) {
        return new TestMediaConfig(videoFps, maxFrames, side, maxSourceSide, maxDuration, maxFileBytes, skipBidirectionalFrames, parallelDecoding);
    }

    TestMediaConfig withMaxSourceSide(int side) {
        return new TestMediaConfig(videoFps, maxFrames, maxFrameSide, side, maxDuration, maxFileBytes, skipBidirectionalFrames, parallelDecoding);
    }

    TestMediaConfig withMaxDuration(Duration d) {
        return new TestMediaConfig(videoFps, maxFrames, maxFrameSide, maxSourceSide, d, maxFileBytes, skipBidirectionalFrames, parallelDecoding);
    }

    TestMediaConfig withMaxFileBytes(long bytes) {
        return new TestMediaConfig(videoFps, maxFrames, maxFrameSide, maxSourceSide, maxDuration, bytes, skipBidirectionalFrames, parallelDecoding);
    }

    TestMediaConfig withSkipBidirectionalFrames(boolean skip) {
        return new TestMediaConfig(videoFps, maxFrames, maxFrameSide, maxSourceSide, maxDuration, maxFileBytes, skip, parallelDecoding);
    }

    public TestMediaConfig withParallelDecoding(boolean alongside) {
        return new TestMediaConfig(videoFps, maxFrames, maxFrameSide, maxSourceSide, maxDuration, maxFileBytes,
                skipBidirectionalFrames, alongside);
    }

    TestMediaConfig withMaxFrames(int frames) {
        return new TestMediaConfig(videoFps, frames, maxFrameSide, maxSourceSide, maxDuration, maxFileBytes, skipBidirectionalFrames, parallelDecoding);
    }
}
