package dev.moodtag.pack;

/** The model pack cannot be used: the message says which file or field is wrong and how to fix it. */
public class ModelPackException extends RuntimeException {
    public ModelPackException(String message) {
        super(message);
    }

    public ModelPackException(String message, Throwable cause) {
        super(message, cause);
    }
}
