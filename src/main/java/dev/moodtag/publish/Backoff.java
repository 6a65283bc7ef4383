package dev.moodtag.publish;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt: exponential backoff with full jitter (a random wait between zero and
 * {@code initial × 2^(attempt-1)}, capped), so that many publishers turned away at once do not come back at once;
 * or the sink's {@code Retry-After} when it sent one, capped, because it knows better when it can take the event.
 */
final class Backoff {

    /**
     * The longest wait the sender can sleep, counted in nanoseconds by a long (about 292 years). A setting above it
     * (PT2562048H and more) means "as long as there is": converted as it was, it threw ArithmeticException in a sending
     * thread and ended the whole publish.
     */
    static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US)
            .withResolverStyle(ResolverStyle.STRICT);

    private final Duration initial, max, retryAfterMax;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1) */
    Backoff(Duration initial, Duration max, Duration retryAfterMax, DoubleSupplier random) {
        this.initial = atMostLongest(initial);
        this.max = atMostLongest(max);
        this.retryAfterMax = atMostLongest(retryAfterMax);
        this.random = random;
    }

    private static Duration atMostLongest(Duration d) {
        return d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first). */
    Duration after(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            Duration d = retryAfter.get();
            return d.isNegative() ? Duration.ZERO : d.compareTo(retryAfterMax) > 0 ? retryAfterMax : d;
        }
        // In doubles, which do not wrap; the cast to long saturates at LONGEST
        double ceiling = Math.min(max.toNanos(), initial.toNanos() * Math.pow(2, Math.min(attempt - 1, 40)));
        return Duration.ofNanos((long) (ceiling * random.getAsDouble()));
    }

    /** {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110); empty when absent or unreadable. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
        if (value.isEmpty() || value.get().isEmpty()) return Optional.empty();
        String v = value.get();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooLong) {
                // Still delay-seconds, only more than a long holds: the longest wait, which after() caps. Ignored, it
                // made the publisher come back within a second to a sink that had asked it to stay away.
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
            }
        }
        return httpDate(v, now).map(at -> Duration.between(now, at));
    }

    /**
     * IMF-fixdate, or one of the two obsolete forms RFC 9110 (5.6.7) has a recipient accept too: RFC 850's
     * ("Sunday, 06-Nov-94 08:49:37 GMT", whose two-digit year is the past century's when it would be more than 50
     * years ahead) and asctime's ("Sun Nov  6 08:49:37 1994", in GMT). Only the first was read, so a sink that gave
     * another had its wait ignored.
     */
    /**
     * RFC 850's form, its two-digit year read in the 100 years up to 50 ahead of {@code now}'s, so that the day's name
     * is checked against the right year.
     */
    private static DateTimeFormatter rfc850(Instant now) {
        int base = now.atOffset(ZoneOffset.UTC).getYear() - 49;
        return new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, base).appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);
    }

    private static Optional<Instant> httpDate(String v, Instant now) {
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException notImfFixdate) {
            // one of the obsolete forms, or none
        }
        try {
            return Optional.of(LocalDateTime.parse(v, rfc850(now)).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notRfc850) {
            // asctime's, or none
        }
        try {
            return Optional.of(LocalDateTime.parse(v, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException none) {
            return Optional.empty();
        }
    }
}
