package dev.moodtag.media;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The CPU time one object's work used, which a machine loaded far beyond its cores inflates far less than wall-clock
 * time: what tells a starved object from an expensive one ({@link TimeBudget}). Counted on the JVM's threads: the
 * thread that tags the object and decodes it, the threads decoding a film's other parts, and the encoder tasks run for
 * it on the engine's threads (ONNX Runtime runs an operator on the calling thread at the default of one intra-op
 * thread), and FFmpeg's own codec threads started for its decoders, read from {@code /proc} ({@link CodecThreads}:
 * they decode a film while its decoding thread waits). The JVM cannot see ONNX Runtime's extra intra-op threads, nor
 * FFmpeg's where {@code /proc} is not there, so
 * its CPU time is its threads' plus its share, while it was charged ({@link #charge}), of the process's CPU time that
 * no object counted on its threads: each stretch of it divided among the objects charged during it ({@link InFlight}).
 * Not the process's CPU time since the object began over the objects charged at the verdict, which gave a starved
 * object the work of others that had left (1150 ms for four others' 1001 ms) and divided an expensive one's own work
 * among objects that arrived after it (75 ms of its 400 ms); and not the process's whole, which gave an object waiting
 * beside a film decoded whole half the film's codec threads (230-255 ms in 0.5-0.8 s, expensive at about twice its
 * allowance on 2 cores). That share also holds the JVM's own work, and all of the process's where no thread can be
 * read, and errs towards expensive, the verdict the budget gave before CPU time was counted; undercounting would err
 * towards starved, retried for an input that fails every time.
 */
public final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Whether this JVM measures threads' CPU time; where not, budgets judge by wall-clock time alone, as before. */
    static final boolean MEASURED = measurable();
    /** The account the work on this thread is charged to now, which the tasks it hands to other threads inherit. */
    private static final ThreadLocal<CpuAccount> CHARGED = new ThreadLocal<>();
    /** The account this thread is enrolled in ({@link #enrol}): one at a time. */
    private static final ThreadLocal<CpuAccount> ENROLLED = new ThreadLocal<>();

    /** The process's CPU time, where the JVM tells it (HotSpot's extension); null where not. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    && os.getProcessCpuTime() >= 0 ? os : null;
    /** The objects in flight, among which the process's CPU time is shared. */
    private static final InFlight IN_FLIGHT = new InFlight(CpuAccount::processNanos, System::nanoTime,
            TimeBudget.CPU_READ_INTERVAL_NANOS);

    /** Charges nothing and knows no CPU time. */
    static final CpuAccount NONE = new CpuAccount(false, null, ThreadClocks.REAL);

    private final boolean measured;
    /** Where the threads' CPU time is read. */
    private final ThreadClocks clocks;
    /** The JVM threads working for the object now or until they ended (by id, never reused). */
    private final Map<Long, Counted> began = new ConcurrentHashMap<>();
    /** FFmpeg's codec threads working for the object now or until they ended (by OS thread id). */
    private final Map<String, Counted> codecThreads = new ConcurrentHashMap<>();
    /**
     * Threads a decoder's opening started that had not named themselves yet, each with the name it bore (its
     * creator's): a codec thread once it bears FFmpeg's, counted from 0, as all it ran was after the opening began.
     */
    private final Map<String, String> unnamedThreads = new ConcurrentHashMap<>();
    /** CPU time of the work whose count has been closed (a pool thread's task, a film part's thread). */
    private final AtomicLong ended = new AtomicLong();
    /** The most {@link #threadNanos} has said: a count being closed is not read as less than before. */
    private final AtomicLong threadNanosRead = new AtomicLong();
    private final InFlight inFlight;
    /** Scopes open on this account now, on any thread; the share fields change with it, under this account's lock. */
    private int open;
    /** {@link InFlight#perObject} when the account was last opened. */
    private long shareMark;
    /** The share of the process's CPU time over the stretches the account was charged that have ended. */
    private long shareEnded;

    private CpuAccount(boolean measured, InFlight inFlight, ThreadClocks clocks) {
        this.measured = measured;
        this.inFlight = inFlight;
        this.clocks = clocks;
    }

    private static long processNanos() {
        return PROCESS == null ? -1 : PROCESS.getProcessCpuTime();
    }

    static CpuAccount start() {
        return MEASURED ? new CpuAccount(true, IN_FLIGHT, ThreadClocks.REAL) : NONE;
    }

    /** An account sharing {@code inFlight}'s process CPU time: the share's tests drive the process's clock by hand. */
    static CpuAccount start(InFlight inFlight) {
        return new CpuAccount(true, inFlight, ThreadClocks.REAL);
    }

    /** An account whose threads' CPU time is read from {@code clocks}: the counting's tests drive them by hand. */
    static CpuAccount start(InFlight inFlight, ThreadClocks clocks) {
        return new CpuAccount(true, inFlight, clocks);
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

    /**
     * Nanoseconds of CPU time charged so far, or -1 where CPU time is not measured: its threads' and its share of what
     * no object counted on its threads.
     */
    public long nanos() {
        if (!measured) return -1;
        return threadNanos() + share();
    }

    /** The next reading of {@link #nanos} reads the process's CPU time afresh, not as read within the interval. */
    void freshen() {
        if (inFlight != null) inFlight.freshen();
    }

    /**
     * This account's share of the process's CPU time that no object counted as its own, so far (0 where the process's
     * is not known).
     */
    synchronized long share() {
        return open > 0 ? shareEnded + inFlight.perObject() - shareMark : shareEnded;
    }

    private synchronized void opened() {
        if (open++ == 0) shareMark = inFlight.join(this);
    }

    private synchronized void closed() {
        if (--open == 0) shareEnded += inFlight.leave(this) - shareMark;
    }

    /** The CPU time of the threads counted here (JVM threads charged or enrolled, FFmpeg's codec threads). */
    long threadNanos() {
        if (!unnamedThreads.isEmpty()) nameThreads();
        // what ended first: a count closed meanwhile moves from its thread's entry to it, and is then missed (not
        // counted twice) until the next reading; the largest reading stands for it
        long sum = ended.get();
        for (Map.Entry<Long, Counted> e : began.entrySet()) sum += e.getValue().used(() -> clocks.jvmThread(e.getKey()));
        for (Map.Entry<String, Counted> e : codecThreads.entrySet())
            sum += e.getValue().used(() -> clocks.codecThread(e.getKey()));
        return threadNanosRead.accumulateAndGet(sum, Math::max);
    }

    /** FFmpeg's codec threads {@code ids}, named already, as {@link #countCodecThreads(CodecThreads.Started)}. */
    Scope countCodecThreads(Set<String> ids) {
        return countCodecThreads(new CodecThreads.Started(ids, Set.of(), ""));
    }

    /**
     * The threads one decoder's opening started ({@link CodecThreads#startedSince}) work for the object until the
     * scope is closed, which must come before the decoder is released and they end: its codec threads, and those not
     * named yet once they bear FFmpeg's name.
     */
    Scope countCodecThreads(CodecThreads.Started started) {
        if (!measured || started.codec().isEmpty() && started.unnamed().isEmpty()) return () -> {
        };
        for (String id : started.codec()) {
            long now = clocks.codecThread(id);
            if (now >= 0) codecThreads.put(id, new Counted(now));
        }
        for (String id : started.unnamed()) unnamedThreads.put(id, started.creatorName());
        return () -> {
            nameThreads();
            for (Set<String> ids : List.of(started.codec(), started.unnamed()))
                for (String id : ids) {
                    unnamedThreads.remove(id);
                    Counted counted = codecThreads.remove(id);
                    if (counted != null) ended.addAndGet(counted.used(() -> clocks.codecThread(id)));
                }
        };
    }

    /** The unnamed threads that bear a name now: FFmpeg's are counted, others (or ended ones) forgotten. */
    private void nameThreads() {
        for (Map.Entry<String, String> e : unnamedThreads.entrySet()) {
            String name = clocks.codecThreadName(e.getKey());
            if (e.getValue().equals(name)) continue;
            if (unnamedThreads.remove(e.getKey(), e.getValue()) && name != null && CodecThreads.isCodecThread(name))
                codecThreads.putIfAbsent(e.getKey(), new Counted(0));
        }
    }

    /** The OS ids of the codec threads counted here now or until they ended: what the counting's tests look at. */
    Set<String> codecThreadIds() {
        threadNanos();
        return Set.copyOf(codecThreads.keySet());
    }

    /** {@link #nanos()} as a clock for {@link TimeBudget}. */
    LongSupplier clock() {
        return this::nanos;
    }

    /**
     * The calling thread works for the object from now on, if it was not already: for a thread that reaches a budget's
     * check without a {@link #charge} scope (a caller decoding with a budget directly). It is counted until it enrols
     * in another account or is charged to one: a pool thread that decodes one object and then another works for one
     * at a time, where it counted for every object it had checked a budget of, for their accounts' lives (each charged
     * the others' work, which was counted more than once). Inside a scope that counts it, it works for the scope's
     * account, and checking another object's budget there enrols nothing.
     */
    void enrol() {
        if (!measured || ENROLLED.get() == this) return;
        long id = Thread.currentThread().getId();
        CpuAccount charged = CHARGED.get();
        if (charged != null && charged.began.containsKey(id)) return;
        endEnrolment(id);
        if (began.putIfAbsent(id, new Counted(clocks.jvmThread(id))) == null) ENROLLED.set(this);
    }

    /** The calling thread ({@code id}) no longer works for the account it enrolled in, if any: that keeps its count. */
    private static void endEnrolment(long id) {
        CpuAccount enrolled = ENROLLED.get();
        if (enrolled == null) return;
        ENROLLED.remove();
        Counted counted = enrolled.began.remove(id);
        if (counted != null) enrolled.ended.addAndGet(counted.used(() -> enrolled.clocks.jvmThread(id)));
    }

    /**
     * The calling thread works for the object until the scope is closed, and the tasks it hands to the encoder threads
     * ({@link #charged}) are charged here too. A thread already counted here is not counted twice.
     */
    public Scope charge() {
        CpuAccount before = CHARGED.get();
        CHARGED.set(this);
        long id = Thread.currentThread().getId();
        if (ENROLLED.get() != this) endEnrolment(id);
        boolean counting = measured && began.putIfAbsent(id, new Counted(clocks.jvmThread(id))) == null;
        if (measured) opened();
        return () -> {
            if (measured) closed();
            if (counting) {
                ended.addAndGet(began.remove(id).used(() -> clocks.jvmThread(id)));
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

    /**
     * The process's CPU time that no object in flight counts as its own, divided among the objects in flight as it
     * is spent: {@link #perObject} is the sum, over every stretch between two readings, of the process's CPU time in
     * it less what the objects in flight then counted on their threads in it, over their number then; an object's
     * share is its growth while the object was in flight. That remainder is what nobody can tell whose it is (ONNX
     * Runtime's extra intra-op threads, FFmpeg's where {@code /proc} is not there, the JVM's own work). It is floored
     * at 0 as a running sum, not stretch by stretch: the process's clock ticks by 10 ms on Linux (the threads' by the
     * nanosecond), so a stretch's remainder is up to a tick off either way, and the errors cancel only summed (floored
     * each, 1,000 stretches of 15 ms, all of it counted, gave an object waiting beside them 1.25 s). The clocks are
     * read at every change of the objects in flight, and at a reading of the share at most once per interval unless
     * one asks afresh ({@link #freshen}): a reading reads every thread counted by every object in flight.
     */
    static final class InFlight {
        /** The most the objects' threads may be counted ahead of the process's clock: five of its ticks. */
        static final long MAX_OWED_NANOS = 50_000_000L;
        private final LongSupplier processNanos;
        private final LongSupplier wallNanos;
        private final long readInterval;
        /** The objects in flight, each with its own threads' CPU time when last read. */
        private final Map<CpuAccount, Long> counted = new java.util.IdentityHashMap<>();
        private long lastProcess = -1;
        private long perObject;
        /** The remainder summed over the stretches, and the most it has been: only growth past that is shared. */
        private long uncounted, uncountedShared;
        /** When the clocks were last read (wall clock); whether the next reading of the share must read them. */
        private long lastRead;
        private boolean readNext = true;

        /** Reads the clocks at every reading of the share. */
        InFlight(LongSupplier processNanos) {
            this(processNanos, () -> 0, 0);
        }

        /**
         * @param processNanos the process's CPU time, -1 where not known (then no share is counted)
         * @param readInterval the least wall-clock time between two readings of the clocks for the share's readings
         */
        InFlight(LongSupplier processNanos, LongSupplier wallNanos, long readInterval) {
            this.processNanos = processNanos;
            this.wallNanos = wallNanos;
            this.readInterval = readInterval;
        }

        /** {@code account} is in flight from now; {@link #perObject} now. */
        synchronized long join(CpuAccount account) {
            advance();
            counted.put(account, account.threadNanos());
            return perObject;
        }

        /** {@code account} is in flight no more; {@link #perObject} now. */
        synchronized long leave(CpuAccount account) {
            advance();
            counted.remove(account);
            return perObject;
        }

        /**
         * {@link #perObject} now, or as last read within the interval: a stale share is at most what a fresh one
         * would be (it only grows).
         */
        synchronized long perObject() {
            if (readNext || wallNanos.getAsLong() - lastRead >= readInterval) advance();
            return perObject;
        }

        /** The next reading of the share reads the clocks whenever it comes. */
        synchronized void freshen() {
            readNext = true;
        }

        private void advance() {
            lastRead = wallNanos.getAsLong();
            readNext = false;
            // the objects' threads before the process: what runs between the two readings is in the process's, so
            // the remainder errs towards more, not less
            long countedNow = 0;
            for (Map.Entry<CpuAccount, Long> e : counted.entrySet()) {
                long own = e.getKey().threadNanos();
                countedNow += own - e.getValue();
                e.setValue(own);
            }
            long now = processNanos.getAsLong();
            if (now < 0) return;
            if (!counted.isEmpty() && lastProcess >= 0) {
                // owed back at most a few ticks: more is threads counted twice, which must not starve the share
                uncounted = Math.max(uncounted + now - lastProcess - countedNow, uncountedShared - MAX_OWED_NANOS);
                if (uncounted > uncountedShared) {
                    perObject += (uncounted - uncountedShared) / counted.size();
                    uncountedShared = uncounted;
                }
            }
            lastProcess = now;
        }
    }

    /**
     * One thread's CPU time counted for the object: from its clock's reading when the count began to its latest
     * reading, kept once the thread has ended (its clock then reads -1) without closing its count: a codec thread
     * FFmpeg ends before the decoder's release, a thread enrolled without a scope. What it used after the last reading
     * is lost (counted short; the share of the process's holds it while the object is in flight).
     */
    private static final class Counted {
        private final long start;
        private final AtomicLong last;
        /** Its clock read -1 once: never read again, as an OS thread id may be given to a new thread. */
        private volatile boolean gone;

        Counted(long start) {
            this.start = start;
            this.last = new AtomicLong(start);
        }

        /** Nanoseconds used since the count began, reading {@code clock} unless the thread has ended. */
        long used(LongSupplier clock) {
            if (!gone) {
                long now = clock.getAsLong();
                if (now < 0) gone = true;
                else last.accumulateAndGet(now, Math::max);
            }
            return last.get() - start;
        }
    }

    /** Where threads' CPU time is read: the JVM's and {@code /proc}'s clocks, or hand-driven ones in tests. */
    interface ThreadClocks {
        /** The nanoseconds JVM thread {@code id} has run, -1 where it has ended. */
        long jvmThread(long id);

        /** The nanoseconds OS thread {@code id} (one of FFmpeg's codec threads) has run, -1 where it has ended. */
        long codecThread(String id);

        /** The name OS thread {@code id} bears now, null where it has ended. */
        String codecThreadName(String id);

        ThreadClocks REAL = new ThreadClocks() {
            @Override
            public long jvmThread(long id) {
                // the calling thread's own clock is the cheap one (no look-up by id)
                return id == Thread.currentThread().getId() ? THREADS.getCurrentThreadCpuTime() : THREADS.getThreadCpuTime(id);
            }

            @Override
            public long codecThread(String id) {
                return CodecThreads.cpuNanos(id);
            }

            @Override
            public String codecThreadName(String id) {
                return CodecThreads.name(id);
            }
        };
    }

    /** A thread's work for one account; closing it ends the count. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
