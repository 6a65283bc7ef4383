package dev.moodtag.batch;

import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A batch folder's store in which the links to regular files found when the folder was listed are read where they
 * led then: a link in the folder to a recording elsewhere is tagged under the link's own name. Everything else is the
 * folder's store: a result (and anything written) goes into the folder under its own name, a link planted there
 * replaced rather than written through ({@link LocalObjectStorage#writeAtomically}), and no other link is followed.
 * A target is reached through a store rooted at its real folder, so a target changed into a link since it was listed
 * is refused, not followed on.
 */
final class LinkedFiles implements ObjectStorage {

    /** Where a link led when the folder was listed: its real location, reached through a store rooted at its folder. */
    private record Target(LocalObjectStorage store, ObjectRef ref) {
        static Target of(Path real) {
            LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(real.getParent());
            return new Target(store, store.refFor(real));
        }
    }

    private final LocalObjectStorage folder;
    private final Map<ObjectRef, Target> links;

    /** @param links each link's reference in {@code folder} → the real path it led to */
    LinkedFiles(LocalObjectStorage folder, Map<ObjectRef, Path> links) {
        this.folder = folder;
        this.links = Map.copyOf(links.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> Target.of(e.getValue()))));
    }

    @Override
    public ObjectRef.Scheme scheme() {
        return folder.scheme();
    }

    @Override
    public boolean configured() {
        return folder.configured();
    }

    @Override
    public ObjectRef confine(ObjectRef ref) {
        Target t = links.get(ref);
        if (t == null) return folder.confine(ref);
        t.store().confine(t.ref());
        return ref;
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectRef ref) {
        Target t = links.get(ref);
        if (t == null) return folder.stat(ref);
        return t.store().stat(t.ref()).map(i -> new ObjectInfo(ref, i.size(), i.etag(), i.lastModified(), i.contentType(), i.entityTag(), i.fileVersion(), i.checkedAt()));
    }

    @Override
    public <T> T read(ObjectRef ref, ContentReader<T> reader) {
        Target t = links.get(ref);
        return t == null ? folder.read(ref, reader) : t.store().read(t.ref(), reader);
    }

    @Override
    public void writeAtomically(ObjectRef ref, byte[] content, String contentType) {
        folder.writeAtomically(ref, content, contentType);
    }

    @Override
    public void writeAtomically(ObjectRef ref, java.nio.file.Path content, String contentType) {
        folder.writeAtomically(ref, content, contentType);
    }

    @Override
    public void checkReachable() {
        folder.checkReachable();
    }

    /** A link's key is its name in the folder, as the folder's file system spells it, wherever it leads. */
    @Override
    public boolean keyStartsWith(ObjectRef ref, String prefix) {
        return folder.keyStartsWith(ref, prefix);
    }
}
