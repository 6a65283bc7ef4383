package dev.moodtag.publish;

import java.util.concurrent.TimeUnit;

/** At most {@code perSecond} starts per second, evenly spaced (no bursts), shared by every sending thread. */
final class RateLimit {

    private final long intervalNanos;
    private long next = System.nanoTime();

    RateLimit(double perSecond) {
        if (!(perSecond > 0)) throw new IllegalArgumentException("rate must be above 0 events/s, got " + perSecond);
        intervalNanos = (long) (1e9 / perSecond);
    }

    /** Blocks until this caller's turn. */
    void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long at = Math.max(now, next);
            next = at + intervalNanos;
            wait = at - now;
        }
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }
}
