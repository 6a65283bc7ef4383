package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An object's share of the process's CPU time (what stands for FFmpeg's and ONNX Runtime's native threads, which the
 * JVM's thread clocks miss) is taken over its lifetime, with the objects in flight at each moment: not the process's
 * CPU time since it began divided by the objects in flight at the moment of the verdict. Real threads: sleeping stands
 * for a starved object (wall-clock time without CPU time), spinning for work.
 */
class CpuShareTest {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /**
     * Four other objects spin while a starved one waits and then leave before its verdict: their CPU time is not the
     * starved one's. Divided by the objects in flight at the verdict (the starved one alone) all of it was.
     */
    @Test
    void otherObjectsWorkIsNotAStarvedObjectsOnceTheyHaveLeft() throws Exception {
        assumeTrue(CpuAccount.MEASURED, "this JVM measures no thread CPU time");
        CpuAccount starved = CpuAccount.start();
        long spun;
        try (CpuAccount.Scope waiting = starved.charge()) {
            spun = spinInOwnAccounts(4, 250_000_000L);
            // the starved object's share while the five were in flight is a fifth of their work
            long share = starved.nanos();
            assertTrue(share < spun / 2, "the starved object was charged " + share / 1e6 + " ms of the "
                    + spun / 1e6 + " ms the other objects spun");
        }
    }

    /**
     * An object whose work is on threads the JVM does not count (FFmpeg's frame threads) works alone, and other
     * objects arrive, waiting, before its verdict: the work it did alone is its own, not shared among the arrivals.
     */
    @Test
    void workDoneAloneIsNotSharedWithObjectsThatArriveLater() throws Exception {
        assumeTrue(CpuAccount.MEASURED, "this JVM measures no thread CPU time");
        CpuAccount expensive = CpuAccount.start();
        List<CpuAccount.Scope> arrivals = new ArrayList<>();
        try (CpuAccount.Scope working = expensive.charge()) {
            long spun = spinUncounted(400_000_000L);
            for (int i = 0; i < 5; i++) arrivals.add(CpuAccount.start().charge());
            long share = expensive.nanos();
            assertTrue(share >= spun * 0.8, "the object that worked alone was charged " + share / 1e6 + " ms of the "
                    + spun / 1e6 + " ms its native threads spun");
        } finally {
            arrivals.forEach(CpuAccount.Scope::close);
        }
    }

    /**
     * The share over random arrivals and departures of up to 12 objects, some charged from several threads at once,
     * with the process's clock and the objects' own (codec) threads' clocks driven by hand: each object's CPU time is
     * what its threads counted plus, over the stretches it was in flight, the process's CPU time then that no object
     * counted as its own over the objects in flight then (within a nanosecond a stretch), that remainder floored at 0
     * as a running sum while the process's clock lags. So the counts add up to the process's CPU time while anything
     * was in flight, and no object is charged another's own work: the share took the process's CPU time whole,
     * counted work included, and a waiting object beside a film decoded whole was charged half the film's codec
     * threads.
     */
    @Test
    void theShareIsTheCpuTimeNoObjectCountedOverTheObjectsInFlightStretchByStretch() {
        java.util.Random random = new java.util.Random(20261206);
        for (int round = 0; round < 200; round++) {
            java.util.concurrent.atomic.AtomicLong process = new java.util.concurrent.atomic.AtomicLong(random.nextInt(1000) * S);
            CpuAccount.InFlight inFlight = new CpuAccount.InFlight(process::get);
            HandThreadClocks clocks = new HandThreadClocks();
            int n = 1 + random.nextInt(12);
            CpuAccount[] accounts = new CpuAccount[n];
            long[] own = new long[n];
            List<List<CpuAccount.Scope>> scopes = new ArrayList<>();
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                accounts[i] = CpuAccount.start(inFlight, clocks);
                // each object's codec thread, counted for the whole round
                accounts[i].countCodecThreads(java.util.Set.of("codec-" + i));
                scopes.add(new ArrayList<>());
            }
            // what the process spent while anything was in flight
            double spentInFlight = 0;
            int steps = 0;
            // the stretch since the objects in flight last changed: what the process spent in it, what they counted
            long stretchSpent = 0, stretchCounted = 0;
            // the remainder summed over the stretches (owed back at most MAX_OWED_NANOS) and the most it has been
            long[] remainder = new long[2];
            long owedLag = 0, madeUpOutOfFlight = 0;
            for (int step = 0; step < 300; step++) {
                int i = random.nextInt(n);
                List<CpuAccount.Scope> open = scopes.get(i);
                boolean closing = !open.isEmpty() && random.nextBoolean();
                if (closing ? open.size() == 1 : open.isEmpty()) {
                    if (scopes.stream().anyMatch(o -> !o.isEmpty()))
                        addShares(expected, scopes, remainderGrowth(remainder, stretchSpent - stretchCounted));
                    spentInFlight += stretchSpent;
                    stretchSpent = stretchCounted = 0;
                    steps++;
                }
                if (closing) open.remove(open.size() - 1).close();
                else open.add(accounts[i].charge());
                long uncounted = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * 3 * S), counted = 0;
                for (int k = 0; k < n; k++) {
                    if (scopes.get(k).isEmpty() || random.nextInt(3) == 0) continue;
                    long used = (long) (random.nextDouble() * 2 * S);
                    own[k] += used;
                    counted += used;
                    clocks.codec("codec-" + k, own[k]);
                }
                // now and then the process's clock lags behind the threads' (its tick, read at other moments), and
                // makes up for it at once or later
                long lag = random.nextInt(10) == 0 ? Math.min(counted / 2, (long) (random.nextDouble() * 40_000_000L)) : 0;
                long spent = counted + uncounted - lag + owedLag;
                if (scopes.stream().anyMatch(o -> !o.isEmpty())) {
                    stretchSpent += spent;
                    stretchCounted += counted;
                } else {
                    madeUpOutOfFlight += owedLag;
                }
                owedLag = lag;
                process.addAndGet(spent);
            }
            if (scopes.stream().anyMatch(o -> !o.isEmpty()))
                addShares(expected, scopes, remainderGrowth(remainder, stretchSpent - stretchCounted));
            spentInFlight += stretchSpent;
            steps++;
            double sum = 0;
            for (int k = 0; k < n; k++) {
                long share = accounts[k].share();
                sum += accounts[k].nanos();
                assertTrue(Math.abs(share - expected[k]) <= steps + 1, "round " + round + ", object " + k + ": "
                        + share + " ns, expected " + expected[k]);
                assertTrue(Math.abs(accounts[k].nanos() - (own[k] + expected[k])) <= steps + 1, "round " + round
                        + ", object " + k + ": " + accounts[k].nanos() + " ns, its own " + own[k]);
            }
            // all that the process spent, and the lags of its clock that it made up only once nothing was in flight
            assertTrue(sum <= spentInFlight + owedLag + madeUpOutOfFlight + (double) n * (steps + 1), "counted " + sum
                    + " of " + spentInFlight);
        }
    }

    /**
     * An object that waits beside a film decoded whole by FFmpeg's codec threads (counted as the film's own): its CPU
     * time is its share of what no object counted (here 0.2 s of the JVM's own work), not half the film's 3 s, so it is
     * starved, not expensive. Where the codec threads cannot be read (no {@code /proc}) nothing is known of whose the
     * process's CPU time is and it is shared out as before, towards expensive.
     */
    @Test
    void aWaitingObjectIsNotChargedTheCodecThreadsOfAFilmBesideIt() {
        for (boolean procReadable : new boolean[]{true, false}) {
            java.util.concurrent.atomic.AtomicLong process = new java.util.concurrent.atomic.AtomicLong(), wall = new java.util.concurrent.atomic.AtomicLong();
            CpuAccount.InFlight inFlight = new CpuAccount.InFlight(process::get);
            HandThreadClocks clocks = new HandThreadClocks();
            CpuAccount film = CpuAccount.start(inFlight, clocks), waiting = CpuAccount.start(inFlight, clocks);
            TimeBudget budget = TimeBudget.start(java.time.Duration.ofSeconds(1), 0, 4, wall::get, waiting, waiting.clock());
            try (CpuAccount.Scope f = film.charge(); CpuAccount.Scope w = waiting.charge();
                 CpuAccount.Scope codec = film.countCodecThreads(procReadable ? java.util.Set.of("31", "32") : java.util.Set.of())) {
                clocks.codec("31", 1500 * 1_000_000L).codec("32", 1500 * 1_000_000L);
                process.addAndGet(3 * S + 200_000_000L);
                wall.set(1500 * 1_000_000L);
                if (procReadable) {
                    assertEquals(100_000_000L, waiting.nanos(), 1, "the waiting object's share of 0.2 s");
                    assertEquals(3_100_000_000L, film.nanos(), 1, "the film's 3 s and its share of 0.2 s");
                    budget.check("w.wav", 1); // 0.1 s of CPU time for 1 s allowed: starving
                    wall.set(4 * S + 1);
                    assertThrows(TimeBudget.Starved.class, () -> budget.check("w.wav", 1));
                } else {
                    assertEquals(1_600_000_000L, waiting.nanos(), 1, "half of 3.2 s");
                    assertEquals(1_600_000_000L, film.nanos(), 1, "half of 3.2 s");
                    MediaException e = assertThrows(MediaException.class, () -> budget.check("w.wav", 1));
                    assertFalse(e instanceof TimeBudget.Starved, e.getMessage());
                }
            }
        }
    }

    /**
     * The growth past its most of the remainder summed with {@code stretch} ({@code remainder[0]}, owed back at most
     * {@link CpuAccount.InFlight#MAX_OWED_NANOS}; its most, {@code remainder[1]}).
     */
    private static long remainderGrowth(long[] remainder, long stretch) {
        remainder[0] = Math.max(remainder[0] + stretch, remainder[1] - CpuAccount.InFlight.MAX_OWED_NANOS);
        long growth = Math.max(0, remainder[0] - remainder[1]);
        remainder[1] = Math.max(remainder[0], remainder[1]);
        return growth;
    }

    /** {@code remainder} divided among the objects with a scope open. */
    private static void addShares(double[] expected, List<List<CpuAccount.Scope>> scopes, long remainder) {
        long inFlight = scopes.stream().filter(o -> !o.isEmpty()).count();
        for (int k = 0; k < expected.length; k++) if (!scopes.get(k).isEmpty()) expected[k] += (double) remainder / inFlight;
    }

    /**
     * The process's clock ticks by 10 ms (Linux's {@code times()}), the threads' by the nanosecond: with everything
     * counted on threads and the share read every 10 ms, a stretch's remainder is a tick too much or too little by
     * turns. A waiting object beside an object counting 15 ms a stretch for 1,000 stretches is charged at most a
     * tick; floored stretch by stretch, it was charged half of every tick too much.
     */
    @Test
    void theProcessClocksTicksAreNotSharedOut() {
        java.util.concurrent.atomic.AtomicLong process = new java.util.concurrent.atomic.AtomicLong();
        long tick = 10_000_000L;
        CpuAccount.InFlight inFlight = new CpuAccount.InFlight(() -> process.get() / tick * tick);
        HandThreadClocks clocks = new HandThreadClocks();
        CpuAccount busy = CpuAccount.start(inFlight, clocks), waiting = CpuAccount.start(inFlight, clocks);
        try (CpuAccount.Scope b = busy.charge(); CpuAccount.Scope w = waiting.charge();
             CpuAccount.Scope codec = busy.countCodecThreads(java.util.Set.of("51"))) {
            for (int stretch = 1; stretch <= 1000; stretch++) {
                clocks.codec("51", stretch * 15_000_000L);
                process.addAndGet(15_000_000L);
                waiting.share();
            }
            assertTrue(waiting.nanos() <= tick, "the waiting object was charged " + waiting.nanos() / 1e6 + " ms");
            assertEquals(15 * S, busy.threadNanos());
        }
    }

    /**
     * The share's readings within the interval read no clock: with 10 objects in flight, 10,000 readings in 1 s of
     * the wall clock read the process's clock 101 times at most (and the objects' threads each as often), and a
     * reading asked afresh reads them whatever the interval.
     */
    @Test
    void theSharesReadingsReadTheClocksOncePerInterval() {
        java.util.concurrent.atomic.AtomicLong process = new java.util.concurrent.atomic.AtomicLong(), reads = new java.util.concurrent.atomic.AtomicLong(),
                wall = new java.util.concurrent.atomic.AtomicLong();
        long interval = TimeBudget.CPU_READ_INTERVAL_NANOS;
        CpuAccount.InFlight inFlight = new CpuAccount.InFlight(() -> {
            reads.incrementAndGet();
            return process.get();
        }, wall::get, interval);
        HandThreadClocks clocks = new HandThreadClocks();
        List<CpuAccount> accounts = new ArrayList<>();
        List<CpuAccount.Scope> scopes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CpuAccount a = CpuAccount.start(inFlight, clocks);
            accounts.add(a);
            scopes.add(a.charge());
        }
        try {
            reads.set(0);
            for (int r = 0; r < 10_000; r++) {
                wall.addAndGet(100_000L);
                process.addAndGet(100_000L);
                accounts.get(r % 10).nanos();
            }
            assertTrue(reads.get() <= S / interval + 1, reads.get() + " readings of the process's clock");
            assertEquals(S / 10, accounts.get(0).share(), 10_000_000L, "a tenth of 1 s, as of the last reading");
            long before = reads.get();
            accounts.get(0).freshen();
            assertEquals(S / 10, accounts.get(0).share(), 100, "a tenth of 1 s, afresh");
            assertEquals(before + 1, reads.get());
        } finally {
            scopes.forEach(CpuAccount.Scope::close);
        }
    }

    /**
     * At the cap, the verdict reads the share afresh, not as read within the interval: an object whose work on
     * threads nobody counts (ONNX Runtime's extra intra-op threads) used its allowance in the last 5 ms is expensive,
     * not starved.
     */
    @Test
    void theVerdictAtTheCapReadsTheShareAfresh() {
        java.util.concurrent.atomic.AtomicLong process = new java.util.concurrent.atomic.AtomicLong(), wall = new java.util.concurrent.atomic.AtomicLong();
        CpuAccount.InFlight inFlight = new CpuAccount.InFlight(process::get, wall::get, TimeBudget.CPU_READ_INTERVAL_NANOS);
        CpuAccount cpu = CpuAccount.start(inFlight, new HandThreadClocks());
        TimeBudget budget = TimeBudget.start(java.time.Duration.ofSeconds(1), 0, 2, wall::get, cpu, cpu.clock());
        try (CpuAccount.Scope s = cpu.charge()) {
            process.set(600_000_000L);
            wall.set(1_995_000_000L);
            budget.check("f.wav", 1); // 0.6 s of CPU time for 1 s allowed: starving
            process.addAndGet(500_000_000L);
            wall.set(2 * S + 1);
            MediaException e = assertThrows(MediaException.class, () -> budget.check("f.wav", 1));
            assertFalse(e instanceof TimeBudget.Starved, e.getMessage());
            assertTrue(e.getMessage().contains("1.1 s of it CPU time"), e.getMessage());
        }
    }

    /** The two cases above as verdicts, on hand-driven clocks: a starved object runs on, an expensive one stops. */
    @Test
    void theShareDecidesTheVerdictByWhatWasSpentWhileTheObjectWasInFlight() {
        java.util.concurrent.atomic.AtomicLong process = new java.util.concurrent.atomic.AtomicLong(), wall = new java.util.concurrent.atomic.AtomicLong();
        CpuAccount.InFlight inFlight = new CpuAccount.InFlight(process::get);
        HandThreadClocks clocks = new HandThreadClocks();
        CpuAccount starvedCpu = CpuAccount.start(inFlight, clocks);
        TimeBudget starved = TimeBudget.start(java.time.Duration.ofSeconds(2), 0, 4, wall::get, starvedCpu, starvedCpu::share);
        try (CpuAccount.Scope s = starvedCpu.charge()) {
            List<CpuAccount.Scope> others = new ArrayList<>();
            for (int i = 0; i < 5; i++) others.add(CpuAccount.start(inFlight, clocks).charge());
            process.addAndGet(6 * S); // six objects, 1 s each
            others.forEach(CpuAccount.Scope::close);
            wall.set(3 * S);
            assertTrue(Math.abs(starvedCpu.share() - S) <= 10, starvedCpu.share() + " ns");
            starved.check("f.wav", 1); // 1 s of CPU time for 2 s allowed: starving, runs on
            wall.set(8 * S + 1);
            assertThrows(TimeBudget.Starved.class, () -> starved.check("f.wav", 1));
        }

        CpuAccount expensiveCpu = CpuAccount.start(inFlight, clocks);
        wall.set(0);
        TimeBudget expensive = TimeBudget.start(java.time.Duration.ofSeconds(2), 0, 4, wall::get, expensiveCpu, expensiveCpu::share);
        try (CpuAccount.Scope s = expensiveCpu.charge()) {
            process.addAndGet(6 * S); // alone
            List<CpuAccount.Scope> arrivals = new ArrayList<>();
            for (int i = 0; i < 5; i++) arrivals.add(CpuAccount.start(inFlight, clocks).charge());
            process.addAndGet(600_000_000L);
            wall.set(3 * S);
            assertTrue(Math.abs(expensiveCpu.share() - 6_100_000_000L) <= 10, expensiveCpu.share() + " ns");
            MediaException e = assertThrows(MediaException.class, () -> expensive.check("f.wav", 1));
            assertFalse(e instanceof TimeBudget.Starved, e.getMessage());
            arrivals.forEach(CpuAccount.Scope::close);
        }
    }

    private static final long S = 1_000_000_000L;

    /**
     * A film whose decoding is in FFmpeg's own frame threads (an 8K MPEG-4 decoded whole, not in parts) while five
     * other objects wait in flight: its frame threads' CPU time is its own, not a sixth of the process's. Counted by
     * share only, an expensive film ran on as starved while others were in flight (and stopped as retryable at the
     * cap), where alone it was limit_exceeded.
     */
    @Test
    void aFilmsFrameThreadsAreItsOwnWorkWhateverElseIsInFlight() throws Exception {
        assumeTrue(CpuAccount.MEASURED, "this JVM measures no thread CPU time");
        assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/thread-self/schedstat")), "no /proc");
        java.nio.file.Path film = HostileMedia.video8k(java.nio.file.Files.createDirectories(
                java.nio.file.Path.of("target", "cpu-share")), 6);
        FfmpegMediaDecoder wholeFilms = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(false));
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CpuAccount account = CpuAccount.start();
        TimeBudget budget = TimeBudget.start(java.time.Duration.ofHours(1), 0, 4, System::nanoTime, account, account.clock());
        List<CpuAccount.Scope> waiting = new ArrayList<>();
        try (CpuAccount.Scope decoding = budget.charge()) {
            for (int i = 0; i < 5; i++) waiting.add(CpuAccount.start().charge());
            long thread0 = MX.getCurrentThreadCpuTime(), process0 = os.getProcessCpuTime();
            wholeFilms.decode(film, null, DecodeListener.NONE, new DecodeBounds(Double.POSITIVE_INFINITY, budget));
            long process = os.getProcessCpuTime() - process0, thread = MX.getCurrentThreadCpuTime() - thread0;
            long counted = account.nanos();
            assertTrue(counted >= 0.6 * process, "the film was counted " + counted / 1e6 + " ms of the process's "
                    + process / 1e6 + " ms while it decoded (its decoding thread's: " + thread / 1e6 + " ms)");
        } finally {
            waiting.forEach(CpuAccount.Scope::close);
        }
    }

    /**
     * An object that waits (charged, using no CPU time) beside a film decoded whole, whose codec threads the film
     * counts as its own: the waiting object is charged half of what no object counted (the JVM's own work: compiling,
     * collecting), not half the process's, which made it expensive at about twice its allowance on 2 cores.
     */
    @Test
    void anObjectWaitingBesideAFilmDecodedWholeIsNotChargedTheFilmsWork() throws Exception {
        assumeTrue(CpuAccount.MEASURED, "this JVM measures no thread CPU time");
        assumeTrue(CodecThreads.READABLE, "no /proc");
        java.nio.file.Path film = HostileMedia.video8k(java.nio.file.Files.createDirectories(
                java.nio.file.Path.of("target", "cpu-share")), 6);
        FfmpegMediaDecoder wholeFilms = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(false));
        wholeFilms.decode(film); // FFmpeg's libraries loaded and the path run once: none of that is either object's
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CpuAccount filmCpu = CpuAccount.start(), waitingCpu = CpuAccount.start();
        TimeBudget budget = TimeBudget.start(java.time.Duration.ofHours(1), 0, 4, System::nanoTime, filmCpu, filmCpu.clock());
        CountDownLatch charged = new CountDownLatch(1), decoded = new CountDownLatch(1);
        long[] waitedNanos = new long[1];
        // the waiting object on a thread of its own, which waits
        Thread waitingThread = new Thread(() -> {
            try (CpuAccount.Scope waiting = waitingCpu.charge()) {
                charged.countDown();
                decoded.await();
                waitedNanos[0] = waitingCpu.nanos();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long wall0 = System.nanoTime(), process0 = os.getProcessCpuTime();
        waitingThread.start();
        charged.await();
        try {
            try (CpuAccount.Scope decoding = budget.charge()) {
                wholeFilms.decode(film, null, DecodeListener.NONE, new DecodeBounds(Double.POSITIVE_INFINITY, budget));
            }
        } finally {
            decoded.countDown();
            waitingThread.join();
        }
        {
            long filmOwn = filmCpu.threadNanos(), process = os.getProcessCpuTime() - process0;
            long waited = waitedNanos[0];
            System.out.printf("beside a film decoded whole (its threads %.0f ms of the process's %.0f ms), a waiting "
                    + "object was counted %.0f ms in %.0f ms%n", filmOwn / 1e6, process / 1e6, waited / 1e6,
                    (System.nanoTime() - wall0) / 1e6);
            // half of the rest, and the moments it was in flight alone
            assertTrue(waited <= (process - filmOwn) / 2 + 30_000_000L, "the waiting object was counted " + waited / 1e6
                    + " ms beside the film's " + filmOwn / 1e6 + " ms, of the process's " + process / 1e6 + " ms");
        }
    }

    /** {@code objects} threads, each charged to an account of its own, spin {@code nanos} each; their CPU time. */
    static long spinInOwnAccounts(int objects, long nanos) throws InterruptedException {
        long[] used = new long[objects];
        CountDownLatch ready = new CountDownLatch(objects);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                CpuAccount own = CpuAccount.start();
                try (CpuAccount.Scope s = own.charge()) {
                    ready.countDown();
                    long t0 = MX.getCurrentThreadCpuTime();
                    spinCpu(nanos);
                    used[n] = MX.getCurrentThreadCpuTime() - t0;
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        long sum = 0;
        for (long u : used) sum += u;
        return sum;
    }

    /** Spins {@code nanos} on a thread charged to no account (as FFmpeg's codec threads are); its CPU time. */
    static long spinUncounted(long nanos) throws InterruptedException {
        long[] used = new long[1];
        Thread t = new Thread(() -> {
            long t0 = MX.getCurrentThreadCpuTime();
            spinCpu(nanos);
            used[0] = MX.getCurrentThreadCpuTime() - t0;
        });
        t.start();
        t.join();
        return used[0];
    }

    static void spinCpu(long nanos) {
        TimeBudgetVerdictTest.spinCpu(MX, nanos);
    }
}
