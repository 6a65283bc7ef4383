package dev.moodtag.publish;

import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.support.Sha256;

/**
 * CloudEvent ids of the fan-out: one per object version and model pack, so a redelivered or re-published event is
 * recognisably the same one (the function records it as the result's {@code requestId}), while a new pack, or an
 * object replaced since, is new work with a new id. Before the version counted, an object replaced after its event
 * was acknowledged was never sent again: its id was still in the publish log as acknowledged.
 */
public final class EventIds {
    private EventIds() {
    }

    /** {@code moodtag-} and the SHA-256 of the object URI, its version and the pack identity, 64 hex digits. */
    public static String of(String objectUri, String version, String packIdentity) {
        return "moodtag-" + Sha256.of(objectUri + "\n" + version + "\n" + packIdentity);
    }

    /**
     * An object's version as its store tells it apart: the ETag where there is one, else size and modification time,
     * and a local file's version where the file system gives one (other bytes of the same size with the time set back).
     */
    public static String version(ObjectInfo info) {
        return info.etag().map(e -> "etag " + e).orElseGet(() -> "size " + info.size() + " modified "
                + info.lastModified().map(Object::toString).orElse("unknown")
                + info.fileVersion().map(v -> " file " + v).orElse(""));
    }
}
