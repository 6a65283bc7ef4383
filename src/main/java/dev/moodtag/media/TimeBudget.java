package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long one object may take: {@code base + perMediaSecond × media length}, counted from {@link #start}. The media
 * length is the larger of what the container declares and what has been decoded so far, so a container that lies
 * about its length neither cuts a long recording short nor buys a slow one unlimited time. Decoders call
 * {@link #check} for every decoded packet, on every decoding thread, and stop with {@link Kind#LIMIT_EXCEEDED} once
 * it is spent; work that runs between two checks (one frame, one segment's encoders) is not interrupted.
 */
public final class TimeBudget {
    /** No limit (the CLI commands and benchmarks that decode what they are given). */
    public static final TimeBudget UNLIMITED = new TimeBudget(Duration.ofNanos(Long.MAX_VALUE), 0, 0, System.nanoTime());

    private final long baseNanos;
    private final double perMediaSecond;
    private final long startNanos;
    /** The longest media position any decoding thread has reached, in microseconds. */
    private final AtomicLong mediaMicros = new AtomicLong();

    private TimeBudget(Duration base, double perMediaSecond, double declaredSeconds, long startNanos) {
        this.baseNanos = base.toNanos();
        this.perMediaSecond = perMediaSecond;
        this.startNanos = startNanos;
        this.mediaMicros.set(Math.max(0, Math.round(declaredSeconds * 1e6)));
    }

    /**
     * @param base           time allowed whatever the length (opening, models' first run, a short clip)
     * @param perMediaSecond time allowed per second of media, on top
     */
    public static TimeBudget start(Duration base, double perMediaSecond, double declaredSeconds) {
        if (base.isNegative() || perMediaSecond < 0 || Double.isNaN(perMediaSecond))
            throw new IllegalArgumentException("a time budget needs a base >= 0 and a factor >= 0, not " + base + ", " + perMediaSecond);
        return new TimeBudget(base, perMediaSecond, Double.isFinite(declaredSeconds) ? declaredSeconds : 0, System.nanoTime());
    }

    public boolean unlimited() {
        return this == UNLIMITED;
    }

    /** Seconds allowed so far (grows as longer media is decoded). */
    public double allowedSeconds() {
        return baseNanos / 1e9 + perMediaSecond * mediaMicros.get() / 1e6;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * @param mediaSeconds how far into the media this thread has decoded
     * @throws MediaException {@link Kind#LIMIT_EXCEEDED} once the time allowed is spent
     */
    public void check(String source, double mediaSeconds) {
        if (unlimited()) return;
        if (mediaSeconds > 0) mediaMicros.accumulateAndGet(Math.round(mediaSeconds * 1e6), Math::max);
        double elapsed = elapsedSeconds();
        double allowed = allowedSeconds();
        if (elapsed > allowed)
            throw new MediaException(Kind.LIMIT_EXCEEDED, source, String.format(
                    "the time budget was exceeded: %.1f s spent, %.1f s allowed for %.1f s of media "
                            + "(moodtag.budget.base + moodtag.budget.per-media-second × length); stopped at %.1f s",
                    elapsed, allowed, mediaMicros.get() / 1e6, Math.max(0, mediaSeconds)));
    }
}
