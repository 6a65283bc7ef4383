package dev.moodtag.support;

/**
 * A setting whose value lies outside what it allows, found when the bean that uses it is built at start-up. Its own
 * type so that a command refuses to start with its one-line message (exit code 1, as a pack that does not load),
 * where another {@link IllegalArgumentException} is a refused input; an {@code IllegalArgumentException} still, for
 * callers that build the bean from their own settings.
 */
public class SettingOutOfRange extends IllegalArgumentException {

    public SettingOutOfRange(String message) {
        super(message);
    }

    public SettingOutOfRange(String message, Throwable cause) {
        super(message, cause);
    }
}
