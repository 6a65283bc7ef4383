package dev.moodtag.support;

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

/**
 * A {@code Retry-After} value as RFC 9110 (10.2.3) writes it: delay-seconds or an HTTP-date, in any of the three forms a
 * recipient accepts (5.6.7). Read in one place for every peer that sends one: a CloudEvents sink moodtag publishes to,
 * and an S3 store, whose SDK reads delay-seconds alone.
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US)
            .withResolverStyle(ResolverStyle.STRICT);

    /** The wait {@code value} asks for from {@code now} (negative for a date past); empty when blank or unreadable. */
    public static Optional<Duration> of(String value, Instant now) {
        if (value == null || value.isBlank()) return Optional.empty();
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooLong) {
                // Still delay-seconds, only more than a long holds: the longest wait, which a caller caps. Ignored, it
                // made the publisher come back within a second to a sink that had asked it to stay away.
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
            }
        }
        return httpDate(v, now).map(at -> Duration.between(now, at));
    }

    /** Whether {@code value} is delay-seconds (digits alone), the form every HTTP client reads. */
    public static boolean inSeconds(String value) {
        String v = value == null ? "" : value.trim();
        return !v.isEmpty() && v.chars().allMatch(Character::isDigit);
    }

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

    /**
     * IMF-fixdate, or one of the two obsolete forms RFC 9110 (5.6.7) has a recipient accept too: RFC 850's
     * ("Sunday, 06-Nov-94 08:49:37 GMT", whose two-digit year is the past century's when it would be more than 50
     * years ahead) and asctime's ("Sun Nov  6 08:49:37 1994", in GMT). Only the first was read, so a sink that gave
     * another had its wait ignored.
     */
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
