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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
     * RFC 9110 (5.6.7) has a recipient of an HTTP-date accept its two obsolete forms too, RFC 850's and asctime's: both
     * were unreadable, so a sink that gave one had its wait ignored and was called again after the publisher's own
     * backoff. A two-digit year more than 50 years ahead is the past century's, as the RFC says, and the day's name
     * must match.
     */
    @Test
    void retryAfterReadsTheObsoleteHttpDateFormsToo() {
        Instant now = Instant.parse("2026-12-03T18:00:00Z");
        Map<String, Long> seconds = new java.util.LinkedHashMap<>();
        seconds.put("Thu, 03 Dec 2026 18:01:30 GMT", 90L);
        seconds.put("Thursday, 03-Dec-26 18:01:30 GMT", 90L);
        seconds.put("Thursday, 03-Dec-26 17:59:00 GMT", -60L);
        seconds.put("Thu Dec  3 18:01:30 2026", 90L);
        seconds.put("Thu Dec 31 18:00:00 2026", 28L * 86_400);
        seconds.put("Thursday, 03-Dec-76 18:00:00 GMT", 18_263L * 86_400); // 2076: not more than 50 years ahead
        seconds.put("Friday, 02-Dec-77 18:00:00 GMT", -17_898L * 86_400); // 1977: 2077 would be over 50 years ahead
        for (Map.Entry<String, Long> e : seconds.entrySet())
            assertEquals(Optional.of(Duration.ofSeconds(e.getValue())), Backoff.retryAfter(headers(e.getKey()), now), e.getKey());
        for (String bad : List.of("Thursday, 33-Dec-26 18:01:30 GMT", "Thu Dec 3 18:01:30", "Thu Dex  3 18:01:30 2026",
                "Thursday, 03-Dec-2026 18:01:30 GMT", "Thu Dec  3 25:01:30 2026", "Monday, 03-Dec-26 18:01:30 GMT"))
            assertTrue(Backoff.retryAfter(headers(bad), now).isEmpty(), "'" + bad + "' is not a Retry-After");
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

    /**
     * Settings and attempt numbers at the extremes (a backoff of PT2562048H or more, past the 292 years a long counts in
     * nanoseconds; Duration's largest; a Retry-After of Long.MAX_VALUE seconds under such a retry-after-max): each wait
     * is a duration the sender can sleep for in nanoseconds, never negative, never above its cap, and the ceiling never
     * falls as attempts grow. Converted to nanoseconds, it threw ArithmeticException in a sending thread, which ended
     * the whole publish as "publish worker failed".
     */
    @Test
    void extremeSettingsAndAttemptNumbersGiveAWaitTheSenderCanSleep() {
        Duration[] settings = {Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(500), Duration.ofHours(2562047),
                Duration.ofHours(2562048), Duration.ofSeconds(Long.MAX_VALUE / 2), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)};
        int[] attempts = {1, 2, 3, 40, 41, 42, 63, 64, 65, 1000, Integer.MAX_VALUE};
        for (Duration initial : settings)
            for (Duration max : settings)
                for (double random : new double[]{0.0, 0.5, 0.999999}) {
                    Backoff b = new Backoff(initial, max, max, () -> random);
                    String shown = "initial " + initial + ", max " + max + ", random " + random;
                    long previous = 0;
                    for (int attempt : attempts) {
                        Duration d = waitOf(() -> b.after(attempt, Optional.empty()), shown + ", attempt " + attempt);
                        long nanos = nanos(d, shown + ", attempt " + attempt);
                        assertTrue(nanos >= previous || random == 0.0, shown + ", attempt " + attempt + ": " + d + " after " + previous + " ns");
                        assertTrue(d.compareTo(max) <= 0, shown + ", attempt " + attempt + ": " + d + " is above the maximum");
                        previous = nanos;
                    }
                    for (Duration retryAfter : new Duration[]{Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MIN_VALUE),
                            Duration.ofHours(2562048), Duration.ofSeconds(7)}) {
                        String ra = shown + ", Retry-After " + retryAfter;
                        Duration d = waitOf(() -> b.after(1, Optional.of(retryAfter)), ra);
                        nanos(d, ra);
                        assertTrue(d.compareTo(max) <= 0, ra + ": " + d + " is above retry-after-max");
                    }
                }
    }

    private static Duration waitOf(java.util.function.Supplier<Duration> after, String shown) {
        try {
            return after.get();
        } catch (ArithmeticException e) {
            throw new AssertionError(shown + ": " + e, e);
        }
    }

    /** The wait as the sender sleeps it. */
    private static long nanos(Duration d, String shown) {
        assertFalse(d.isNegative(), shown + ": " + d);
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            throw new AssertionError(shown + ": the sender cannot sleep " + d + " (" + e.getMessage() + ")", e);
        }
    }

    private static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }
}
