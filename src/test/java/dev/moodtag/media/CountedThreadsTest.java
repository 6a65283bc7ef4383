package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
