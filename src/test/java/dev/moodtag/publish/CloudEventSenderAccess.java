package dev.moodtag.publish;

/** Test access to {@link CloudEventSender}'s header encoding from other packages. */
public final class CloudEventSenderAccess {
    private CloudEventSenderAccess() {
    }

    public static String header(String value) {
        return CloudEventSender.asciiHeaderValue(value);
    }
}
