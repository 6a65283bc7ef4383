package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

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
     * with the process's clock driven by hand: each object's share is the sum over the stretches it was in flight of
     * the process's CPU time then over the objects in flight then (within a nanosecond a stretch), so the shares add
     * up to the process's CPU time while anything was in flight, and the verdicts follow.
     */
    @Test
    void theShareIsTheProcessesCpuTimeOverTheObjectsInFlightStretchByStretch() {
        java.util.Random random = new java.util.Random(20261206);
        for (int round = 0; round < 200; round++) {
            java.util.concurrent.atomic.AtomicLong process = new java.util.concurrent.atomic.AtomicLong(random.nextInt(1000) * S);
            CpuAccount.InFlight inFlight = new CpuAccount.InFlight(process::get);
            int n = 1 + random.nextInt(12);
            CpuAccount[] accounts = new CpuAccount[n];
            List<List<CpuAccount.Scope>> scopes = new ArrayList<>();
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                accounts[i] = CpuAccount.start(inFlight);
                scopes.add(new ArrayList<>());
            }
            double spentInFlight = 0;
            int steps = 0;
            for (int step = 0; step < 300; step++) {
                int i = random.nextInt(n);
                List<CpuAccount.Scope> open = scopes.get(i);
                if (!open.isEmpty() && random.nextBoolean()) open.remove(open.size() - 1).close();
                else open.add(accounts[i].charge());
                long spent = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * 3 * S);
                int inFlightNow = 0;
                for (List<CpuAccount.Scope> o : scopes) if (!o.isEmpty()) inFlightNow++;
                for (int k = 0; k < n; k++) if (!scopes.get(k).isEmpty()) expected[k] += (double) spent / inFlightNow;
                if (inFlightNow > 0) spentInFlight += spent;
                process.addAndGet(spent);
                steps++;
            }
            double sum = 0;
            for (int k = 0; k < n; k++) {
                long share = accounts[k].share();
                sum += share;
                assertTrue(Math.abs(share - expected[k]) <= steps + 1, "round " + round + ", object " + k + ": "
                        + share + " ns, expected " + expected[k]);
            }
            assertTrue(Math.abs(sum - spentInFlight) <= (double) n * (steps + 1), "shares " + sum + " of " + spentInFlight);
        }
    }

    /** The two cases above as verdicts, on hand-driven clocks: a starved object runs on, an expensive one stops. */
    @Test
    void theShareDecidesTheVerdictByWhatWasSpentWhileTheObjectWasInFlight() {
        java.util.concurrent.atomic.AtomicLong process = new java.util.concurrent.atomic.AtomicLong(), wall = new java.util.concurrent.atomic.AtomicLong();
        CpuAccount.InFlight inFlight = new CpuAccount.InFlight(process::get);
        CpuAccount starvedCpu = CpuAccount.start(inFlight);
        TimeBudget starved = TimeBudget.start(java.time.Duration.ofSeconds(2), 0, 4, wall::get, starvedCpu, starvedCpu::share);
        try (CpuAccount.Scope s = starvedCpu.charge()) {
            List<CpuAccount.Scope> others = new ArrayList<>();
            for (int i = 0; i < 5; i++) others.add(CpuAccount.start(inFlight).charge());
            process.addAndGet(6 * S); // six objects, 1 s each
            others.forEach(CpuAccount.Scope::close);
            wall.set(3 * S);
            assertTrue(Math.abs(starvedCpu.share() - S) <= 10, starvedCpu.share() + " ns");
            starved.check("f.wav", 1); // 1 s of CPU time for 2 s allowed: starving, runs on
            wall.set(8 * S + 1);
            assertThrows(TimeBudget.Starved.class, () -> starved.check("f.wav", 1));
        }

        CpuAccount expensiveCpu = CpuAccount.start(inFlight);
        wall.set(0);
        TimeBudget expensive = TimeBudget.start(java.time.Duration.ofSeconds(2), 0, 4, wall::get, expensiveCpu, expensiveCpu::share);
        try (CpuAccount.Scope s = expensiveCpu.charge()) {
            process.addAndGet(6 * S); // alone
            List<CpuAccount.Scope> arrivals = new ArrayList<>();
            for (int i = 0; i < 5; i++) arrivals.add(CpuAccount.start(inFlight).charge());
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
