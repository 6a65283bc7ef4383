package dev.moodtag.tagging;

import dev.moodtag.storage.StorageException;

import java.util.function.Supplier;

/**
 * The answer to a storage problem that retrying cannot fix. Such an event is acknowledged with an outcome that says
 * why, never answered 503: a platform would redeliver it for ever. Transient problems are not answered here; they
 * become {@link RetryableException}.
 */
final class StorageOutcomes {
    private StorageOutcomes() {
    }

    /** What {@code work} answers, or the outcome of a permanent storage problem it met; transient ones propagate. */
    static ObjectOutcome unlessTransient(String shown, Supplier<ObjectOutcome> work) {
        try {
            return work.get();
        } catch (StorageException e) {
            if (e.kind().isTransient()) throw e;
            return permanent(e, shown);
        }
    }

    static ObjectOutcome permanent(StorageException e, String shown) {
        return ObjectOutcome.of(switch (e.kind()) {
            case NOT_ALLOWED -> ObjectOutcome.REJECTED;  // not configured, escaping its root, a link leading out
            case TOO_LARGE -> ObjectOutcome.IGNORED;     // over moodtag.function.filter.max-object-bytes
            case NOT_FOUND, FAILED -> ObjectOutcome.FAILED;
            case UNAVAILABLE -> throw new IllegalArgumentException("transient, retry instead: " + e.getMessage(), e);
        }, shown, e.getMessage());
    }
}
