package dev.moodtag.storage;

import dev.moodtag.support.SettingOutOfRange;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Whether a store can be reached, for the readiness probe. Probes come every few seconds from every kubelet and
 * load balancer; each asking the store itself, with no bound, let a frozen S3 endpoint hold the probe (and a
 * worker thread) for minutes. Here an answer is reused for {@code moodtag.storage.reachability.cache-ttl}, at most
 * one check per store runs at a time, and a probe waits for it at most {@code moodtag.storage.reachability.timeout}.
 */
@ApplicationScoped
public class StorageReachability {

    /** @param detail {@code reachable}, or why not */
    public record Answer(boolean reachable, String detail) {
    }

    private static final class Entry {
        Answer answer;
        long answeredAt;
        CompletableFuture<Answer> inFlight;
    }

    private final Duration timeout;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<ObjectStorage, Entry> entries = new ConcurrentHashMap<>();
    private final ExecutorService checks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "moodtag-storage-reachability");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public StorageReachability(StorageConfig config) {
        this(config.reachability().timeout(), config.reachability().cacheTtl(), System::nanoTime);
    }

    /**
     * At start, before the first probe builds this bean: a timeout that is not positive answered every probe before
     * the store could ("no answer within 0 ms"), so with probes as far apart as the TTL the function was never ready,
     * and the most negative one threw in every probe; a negative TTL silently meant PT0S.
     *
     * @throws SettingOutOfRange naming each setting out of its range
     */
    public static void checkSettings(StorageConfig config) {
        checkSettings(config.reachability().timeout(), config.reachability().cacheTtl());
    }

    private static void checkSettings(Duration timeout, Duration cacheTtl) {
        List<String> wrong = new ArrayList<>();
        if (timeout.isNegative() || timeout.isZero()) wrong.add("timeout must be positive, not " + timeout);
        if (cacheTtl.isNegative())
            wrong.add("cache-ttl must not be negative (PT0S: ask at every probe), not " + cacheTtl);
        if (!wrong.isEmpty())
            throw new SettingOutOfRange(String.join("; ",
                    wrong.stream().map(w -> "moodtag.storage.reachability." + w).toList()));
    }

    public StorageReachability(Duration timeout, Duration cacheTtl, LongSupplier nanoClock) {
        checkSettings(timeout, cacheTtl);
        this.timeout = timeout;
        this.ttlNanos = nanos(cacheTtl);
        this.nanoClock = nanoClock;
    }

    /**
     * A duration in nanoseconds, one longer than a long counts (about 292 years) as the longest there is: converted
     * as it was, the TTL threw ArithmeticException at start-up and the timeout in every readiness probe.
     */
    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException longerThanALongCounts) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** The store's reachability as of at most the cache TTL ago, waiting at most the timeout for a fresh answer. */
    public Answer check(ObjectStorage store) {
        Entry e = entries.computeIfAbsent(store, s -> new Entry());
        CompletableFuture<Answer> pending;
        synchronized (e) {
            if (e.answer != null && nanoClock.getAsLong() - e.answeredAt < ttlNanos) return e.answer;
            if (e.inFlight == null) {
                // recorded before the future completes (a callback could run after the caller has moved on): the
                // worker's lock waits for this block, so inFlight is set before it is cleared
                e.inFlight = CompletableFuture.supplyAsync(() -> {
                    Answer a = ask(store);
                    synchronized (e) {
                        e.answer = a;
                        e.answeredAt = nanoClock.getAsLong();
                        e.inFlight = null;
                    }
                    return a;
                }, checks);
            }
            pending = e.inFlight != null ? e.inFlight : CompletableFuture.completedFuture(e.answer);
        }
        try {
            return pending.get(nanos(timeout), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            return new Answer(false, "no answer within " + timeout.toMillis()
                    + " ms (moodtag.storage.reachability.timeout); still checking");
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return new Answer(false, "interrupted while checking");
        } catch (ExecutionException never) {
            return new Answer(false, String.valueOf(never.getCause()));
        }
    }

    private static Answer ask(ObjectStorage store) {
        try {
            store.checkReachable();
            return new Answer(true, "reachable");
        } catch (RuntimeException e) {
            return new Answer(false, e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        checks.shutdownNow();
    }
}
