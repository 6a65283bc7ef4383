package dev.moodtag.transcribe;

/** The recogniser cannot be loaded or cannot run: a permanent problem of the installation, never of one input. */
public class TranscriberException extends RuntimeException {
    public TranscriberException(String message) {
        super(message);
    }

    public TranscriberException(String message, Throwable cause) {
        super(message, cause);
    }
}
