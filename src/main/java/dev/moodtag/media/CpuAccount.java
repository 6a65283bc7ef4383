package dev.moodtag.media;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The CPU time one object's work used, which a machine loaded far beyond its cores inflates far less than wall-clock
 * time: what tells a starved object from an expensive one ({@link TimeBudget}). Counted on the JVM's threads: the
 * thread that tags the object and decodes it, the threads decoding a film's other parts, and the encoder tasks run for
 * it on the engine's threads (ONNX Runtime runs an operator on the calling thread at the default of one intra-op
 * thread). The JVM cannot see FFmpeg's own codec threads (which decode a film while its decoding thread waits: a 20 s
 * 640x480 film decoded in 0.21 s with under 0.07 s on that thread) nor ONNX Runtime's extra intra-op threads, so
 * while the object is charged ({@link #charge}), its CPU time is at least its share of the process's since it
 * began: the process's CPU time over the objects charged now. That share also holds the JVM's own work and errs
 * towards expensive, the verdict the budget gave before CPU time was counted; undercounting would err towards
 * starved, retried for an input that fails every time.
 */
public final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Whether this JVM measures threads' CPU time; where not, budgets judge by wall-clock time alone, as before. */
    static final boolean MEASURED = measurable();
    /** The account the work on this thread is charged to now, which the tasks it hands to other threads inherit. */
    private static final ThreadLocal<CpuAccount> CHARGED = new ThreadLocal<>();

    /** The process's CPU time, where the JVM tells it (HotSpot's extension); null where not. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    && os.getProcessCpuTime() >= 0 ? os : null;
    /** Accounts with work charged to them now: the objects in flight, among which the process's CPU time is shared. */
    private static final AtomicInteger CHARGING = new AtomicInteger();

    /** Charges nothing and knows no CPU time. */
    static final CpuAccount NONE = new CpuAccount(false);

    private final boolean measured;
    /** Per thread working for the object now (by id, never reused), its CPU time when it began. */
    private final Map<Long, Long> began = new ConcurrentHashMap<>();
    /** CPU time of the work that has ended (a pool thread's task, a film part's thread). */
    private final AtomicLong ended = new AtomicLong();
    /** Scopes open on this account now, on any thread. */
    private final AtomicInteger open = new AtomicInteger();
    /** The process's CPU time when the object began, -1 where not known. */
    private final long processBegan;

    private CpuAccount(boolean measured) {
        this.measured = measured;
        this.processBegan = measured ? processNanos() : -1;
    }

    private static long processNanos() {
        return PROCESS == null ? -1 : PROCESS.getProcessCpuTime();
    }

    static CpuAccount start() {
        return MEASURED ? new CpuAccount(true) : NONE;
    }

    private static boolean measurable() {
        try {
            if (!THREADS.isThreadCpuTimeSupported() || !THREADS.isCurrentThreadCpuTimeSupported()) return false;
            if (!THREADS.isThreadCpuTimeEnabled()) THREADS.setThreadCpuTimeEnabled(true);
            return THREADS.isThreadCpuTimeEnabled() && THREADS.getCurrentThreadCpuTime() >= 0;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    public boolean measured() {
        return measured;
    }

    /** Nanoseconds of CPU time charged so far, or -1 where CPU time is not measured. */
    public long nanos() {
        if (!measured) return -1;
        long sum = threadNanos();
        long process = processNanos();
        if (open.get() > 0 && processBegan >= 0 && process >= 0)
            sum = Math.max(sum, (process - processBegan) / Math.max(1, CHARGING.get()));
        return sum;
    }

    /** The CPU time of the JVM threads charged here. */
    long threadNanos() {
        long sum = ended.get();
        for (Map.Entry<Long, Long> e : began.entrySet()) {
            long now = THREADS.getThreadCpuTime(e.getKey());
            // -1: the thread has ended without closing its scope; what it used is lost (counted short, not long)
            if (now >= 0) sum += Math.max(0, now - e.getValue());
        }
        return sum;
    }

    /** {@link #nanos()} as a clock for {@link TimeBudget}. */
    LongSupplier clock() {
        return this::nanos;
    }

    /**
     * The calling thread works for the object from now on, if it was not already: for a thread that reaches a budget's
     * check without a {@link #charge} scope (a caller decoding with a budget directly). It is counted until the account
     * is dropped with its object.
     */
    void enrol() {
        if (measured) began.computeIfAbsent(Thread.currentThread().getId(), id -> THREADS.getCurrentThreadCpuTime());
    }

    /**
     * The calling thread works for the object until the scope is closed, and the tasks it hands to the encoder threads
     * ({@link #charged}) are charged here too. A thread already counted here is not counted twice.
     */
    public Scope charge() {
        CpuAccount before = CHARGED.get();
        CHARGED.set(this);
        long id = Thread.currentThread().getId();
        boolean counting = measured && began.putIfAbsent(id, THREADS.getCurrentThreadCpuTime()) == null;
        if (measured && open.getAndIncrement() == 0) CHARGING.incrementAndGet();
        return () -> {
            if (measured && open.decrementAndGet() == 0) CHARGING.decrementAndGet();
            if (counting) {
                Long start = began.remove(id);
                ended.addAndGet(Math.max(0, THREADS.getCurrentThreadCpuTime() - start));
            }
            if (before == null) CHARGED.remove();
            else CHARGED.set(before);
        };
    }

    /** {@code task}, charged when it runs to the account the submitting thread is charged to now (if any). */
    public static Runnable charged(Runnable task) {
        CpuAccount account = CHARGED.get();
        if (account == null || account == NONE) return task;
        return () -> {
            try (Scope s = account.charge()) {
                task.run();
            }
        };
    }

    /** A thread's work for one account; closing it ends the count. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
