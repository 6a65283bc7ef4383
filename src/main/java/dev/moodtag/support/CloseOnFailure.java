package dev.moodtag.support;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Releases what a constructor opened when the constructor does not finish: sessions, tokenizers, already-built
 * encoders hold native memory that no finaliser returns. Use as
 * {@code try (CloseOnFailure opened = new CloseOnFailure()) { a = opened.add(...); ...; opened.succeeded(); }}:
 * without {@link #succeeded()} everything added is closed, newest first, and a failure to close is added to the
 * exception that is propagating.
 */
public final class CloseOnFailure implements AutoCloseable {

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private boolean succeeded;

    public <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Construction finished: the resources now belong to the object built. */
    public void succeeded() {
        succeeded = true;
    }

    @Override
    public void close() {
        if (succeeded) return;
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) failure = new IllegalStateException("releasing after a failed construction: " + e.getMessage(), e);
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }
}
