package dev.moodtag.publish;

import java.util.concurrent.atomic.AtomicBoolean;

/** At most {@code perSecond} starts per second, evenly spaced (no bursts), shared by every sending thread. */
final class RateLimit {

    private final long intervalNanos;
    private long next = System.nanoTime();

    RateLimit(double perSecond) {
        if (!(perSecond > 0)) throw new IllegalArgumentException("rate must be above 0 events/s, not " + perSecond);
        intervalNanos = (long) (1e9 / perSecond);
    }

    /**
     * Blocks until this caller's turn; under a low --rate with many events in flight that can be minutes away.
     *
     * @return false when {@code stop} was raised first: the caller sends nothing (its turn is not given back)
     */
    boolean acquire(AtomicBoolean stop) throws InterruptedException {
        return Pause.sleep(turn(), stop);
    }

    /**
     * Takes the next turn: how long until it, in nanoseconds. Counted as differences from now and capped at the longest
     * wait a long holds: at a rate so low that the turns queued pass it (--rate 1e-10 at once), {@code next} wrapped
     * to a time in the past and the events after it went at once, unspaced.
     */
    synchronized long turn() {
        long now = System.nanoTime();
        long wait = Math.max(0, next - now);
        long after = wait > Long.MAX_VALUE - intervalNanos ? Long.MAX_VALUE : wait + intervalNanos;
        next = now + after;
        return wait;
    }
}
