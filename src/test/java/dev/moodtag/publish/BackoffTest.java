package dev.moodtag.publish;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backoff and the sink's Retry-After, which comes from outside: every shape a server may send. */
class BackoffTest {

    private static final Duration INITIAL = Duration.ofMillis(500), MAX = Duration.ofSeconds(30), RA_MAX = Duration.ofSeconds(60);

    @Test
    void theCeilingDoublesPerAttemptUpToTheMaximumAndJitterSpansZeroToIt() {
        Backoff top = new Backoff(INITIAL, MAX, RA_MAX, () -> 0.999999);
        Backoff bottom = new Backoff(INITIAL, MAX, RA_MAX, () -> 0.0);
        long[] expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            assertEquals(expected[attempt - 1], top.after(attempt, Optional.empty()).toMillis(), 1, "attempt " + attempt);
            assertEquals(Duration.ZERO, bottom.after(attempt, Optional.empty()));
        }
        assertEquals(MAX.toMillis(), top.after(10_000, Optional.empty()).toMillis(), 1, "no overflow on a huge attempt number");
    }

    @Test
    void retryAfterIsHonouredAndCapped() {
        Backoff b = new Backoff(INITIAL, MAX, RA_MAX, () -> 0.5);
        assertEquals(Duration.ofSeconds(7), b.after(1, Optional.of(Duration.ofSeconds(7))));
        assertEquals(RA_MAX, b.after(1, Optional.of(Duration.ofHours(3))));
        assertEquals(Duration.ZERO, b.after(1, Optional.of(Duration.ofSeconds(-5))), "a date in the past means now");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDatesAndIgnoresAnythingElse() {
        Instant now = Instant.parse("2026-12-03T18:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(5)), Backoff.retryAfter(headers("5"), now));
        assertEquals(Optional.of(Duration.ofSeconds(0)), Backoff.retryAfter(headers(" 0 "), now));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(90).atOffset(ZoneOffset.UTC));
        assertEquals(Optional.of(Duration.ofSeconds(90)), Backoff.retryAfter(headers(date), now));
        for (String bad : List.of("", "soon", "-3", "1.5", "Thu, 99 Dec 2026 00:00:00 GMT"))
            assertTrue(Backoff.retryAfter(headers(bad), now).isEmpty(), "'" + bad + "' is not a Retry-After");
        assertTrue(Backoff.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true), now).isEmpty());
    }

    /**
     * More seconds than a long holds is still a number of seconds, the longest wait there is: it was ignored, and the
     * publisher came back after its own backoff (0.5 s for the first retry) to a sink that had asked for the most.
     */
    @Test
    void aRetryAfterTooLargeForALongIsTheLongestWaitNotIgnored() {
        Backoff b = new Backoff(INITIAL, MAX, RA_MAX, () -> 0.5);
        Instant now = Instant.parse("2026-12-03T18:00:00Z");
        assertEquals(RA_MAX, b.after(1, Backoff.retryAfter(headers("99999999999999999999999"), now)));
        assertEquals(RA_MAX, b.after(1, Backoff.retryAfter(headers(String.valueOf(Long.MAX_VALUE)), now)));
    }

    private static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }
}
