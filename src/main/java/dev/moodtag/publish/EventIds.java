package dev.moodtag.publish;

import dev.moodtag.support.Sha256;

/**
 * CloudEvent ids of the fan-out: one per object and model pack, so a redelivered or re-published event is
 * recognisably the same one (the function records it as the result's {@code requestId}), and a new pack, whose
 * results are new work, makes new ids.
 */
public final class EventIds {
    private EventIds() {
    }

    /** {@code moodtag-} and the SHA-256 of the object URI and the pack identity, 64 hex digits. */
    public static String of(String objectUri, String packIdentity) {
        return "moodtag-" + Sha256.of(objectUri + "\n" + packIdentity);
    }
}
