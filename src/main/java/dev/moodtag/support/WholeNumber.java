package dev.moodtag.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A whole number within a range, read from a file or a message moodtag did not just write itself, or the words that
 * say what it is instead. Read with {@code asInt()} / {@code asLong()}, {@code "1"}, {@code 1.5}, {@code 1e0} and
 * {@code true} were all 1, a missing value was 0 (or the default given), and 2^32 + 1 was 1 as an int: each loaded as
 * a number nobody wrote. Here only an integral JSON number is one (any size: compared as it is written, never cut to
 * an int or a long), and in text only ASCII digits with an optional minus ({@link Integer#parseInt} also takes a
 * plus sign and the digits of every script, so {@code "٣"} was 3).
 */
public final class WholeNumber {
    private WholeNumber() {
    }

    /** At most 64 characters: a long has 19 digits, and BigInteger parses a cell of a million digits in quadratic time. */
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,63}");

    /**
     * The whole number {@code value} gives, from {@code min} to {@code max}, as an integral JSON number or, where
     * {@code orText}, a string of ASCII digits (GCS sends sizes so); empty for anything else, where a value that is no
     * such number means nothing rather than something wrong.
     */
    public static OptionalLong of(JsonNode value, long min, long max, boolean orText) {
        BigInteger n = read(value, orText);
        return n != null && inRange(n, min, max) ? OptionalLong.of(n.longValueExact()) : OptionalLong.empty();
    }

    /**
     * The whole number {@code value} gives, at least {@code min} and of any size, read as {@link #of} reads one: for a
     * number that only ever grows, such as a newer moodtag's version, where one past a long is still that number and
     * {@link #of} would call it none.
     */
    public static Optional<BigInteger> atLeast(JsonNode value, long min, boolean orText) {
        return Optional.ofNullable(read(value, orText)).filter(n -> n.compareTo(BigInteger.valueOf(min)) >= 0);
    }

    private static BigInteger read(JsonNode value, boolean orText) {
        return value == null ? null : value.isIntegralNumber() ? value.bigIntegerValue()
                : orText && value.isTextual() && DIGITS.matcher(value.asText()).matches() ? new BigInteger(value.asText()) : null;
    }

    /**
     * The whole number {@code value} gives, from {@code min} to {@code max}; anything else is refused with
     * {@code refusal} of words such as {@code 'innerFolds' must be a whole number from 2 to 1000, not 1.5} (or
     * {@code not missing}).
     */
    public static long within(JsonNode value, String key, long min, long max,
                              Function<String, ? extends RuntimeException> refusal) {
        OptionalLong n = of(value, min, max, false);
        if (n.isEmpty()) throw refusal.apply(mustBe(key, min, max) + shown(value));
        return n.getAsLong();
    }

    /**
     * The same for a cell of text (a CSV column): ASCII digits with an optional minus, nothing around them; refused as
     * {@code 'words' must be a whole number from 0 to 2147483647, not "+3"}.
     */
    public static long within(String text, String key, long min, long max,
                              Function<String, ? extends RuntimeException> refusal) {
        BigInteger n = text != null && DIGITS.matcher(text).matches() ? new BigInteger(text) : null;
        if (n == null || !inRange(n, min, max))
            throw refusal.apply(mustBe(key, min, max) + (text == null ? "missing" : "\"" + ShownText.visible(ShownText.shortened(text, 80)) + "\""));
        return n.longValueExact();
    }

    /**
     * A format (or version) number from {@code oldest} to {@code newest}, as {@code what} (the file, e.g. "model pack
     * manifest /p/pack.json") gave it under {@code key}; refused in words that say which this moodtag reads and, for a
     * newer number, that a newer moodtag reads it:
     * {@code <what>: 'format' must be a whole number (this moodtag reads formats 1 to 2), not "1"},
     * {@code <what> has format 3, newer than this moodtag reads formats 1 to 2: it was made for a newer moodtag, which reads it},
     * {@code <what> has format 0, which no moodtag wrote; this moodtag reads formats 1 to 2}.
     */
    public static int format(JsonNode value, String key, int oldest, int newest, String what,
                             Function<String, ? extends RuntimeException> refusal) {
        String readable = "this moodtag reads " + (oldest == newest ? key + " " + oldest : key + "s " + oldest + " to " + newest);
        if (value == null || !value.isIntegralNumber())
            throw refusal.apply(what + ": '" + key + "' must be a whole number (" + readable + "), not " + shown(value));
        BigInteger n = value.bigIntegerValue();
        if (n.compareTo(BigInteger.valueOf(newest)) > 0)
            throw refusal.apply(what + " has " + key + " " + n + ", newer than " + readable
                    + ": it was made for a newer moodtag, which reads it");
        if (n.compareTo(BigInteger.valueOf(oldest)) < 0)
            throw refusal.apply(what + " has " + key + " " + n + ", which no moodtag wrote; " + readable);
        return n.intValueExact();
    }

    /**
     * {@code mapper}, made to bind a record's {@code int} or {@code long} field only from an integral JSON number, as
     * {@link #within} reads one: Jackson by default cut {@code 4.7} to 4 and read {@code "4"} as 4, and a number
     * beyond the field's range it refuses itself. Returned for chaining.
     */
    public static ObjectMapper boundStrictly(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }

    private static boolean inRange(BigInteger n, long min, long max) {
        return n.compareTo(BigInteger.valueOf(min)) >= 0 && n.compareTo(BigInteger.valueOf(max)) <= 0;
    }

    private static String mustBe(String key, long min, long max) {
        return "'" + key + "' must be a whole number from " + min + " to " + max + ", not ";
    }

    /** The value as its JSON, bounded for a one-line message; "missing" where there is none. */
    private static String shown(JsonNode value) {
        if (value == null || value.isMissingNode()) return "missing";
        return ShownText.shortened(value.toString(), 80);
    }
}
