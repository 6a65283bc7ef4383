package dev.moodtag.batch;

import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.tagging.ResultRules;

/**
 * One object of an archive to tag, and the store that reaches it.
 *
 * @param named whether the user named it (a file, a manifest row) rather than a folder or prefix holding it: a named
 *              object is tried whatever its bytes ({@link ResultRules#found})
 */
public record BatchItem(ObjectRef ref, ObjectStorage store, boolean named) {

    /** An object a folder walk or a prefix listing found. */
    public BatchItem(ObjectRef ref, ObjectStorage store) {
        this(ref, store, false);
    }

    /** How the tagger treats it. */
    public ResultRules rules() {
        return named ? ResultRules.BATCH_NAMED : ResultRules.BATCH;
    }
}
