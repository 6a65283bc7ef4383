package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long one object may take: {@code base + perMediaSecond × media length}, counted from {@link #start}. The media
 * length is what has been decoded so far: the audio's samples, and the video's decoded frames, each counting its
 * frame duration but no less than 1/60 s and no more than 1/5 s. Neither what the container declares nor where its
 * timestamps point counts: a 20 s film declaring 45 days was allowed 22 days at the defaults, and a timestamp jump
 * bought as much.
 * A long recording is not cut short, as its budget grows with every packet decoded. Decoders call {@link #check} for
 * every decoded packet, on every decoding thread, and stop with {@link Kind#LIMIT_EXCEEDED} once it is spent; work
 * that runs between two checks (one frame, one segment's encoders) is not interrupted.
 */
public final class TimeBudget {
    /** No limit (the CLI commands and benchmarks that decode what they are given). */
    public static final TimeBudget UNLIMITED = new TimeBudget(Duration.ofNanos(Long.MAX_VALUE), 0, System.nanoTime());

    /** The least and the most one decoded video frame counts, seconds: a frame rate in a header buys no more. */
    static final double MIN_FRAME_SECONDS = 1 / 60.0, MAX_FRAME_SECONDS = 1 / 5.0;

    private final long baseNanos;
    private final double perMediaSecond;
    private final long startNanos;
    /** The furthest the audio has been decoded, in microseconds (one thread decodes it). */
    private final AtomicLong audioMicros = new AtomicLong();
    /** The video decoded so far, summed over the threads that decode its parts, in microseconds. */
    private final AtomicLong videoMicros = new AtomicLong();

    private TimeBudget(Duration base, double perMediaSecond, long startNanos) {
        this.baseNanos = base.toNanos();
        this.perMediaSecond = perMediaSecond;
        this.startNanos = startNanos;
    }

    /**
     * @param base           time allowed whatever the length (opening, models' first run, a short clip)
     * @param perMediaSecond time allowed per second of media decoded, on top
     */
    public static TimeBudget start(Duration base, double perMediaSecond) {
        if (base.isNegative() || perMediaSecond < 0 || Double.isNaN(perMediaSecond))
            throw new IllegalArgumentException("a time budget needs a base >= 0 and a factor >= 0, not " + base + ", " + perMediaSecond);
        return new TimeBudget(base, perMediaSecond, System.nanoTime());
    }

    public boolean unlimited() {
        return this == UNLIMITED;
    }

    /** The audio has been decoded up to {@code seconds}. */
    public void audioDecoded(double seconds) {
        if (seconds > 0) audioMicros.accumulateAndGet(Math.round(seconds * 1e6), Math::max);
    }

    /** One more video frame was decoded, of a stream at {@code sourceFps} (0 when unknown). */
    public void frameDecoded(double sourceFps) {
        double seconds = sourceFps > 0 ? Math.max(MIN_FRAME_SECONDS, Math.min(MAX_FRAME_SECONDS, 1 / sourceFps)) : MIN_FRAME_SECONDS;
        videoMicros.addAndGet(Math.round(seconds * 1e6));
    }

    /** Seconds of media the budget counts so far. */
    public double mediaSeconds() {
        return Math.max(audioMicros.get(), videoMicros.get()) / 1e6;
    }

    /** Seconds allowed so far (grows as media is decoded). */
    public double allowedSeconds() {
        return baseNanos / 1e9 + perMediaSecond * mediaSeconds();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * @param position where in the media this thread is, for the message
     * @throws MediaException {@link Kind#LIMIT_EXCEEDED} once the time allowed is spent
     */
    public void check(String source, double position) {
        if (unlimited()) return;
        double elapsed = elapsedSeconds();
        double allowed = allowedSeconds();
        if (elapsed > allowed)
            throw new Spent(source, String.format(
                    "the time budget was exceeded: %.1f s spent, %.1f s allowed for %.1f s of media decoded "
                            + "(moodtag.budget.base + moodtag.budget.per-media-second × length); stopped at %.1f s",
                    elapsed, allowed, mediaSeconds(), Math.max(0, position)));
    }

    /** The budget ran out: the object's, unlike the media's own failures ({@link DecodeFailures}). */
    static final class Spent extends MediaException {
        Spent(String source, String reason) {
            super(Kind.LIMIT_EXCEEDED, source, reason);
        }
    }
}
