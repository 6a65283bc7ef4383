package dev.moodtag.tagging;

/** A failure that may pass (storage unreachable): answered with HTTP 503 and Retry-After so the platform retries. */
public class RetryableException extends RuntimeException {
    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
