package dev.moodtag.publish;

import java.util.concurrent.atomic.AtomicBoolean;

/** At most {@code perSecond} starts per second, evenly spaced (no bursts), shared by every sending thread. */
final class RateLimit {

    private final long intervalNanos;
    private long next = System.nanoTime();

    RateLimit(double perSecond) {
        if (!(perSecond > 0)) throw new IllegalArgumentException("rate must be above 0 events/s, got " + perSecond);
        intervalNanos = (long) (1e9 / perSecond);
    }

    /**
     * Blocks until this caller's turn; under a low --rate with many events in flight that can be minutes away.
     *
     * @return false when {@code stop} was raised first: the caller sends nothing (its turn is not given back)
     */
    boolean acquire(AtomicBoolean stop) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long at = Math.max(now, next);
            next = at + intervalNanos;
            wait = at - now;
        }
        return Pause.sleep(wait, stop);
    }
}
