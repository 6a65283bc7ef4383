package dev.moodtag.support;

import java.io.InterruptedIOException;

/**
 * Work stopped before it finished because the process is shutting down or its thread was interrupted, not because of
 * its input: a transient failure, answered as retryable with no result written (an error result would make every
 * redelivery of the event skip the object for good).
 */
public class Stopped extends RuntimeException {

    public Stopped(String message) {
        super(message);
    }

    public Stopped(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e} or one of its causes says the work was stopped from outside: this class or an interruption. */
    public static boolean explains(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 32; t = t.getCause(), depth++) {
            // ClosedByInterruptException is an IOException, not an InterruptedIOException
            if (t instanceof Stopped || t instanceof InterruptedException || t instanceof InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) return true;
        }
        return false;
    }
}
