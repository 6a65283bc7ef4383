package dev.moodtag.function;

/** An event this function cannot understand: malformed, or of a type it does not handle. Retrying will not help. */
public class EventException extends RuntimeException {
    public EventException(String message) {
        super(message);
    }
}
