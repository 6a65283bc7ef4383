package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which threads' CPU time an object's account counts, and for how long, with the threads' clocks driven by hand
 * ({@link HandThreadClocks}) and no share of the process's (its clock unknown): what a thread used stays counted when
 * it ends, and a thread counts for the object it works for now, not every object it ever checked a budget of.
 */
class CountedThreadsTest {

    private static final long S = 1_000_000_000L, MS = 1_000_000L;

    /** Accounts that get no share of the process's CPU time: what they count is their threads' alone. */
    private static CpuAccount account(HandThreadClocks clocks) {
        return CpuAccount.start(new CpuAccount.InFlight(() -> -1), clocks);
    }

    /**
     * FFmpeg's codec threads that end before their count's scope closes, or between two readings: what a reading saw
     * them use stays counted (it was lost: the count fell back, and an expensive film could be starved and retried).
     */
    @Test
    void aCodecThreadsCpuTimeStaysCountedWhenItEnds() {
        HandThreadClocks clocks = new HandThreadClocks().codec("7", S).codec("8", S);
        CpuAccount film = account(clocks);
        CpuAccount.Scope counted = film.countCodecThreads(Set.of("7", "8"));
        clocks.codec("7", 3 * S).codec("8", 2 * S);
        assertEquals(3 * S, film.nanos());
        clocks.codec("7", -1); // ended after that reading
        assertEquals(3 * S, film.nanos(), "thread 7's 2 s once it ended");
        clocks.codec("8", 4 * S);
        assertEquals(5 * S, film.nanos());
        clocks.codec("8", -1); // ended before its scope closed
        counted.close();
        assertEquals(5 * S, film.nanos(), "after the scope closed on ended threads");
    }

    /** A JVM thread counted without a scope (a caller decoding with a budget directly) that ends keeps its count. */
    @Test
    void anEnrolledThreadsCpuTimeStaysCountedWhenItEnds() throws Exception {
        HandThreadClocks clocks = new HandThreadClocks();
        CpuAccount account = account(clocks);
        Thread worker = new Thread(account::enrol);
        clocks.jvm(worker.getId(), 0);
        worker.start();
        worker.join();
        clocks.jvm(worker.getId(), 700 * MS);
        assertEquals(700 * MS, account.nanos());
        clocks.jvm(worker.getId(), -1);
        assertEquals(700 * MS, account.nanos(), "the ended thread's 700 ms");
    }

    /**
     * The verdict of an expensive film whose codec threads did the work and ended between readings: 5 s of CPU time
     * for 4 s allowed is limit_exceeded, not starved (it was counted 1 s, ran on to the cap and was retried).
     */
    @Test
    void anExpensiveFilmWhoseCodecThreadsEndedIsNotStarved() {
        HandThreadClocks clocks = new HandThreadClocks();
        CpuAccount film = account(clocks);
        AtomicLong wall = new AtomicLong();
        TimeBudget budget = TimeBudget.start(Duration.ofSeconds(4), 0, 4, wall::get, film, film.clock());
        try (CpuAccount.Scope decoding = film.charge(); CpuAccount.Scope codec = film.countCodecThreads(Set.of("41", "42"))) {
            wall.set(4 * S + 1);
            clocks.current(S / 2).codec("41", S).codec("42", S / 2);
            budget.check("film.mp4", 1); // 2 s of CPU time: starving
            wall.set(4 * S + S / 2);
            clocks.codec("41", 2 * S).codec("42", S);
            budget.check("film.mp4", 1); // 3.5 s: starving
            clocks.codec("41", -1).codec("42", 1600 * MS); // 41 ended after its 2 s; 4.1 s in all
            MediaException e = assertThrows(MediaException.class, () -> {
                wall.set(5 * S);
                budget.check("film.mp4", 1);
                wall.set(17 * S);
                budget.check("film.mp4", 1);
            });
            assertFalse(e instanceof TimeBudget.Starved, e.getMessage());
        }
    }

    /**
     * A thread that checked one object's budget without a scope and then works for another (a pool thread decoding
     * objects one after another with their budgets directly) counts for the one it works for now: it counted for the
     * first for the account's life, which charged it the second's work too and counted that work twice.
     */
    @Test
    void aThreadEnrolledForOneObjectIsNotCountedForItWhileItWorksForAnother() throws Exception {
        HandThreadClocks clocks = new HandThreadClocks();
        CpuAccount first = account(clocks), second = account(clocks);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            long id = pool.submit(() -> Thread.currentThread().getId()).get();
            clocks.jvm(id, 10 * S);
            pool.submit(first::enrol).get();
            clocks.jvm(id, 11 * S);
            pool.submit(second::enrol).get();
            clocks.jvm(id, 16 * S);
            assertEquals(S, first.nanos(), "the first object's second of work, not the second's five");
            assertEquals(5 * S, second.nanos());

            // a charged task for a third object ends the thread's enrolment in the second
            CpuAccount third = account(clocks);
            pool.submit(() -> {
                try (CpuAccount.Scope s = third.charge()) {
                    clocks.jvm(id, 19 * S);
                    second.enrol(); // a check of another object's budget inside this scope counts nothing there
                }
            }).get();
            clocks.jvm(id, 30 * S);
            assertEquals(S, first.nanos());
            assertEquals(5 * S, second.nanos());
            assertEquals(3 * S, third.nanos());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Random interleavings of one pool thread enrolling in up to 6 objects and running tasks charged to them (checking
     * other objects' budgets inside): each stretch of its CPU time is counted once, for the object it worked for then
     * (a charged task's object, else the one it last enrolled in unless a charged task came since), and by no other.
     */
    @Test
    void aThreadsCpuTimeIsCountedOnceByTheObjectItWorksFor() throws Exception {
        Random random = new Random(20261206);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            long id = pool.submit(() -> Thread.currentThread().getId()).get();
            for (int round = 0; round < 100; round++) {
                HandThreadClocks clocks = new HandThreadClocks();
                int n = 1 + random.nextInt(6);
                CpuAccount[] accounts = new CpuAccount[n];
                long[] expected = new long[n];
                for (int i = 0; i < n; i++) accounts[i] = account(clocks);
                AtomicLong clock = new AtomicLong();
                int enrolled = -1;
                for (int step = 0; step < 40; step++) {
                    int next = random.nextInt(n), other = random.nextInt(n);
                    long spent = random.nextInt(1000) * MS;
                    if (random.nextBoolean()) {
                        pool.submit(accounts[next]::enrol).get();
                        enrolled = next;
                        clocks.jvm(id, clock.addAndGet(spent));
                        expected[next] += spent;
                    } else {
                        pool.submit(() -> {
                            try (CpuAccount.Scope s = accounts[next].charge()) {
                                accounts[other].enrol();
                                clocks.jvm(id, clock.addAndGet(spent));
                            }
                        }).get();
                        expected[next] += spent;
                        if (enrolled != next) enrolled = -1;
                        long idle = random.nextInt(1000) * MS; // after the task, for the object it is enrolled in
                        clocks.jvm(id, clock.addAndGet(idle));
                        if (enrolled >= 0) expected[enrolled] += idle;
                    }
                }
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i], accounts[i].nanos(), "round " + round + ", object " + i);
                    sum += accounts[i].nanos();
                }
                assertTrue(sum <= clock.get(), "counted " + sum + " of the thread's " + clock.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Threads a decoder's opening started that bore their creator's name still: counted from 0 once they bear
     * FFmpeg's name, as all they ran came after the opening began, and never once they bear another (a JVM thread
     * started meanwhile).
     */
    @Test
    void aThreadTheOpeningStartedCountsOnceItBearsFfmpegsName() {
        HandThreadClocks clocks = new HandThreadClocks().codec("71", S).name("72", "java").name("73", "java");
        CpuAccount film = account(clocks);
        CpuAccount.Scope counted = film.countCodecThreads(new CodecThreads.Started(Set.of("71"), Set.of("72", "73"), "java"));
        clocks.codec("71", 3 * S).codec("72", 2 * S).codec("73", 9 * S);
        assertEquals(2 * S, film.nanos(), "72 and 73 not named yet");
        clocks.name("72", "av:h264:df1").name("73", "moodtag-decode");
        assertEquals(4 * S, film.nanos(), "72's 2 s since it started");
        assertEquals(Set.of("71", "72"), film.codecThreadIds());
        clocks.codec("72", 5 * S);
        counted.close();
        assertEquals(7 * S, film.nanos());
    }

    /**
     * A decoder's codec threads are counted though they have not named themselves yet when its opening ends: a
     * thread FFmpeg starts bears its creator's name ("java") until it runs, and on a loaded machine one of an 8K
     * film's three frame threads still did when they were listed, so its work was no object's. Spinning threads keep
     * the cores busy here, as a loaded machine does; each of 20 openings must count every FFmpeg thread it started.
     */
    @Test
    void aDecodersCodecThreadsAreCountedThoughTheyHaveNotNamedThemselvesYet() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(CpuAccount.MEASURED && CodecThreads.READABLE, "no thread CPU time or /proc");
        java.nio.file.Path film = HostileMedia.video8k(java.nio.file.Files.createDirectories(
                java.nio.file.Path.of("target", "counted-threads")), 1);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Thread> spinners = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) Thread.onSpinWait();
            });
            t.setDaemon(true);
            t.start();
            spinners.add(t);
        }
        int missed = 0, started = 0;
        try {
            for (int i = 0; i < 20; i++) {
                CpuAccount account = CpuAccount.start();
                TimeBudget budget = TimeBudget.start(Duration.ofHours(1), 0, 4, System::nanoTime, account, account.clock());
                Set<String> before = CodecThreads.running();
                org.bytedeco.javacv.FFmpegFrameGrabber grabber = new org.bytedeco.javacv.FFmpegFrameGrabber(film.toFile());
                try (CpuAccount.Scope counted = budget.startCounted(grabber)) {
                    Set<String> ffmpegs = Set.of();
                    for (long until = System.nanoTime() + 5 * S; System.nanoTime() < until; Thread.sleep(5)) {
                        ffmpegs = ffmpegThreadsSince(before);
                        if (!ffmpegs.isEmpty() && ffmpegs.size() == newThreads(before).size()) break;
                    }
                    started += ffmpegs.size();
                    java.util.Set<String> missing = new java.util.HashSet<>(ffmpegs);
                    missing.removeAll(account.codecThreadIds());
                    missed += missing.size();
                } finally {
                    grabber.release();
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : spinners) t.join();
        }
        assertTrue(started > 0, "no codec threads were started");
        assertEquals(0, missed, missed + " of the " + started + " codec threads started were not counted");
    }

    /** The threads started since {@code before} that are named as FFmpeg names its own. */
    private static Set<String> ffmpegThreadsSince(Set<String> before) {
        Set<String> named = new java.util.HashSet<>();
        for (String id : newThreads(before)) {
            String name = CodecThreads.name(id);
            if (name != null && CodecThreads.isCodecThread(name)) named.add(id);
        }
        return named;
    }

    private static Set<String> newThreads(Set<String> before) {
        Set<String> now = new java.util.HashSet<>(CodecThreads.running());
        now.removeAll(before);
        return now;
    }
}
