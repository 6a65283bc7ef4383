package dev.moodtag.storage;

import java.util.Optional;

/**
 * A store that passes every call on to a real one: tests extend it to count or refuse what they watch, and keep the
 * store's own behaviour for the rest.
 */
public abstract class ForwardingStorage implements ObjectStorage {
    protected final ObjectStorage store;

    protected ForwardingStorage(ObjectStorage store) {
        this.store = store;
    }

    @Override
    public ObjectRef.Scheme scheme() {
        return store.scheme();
    }

    @Override
    public boolean configured() {
        return store.configured();
    }

    @Override
    public ObjectRef confine(ObjectRef ref) {
        return store.confine(ref);
    }

    @Override
    public boolean keyStartsWith(ObjectRef ref, String prefix) {
        return store.keyStartsWith(ref, prefix);
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectRef ref) {
        return store.stat(ref);
    }

    @Override
    public <T> T read(ObjectRef ref, ContentReader<T> reader) {
        return store.read(ref, reader);
    }

    @Override
    public <T> T read(ObjectInfo stat, ContentReader<T> reader) {
        return store.read(stat, reader);
    }

    @Override
    public void writeAtomically(ObjectRef ref, byte[] content, String contentType) {
        store.writeAtomically(ref, content, contentType);
    }

    @Override
    public void checkReachable() {
        store.checkReachable();
    }
}
