package dev.moodtag.publish;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publish's waits (the sink's Retry-After, a backoff, a turn under the rate), ended early by its stop flag. The
 * first Ctrl-C only raises the flag (a signal handler cannot reach the sending threads' sleeps), and a plain sleep
 * kept the publish going for up to retry-after-max (60 s) after it was told to stop; so the wait looks at the flag
 * every {@link #LOOK_NANOS}. An interrupt ends it at once, as before.
 */
final class Pause {

    static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Pause() {
    }

    /** @return true after waiting {@code nanos}, false as soon as {@code stop} is raised (at once if it already is) */
    static boolean sleep(long nanos, AtomicBoolean stop) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            if (stop.get()) return false;
            TimeUnit.NANOSECONDS.sleep(Math.min(left, LOOK_NANOS));
        }
        return !stop.get();
    }
}
