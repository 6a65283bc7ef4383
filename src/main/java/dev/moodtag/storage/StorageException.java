package dev.moodtag.storage;

/**
 * A storage operation that failed. {@link Kind#UNAVAILABLE} is the only transient kind: the caller should retry
 * later; every other kind is a property of the request and retrying it changes nothing.
 */
public class StorageException extends RuntimeException {

    public enum Kind {
        /** The object (or its bucket/folder) does not exist. */
        NOT_FOUND(false),
        /** Larger than the configured limit; nothing was kept. */
        TOO_LARGE(false),
        /** Not a configured bucket, endpoint or root folder, or a key escaping its root. */
        NOT_ALLOWED(false),
        /** The store refused or failed for a reason that may pass: unreachable, throttled, 5xx. */
        UNAVAILABLE(true),
        /** The store answered, but with something this function cannot use. */
        FAILED(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        public boolean isTransient() {
            return transientFailure;
        }
    }

    private final Kind kind;

    public StorageException(Kind kind, String message) {
        this(kind, message, null);
    }

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
