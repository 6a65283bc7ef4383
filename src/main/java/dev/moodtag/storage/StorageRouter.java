package dev.moodtag.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;

/** Picks the configured store for a reference; references to stores that are not configured are refused. */
@ApplicationScoped
public class StorageRouter {

    private final List<ObjectStorage> stores;

    @Inject
    public StorageRouter(Instance<ObjectStorage> stores) {
        this(stores.stream().toList());
    }

    public StorageRouter(List<ObjectStorage> stores) {
        this.stores = List.copyOf(stores);
    }

    /** The store for this reference, after checking the reference may be reached. */
    public ObjectStorage storeFor(ObjectRef ref) {
        ObjectStorage store = stores.stream().filter(s -> s.scheme() == ref.scheme()).findFirst()
                .orElseThrow(() -> new StorageException(StorageException.Kind.NOT_ALLOWED, "no " + ref.scheme().prefix()
                        + " storage in this build"));
        if (!store.configured())
            throw new StorageException(StorageException.Kind.NOT_ALLOWED, ref.scheme().prefix()
                    + " storage is not configured here (moodtag.storage.*)");
        store.confine(ref);
        return store;
    }

    /** The stores that are configured, for readiness. */
    public List<ObjectStorage> configured() {
        return stores.stream().filter(ObjectStorage::configured).toList();
    }
}
