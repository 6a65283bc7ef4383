package dev.moodtag.batch;

import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;

/** One object of an archive to tag, and the store that reaches it. */
public record BatchItem(ObjectRef ref, ObjectStorage store) {
}
