package dev.moodtag.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The folders a {@link LocalObjectStorage#checkWritable} probe found writable, taken to stay so for a short time: the
 * function on a local root probed (created and removed a file) for every event, so a busy inbox had a file made and
 * removed in it per object. Only a yes is kept, and only for {@link #FOR}: a folder that turns unwritable is found by
 * the next probe after that, and before it by the write itself, which fails as it did and forgets the folder
 * ({@link #forget}), so that the next object asks again.
 */
final class WritableFolders {

    /** How long a folder found writable is taken to be so without asking again. */
    static final Duration FOR = Duration.ofSeconds(1);
    /** More folders than this at once (a walk over a wide tree) start the list again rather than grow it. */
    static final int MAX_FOLDERS = 4096;

    private final ConcurrentHashMap<Path, Long> until = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    WritableFolders() {
        this(System::nanoTime);
    }

    WritableFolders(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether {@code folder} was found writable less than {@link #FOR} ago and no write there has failed since. */
    boolean known(Path folder) {
        Long deadline = until.get(folder);
        if (deadline == null) return false;
        if (nanoClock.getAsLong() - deadline < 0) return true;
        until.remove(folder, deadline);
        return false;
    }

    /** {@code folder} was just found writable. */
    void found(Path folder) {
        if (until.size() >= MAX_FOLDERS) until.clear();
        until.put(folder, nanoClock.getAsLong() + FOR.toNanos());
    }

    /** A write into {@code folder} failed: the next question about it probes again. */
    void forget(Path folder) {
        until.remove(folder);
    }
}
