package dev.moodtag.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Threads' CPU clocks driven by hand for {@link CpuAccount}'s tests: a thread not set has run 0 ns, an ended one
 * reads -1 as the JVM's and {@code /proc}'s clocks do.
 */
final class HandThreadClocks implements CpuAccount.ThreadClocks {
    private final Map<Long, Long> jvm = new ConcurrentHashMap<>();
    private final Map<String, Long> codec = new ConcurrentHashMap<>();
    private final Map<String, String> names = new ConcurrentHashMap<>();

    @Override
    public long jvmThread(long id) {
        return jvm.getOrDefault(id, 0L);
    }

    @Override
    public long codecThread(String id) {
        return codec.getOrDefault(id, 0L);
    }

    /** An OS thread not named has ended. */
    @Override
    public String codecThreadName(String id) {
        return names.get(id);
    }

    /** OS thread {@code id} bears {@code name}. */
    HandThreadClocks name(String id, String name) {
        names.put(id, name);
        return this;
    }

    /** JVM thread {@code id} has run {@code nanos} (-1: it has ended). */
    HandThreadClocks jvm(long id, long nanos) {
        jvm.put(id, nanos);
        return this;
    }

    /** The calling thread has run {@code nanos}. */
    HandThreadClocks current(long nanos) {
        return jvm(Thread.currentThread().getId(), nanos);
    }

    /** Codec thread {@code id} has run {@code nanos} (-1: it has ended). */
    HandThreadClocks codec(String id, long nanos) {
        codec.put(id, nanos);
        return this;
    }
}
