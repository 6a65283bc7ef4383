package dev.moodtag.media;

import dev.moodtag.media.TimeBudget.Overrun.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The time budget's verdict once its wall-clock allowance is spent, with the wall and CPU clocks driven by hand: the
 * object's own CPU time at or over the allowance is an expensive input (limit_exceeded, for good); under it, a starved
 * object, which runs on to the wall-clock cap and then stops as transient.
 */
class TimeBudgetVerdictTest {

    private static final long S = 1_000_000_000L;

    /** A budget of {@code allowed} seconds (base only) and cap {@code cap}, on hand-driven clocks. */
    private record Clocks(AtomicLong wall, AtomicLong cpu, TimeBudget budget) {
        static Clocks of(double allowed, double cap, boolean cpuMeasured) {
            AtomicLong wall = new AtomicLong(123 * S), cpu = new AtomicLong();
            TimeBudget b = TimeBudget.start(Duration.ofNanos(Math.round(allowed * S)), 0, cap, wall::get, CpuAccount.NONE,
                    () -> cpuMeasured ? cpu.get() : -1);
            return new Clocks(wall, cpu, b);
        }

        void at(double wallSeconds, double cpuSeconds) {
            wall.set(123 * S + Math.round(wallSeconds * S));
            cpu.set(Math.round(cpuSeconds * S));
        }
    }

    @Test
    void theVerdictOverAGridOfWallAndCpuTimes() {
        double[] alloweds = {0, 0.001, 1, 60, 1860, 365 * 86400.0};
        double[] caps = {1, 1.5, 4, 1000};
        double[] wallShares = {0, 0.5, 1, 1.0001, 2, 3.99, 4.01, 999, 1001};
        double[] cpuShares = {0, 0.01, 0.5, 0.999, 1, 1.5, 10};
        int cases = 0;
        for (double allowed : alloweds)
            for (double cap : caps)
                for (double w : wallShares)
                    for (double c : cpuShares)
                        for (boolean measured : new boolean[]{true, false}) {
                            double wall = w * allowed, cpu = c * allowed;
                            if (wall * S > 9e18) continue; // past what a nanosecond clock holds (over 280 years)
                            cases++;
                            Clocks k = Clocks.of(allowed, cap, measured);
                            k.at(wall, cpu);
                            // the same rule written out: over the allowance, CPU decides; the cap ends a starved one
                            Verdict expected = !(k.budget().elapsedSeconds() > k.budget().allowedSeconds()) ? Verdict.WITHIN
                                    : !measured || cpu >= allowed ? Verdict.EXPENSIVE
                                    : wall > allowed * cap ? Verdict.STARVED : Verdict.STARVING;
                            String what = "wall " + wall + " s, CPU " + cpu + " s" + (measured ? "" : " (not measured)")
                                    + ", allowed " + allowed + " s, cap " + cap;
                            assertEquals(expected, new TimeBudget.Overrun(k.budget().elapsedSeconds(),
                                    measured ? cpu : Double.NaN, k.budget().allowedSeconds(), cap).verdict(), what);
                            switch (expected) {
                                case WITHIN, STARVING -> k.budget().check("f.wav", 1);
                                case EXPENSIVE -> {
                                    MediaException e = assertThrows(MediaException.class, () -> k.budget().check("f.wav", 1), what);
                                    assertFalse(e instanceof TimeBudget.Starved, what + ": " + e.getMessage());
                                    assertEquals(MediaException.Kind.LIMIT_EXCEEDED, e.kind());
                                    assertTrue(e.getMessage().contains("time budget"), e.getMessage());
                                }
                                case STARVED -> {
                                    MediaException e = assertThrows(MediaException.class, () -> k.budget().check("f.wav", 1), what);
                                    assertInstanceOf(TimeBudget.Starved.class, e, what + ": " + e.getMessage());
                                    assertTrue(TimeBudget.Starved.explains(new RuntimeException("wrapped", e)));
                                }
                            }
                        }
        assertTrue(cases > 2500, cases + " cases");
    }

    /** A starved object runs on while its CPU time stays under the allowance, and is judged again at every check. */
    @Test
    void aStarvedObjectRunsOnUntilTheCapUnlessItsCpuTimeUsesTheAllowance() {
        Clocks k = Clocks.of(10, 4, true);
        for (double wall = 10.5; wall <= 40; wall += 0.5) {
            k.at(wall, 2);
            k.budget().check("f.wav", wall);
        }
        k.at(40.01, 2);
        TimeBudget.Starved starved = assertThrows(TimeBudget.Starved.class, () -> k.budget().check("f.wav", 7.25));
        // both figures and the allowance, and no limit's advice: nothing about the file or a limit is wrong
        assertTrue(starved.getMessage().contains("40.0 s spent on the wall clock but 2.0 s of CPU time, 10.0 s allowed"),
                starved.getMessage());
        assertTrue(starved.getMessage().contains("too busy"), starved.getMessage());
        assertTrue(starved.getMessage().contains("moodtag.budget.starved-cap"), starved.getMessage());
        assertFalse(starved.getMessage().contains("raise the limit"), starved.getMessage());

        Clocks busy = Clocks.of(10, 4, true);
        busy.at(25, 9.9);
        busy.budget().check("f.wav", 1);
        busy.at(26, 10);
        MediaException spent = assertThrows(MediaException.class, () -> busy.budget().check("f.wav", 1));
        assertFalse(spent instanceof TimeBudget.Starved);
        assertTrue(spent.getMessage().contains("26.0 s spent, 10.0 s of it CPU time, 10.0 s allowed"), spent.getMessage());
    }

    /**
     * Past the allowance, a starving object's checks (one per decoded packet, on every decoding thread) read its CPU
     * time at most once per {@link TimeBudget#CPU_READ_INTERVAL_NANOS} of the wall clock: each reading asks the kernel
     * for every thread's CPU time and the process's (1.3-2.0 µs a check measured, about 9 µs being a PCM packet's
     * decoding), where every check read it. The verdicts stay those of fresh readings: a stale one under the
     * allowance neither stops it as starved at the cap nor lets it run past the interval once it is expensive.
     */
    @Test
    void aStarvingObjectsChecksReadItsCpuTimeOncePerIntervalNotPerPacket() {
        AtomicLong wall = new AtomicLong(), cpu = new AtomicLong(), reads = new AtomicLong();
        TimeBudget b = TimeBudget.start(Duration.ofSeconds(10), 0, 4, wall::get, CpuAccount.NONE, () -> {
            reads.incrementAndGet();
            return cpu.get();
        });
        cpu.set(2 * S);
        int checks = 0;
        // from 10 s to 30 s of wall clock, a check every 50 µs (400,000 packets)
        for (long w = 10 * S + 1; w < 30 * S; w += 50_000) {
            wall.set(w);
            b.check("f.wav", 1);
            checks++;
        }
        long perInterval = 20 * S / TimeBudget.CPU_READ_INTERVAL_NANOS;
        assertTrue(reads.get() <= perInterval + 2, reads.get() + " CPU time readings for " + checks + " checks");

        // just before the cap the reading is stale and under the allowance; the object has used it by now
        cpu.set(10 * S);
        wall.set(40 * S + 1);
        MediaException e = assertThrows(MediaException.class, () -> b.check("f.wav", 1));
        assertFalse(e instanceof TimeBudget.Starved, "expensive by a fresh reading: " + e.getMessage());

        // an object that becomes expensive while starving is stopped within the interval
        AtomicLong wall2 = new AtomicLong(), cpu2 = new AtomicLong();
        TimeBudget b2 = TimeBudget.start(Duration.ofSeconds(10), 0, 4, wall2::get, CpuAccount.NONE, cpu2::get);
        wall2.set(11 * S);
        b2.check("f.wav", 1);
        cpu2.set(10 * S);
        assertThrows(MediaException.class, () -> {
            for (long w = 11 * S; w <= 11 * S + TimeBudget.CPU_READ_INTERVAL_NANOS + 1; w += 1000) {
                wall2.set(w);
                b2.check("f.wav", 1);
            }
        });
    }

    /** The allowance grows with the media decoded, so the cap does too. */
    @Test
    void theCapIsAMultipleOfTheAllowanceSoFar() {
        Clocks k = Clocks.of(1, 2, true);
        k.budget().audioDecoded(100); // with per-media-second 0 nothing grows
        k.at(2.5, 0);
        assertThrows(TimeBudget.Starved.class, () -> k.budget().check("f.wav", 1));
        AtomicLong wall = new AtomicLong();
        TimeBudget grows = TimeBudget.start(Duration.ofSeconds(1), 0.5, 2, wall::get, CpuAccount.NONE, () -> 0);
        grows.audioDecoded(10); // 6 s allowed, 12 s cap
        wall.set(11 * S);
        grows.check("f.wav", 10);
        wall.set(12 * S + 1);
        assertThrows(TimeBudget.Starved.class, () -> grows.check("f.wav", 10));
    }

    @Test
    void aCapUnderOneOrOverTheMostIsRefused() {
        for (double cap : new double[]{0, 0.999, -1, Double.NaN, 1000.5, Double.POSITIVE_INFINITY})
            assertThrows(IllegalArgumentException.class, () -> TimeBudget.start(Duration.ofSeconds(1), 0, cap), "cap " + cap);
        TimeBudget.start(Duration.ofSeconds(1), 0, 1);
        TimeBudget.start(Duration.ofSeconds(1), 0, 1000);
    }

    /**
     * The real account counts a thread's CPU time, not its sleep, charges handed-on tasks to the same object, and
     * while it is charged counts at least its share of the process's CPU time (FFmpeg's and ONNX Runtime's native
     * threads, which the JVM's thread clocks miss).
     */
    @Test
    void theAccountCountsComputingNotWaiting() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(CpuAccount.MEASURED, "this JVM measures no thread CPU time");
        CpuAccount account = CpuAccount.start();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (CpuAccount.Scope s = account.charge()) {
            Thread.sleep(300);
            assertTrue(account.threadNanos() < 100_000_000L, "asleep 300 ms, counted " + account.threadNanos() / 1e6 + " ms");
            long before = account.threadNanos();
            pool.submit(CpuAccount.charged(() -> spinCpu(mx, 100_000_000L))).get();
            assertTrue(account.threadNanos() - before >= 100_000_000L, "a handed-on task's 100 ms of CPU: "
                    + (account.threadNanos() - before) / 1e6 + " ms");
            // a task handed on from a thread charged to nothing is not this account's thread time ...
            long after = account.threadNanos(), all = account.nanos();
            pool.submit(() -> spinCpu(mx, 300_000_000L)).get();
            assertTrue(account.threadNanos() - after < 50_000_000L, "another thread's task is not counted");
            // ... but the process's CPU time is shared among the objects charged now, here this one alone. Not all
            // 300 ms: the process's clock is sampled by 10 ms ticks (on a loaded machine tens of ms off over a 100 ms
            // spin, CI measured 72.8 of 100), and the threads counted before may have run ahead of it by up to
            // MAX_OWED_NANOS, which the share repays first; without any share it grows by nothing.
            long shared = account.nanos() - all;
            assertTrue(shared >= 300_000_000L - CpuAccount.InFlight.MAX_OWED_NANOS - 100_000_000L,
                    "the process's share: " + shared / 1e6 + " ms");
        } finally {
            pool.shutdownNow();
        }
        long closed = account.nanos();
        pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> spinCpu(mx, 100_000_000L)).get();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(account.nanos() - closed < 50_000_000L, "no share once nothing is charged to it");
    }

    /**
     * More objects in flight than cores × starved-cap, each given its fair part of the cores (hand-driven clocks, all
     * objects arriving at once, 1 s allowed, cap 4, 2 cores): an expensive object (2 s of work) gets 4 s × 2 / N of CPU
     * time by the cap, under its allowance from N = 9 on, so it ends starved (retried) instead of limit_exceeded; a
     * cheap one (0.5 s of work) finishes whatever N up to 16. No rule at the cap tells the two apart without knowing
     * the work left (the media's length is what the budget does not trust), so the boundary stands as documented.
     */
    @Test
    void pastCoresTimesTheCapAnExpensiveObjectEndsStarved() {
        int cores = 2;
        double cap = 4;
        for (int n = 1; n <= 16; n++) {
            for (double work : new double[]{2.0, 0.5}) {
                String end = fairShareRun(n, cores, cap, 1.0, work);
                if (work == 2.0) assertEquals(n <= cores * cap ? "limit_exceeded" : "starved", end, n + " objects, " + work + " s of work");
                else assertEquals("done", end, n + " objects, " + work + " s of work");
            }
        }
    }

    /**
     * {@code n} objects of {@code work} seconds of CPU each on {@code cores}, sharing the cores fairly while they are
     * in flight; how the first ends: done, limit_exceeded or starved.
     */
    private static String fairShareRun(int n, int cores, double cap, double allowed, double work) {
        AtomicLong wall = new AtomicLong(), process = new AtomicLong();
        CpuAccount.InFlight inFlight = new CpuAccount.InFlight(process::get);
        HandThreadClocks clocks = new HandThreadClocks();
        long[] used = new long[n];
        String[] ends = new String[n];
        TimeBudget[] budgets = new TimeBudget[n];
        List<CpuAccount.Scope> scopes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            CpuAccount a = CpuAccount.start(inFlight, clocks);
            scopes.add(a.charge());
            scopes.add(a.countCodecThreads(java.util.Set.of("object-" + i)));
            budgets[i] = TimeBudget.start(Duration.ofNanos(Math.round(allowed * S)), 0, cap, wall::get, a, a.clock());
        }
        long step = 10_000_000L, needed = Math.round(work * S);
        try {
            for (int running = n; running > 0; ) {
                wall.addAndGet(step);
                long each = step * Math.min(cores, running) / running;
                for (int i = 0; i < n; i++) {
                    if (ends[i] != null) continue;
                    used[i] = Math.min(needed, used[i] + each);
                    clocks.codec("object-" + i, used[i]);
                    process.addAndGet(each);
                }
                for (int i = 0; i < n; i++) {
                    if (ends[i] != null) continue;
                    try {
                        budgets[i].check("o" + i, 1);
                        if (used[i] >= needed) ends[i] = "done";
                    } catch (TimeBudget.Starved e) {
                        ends[i] = "starved";
                    } catch (MediaException e) {
                        ends[i] = "limit_exceeded";
                    }
                    if (ends[i] != null) running--;
                }
            }
        } finally {
            scopes.forEach(CpuAccount.Scope::close);
        }
        return ends[0];
    }

    static void spinCpu(java.lang.management.ThreadMXBean mx, long nanos) {
        long end = mx.getCurrentThreadCpuTime() + nanos;
        while (mx.getCurrentThreadCpuTime() < end) Thread.onSpinWait();
    }
}
