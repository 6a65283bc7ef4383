package dev.moodtag.support;

import java.time.Duration;
import java.util.Optional;

/**
 * The range checks that settings share, each giving the words of a {@link SettingOutOfRange} for one key (named as
 * the caller writes it), or empty when the value is in range. A check that a caller collects with the others of its
 * mapping, so that one refusal names every key out of range. Command-line options say theirs in the same words,
 * named as written ({@code --workers}), as a refused option (exit code 2) where a setting's refusal is a start refusal.
 */
public final class SettingRange {

    private SettingRange() {
    }

    /**
     * A duration above zero and at most {@code max}: zero or less was refused by what used it only at its first use, and
     * past what a long counts in milliseconds or nanoseconds it failed every use with an ArithmeticException.
     *
     * @return "NAME must be positive and at most MAX, not VALUE", or empty
     */
    public static Optional<String> positiveAtMost(String name, Duration value, Duration max) {
        return value.isNegative() || value.isZero() || value.compareTo(max) > 0
                ? Optional.of(name + " must be positive and at most " + max + ", not " + value)
                : Optional.empty();
    }

    /** @return "NAME must be within MIN..MAX, not VALUE", or empty */
    public static Optional<String> within(String name, long value, long min, long max) {
        return value < min || value > max ? Optional.of(outside(name, min, max, value)) : Optional.empty();
    }

    /** @return "NAME must be within MIN..MAX, not VALUE" (durations in ISO-8601), or empty */
    public static Optional<String> within(String name, Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 || value.compareTo(max) > 0 ? Optional.of(outside(name, min, max, value))
                : Optional.empty();
    }

    /** @return "NAME must be at least MIN, not VALUE", or empty */
    public static Optional<String> atLeast(String name, long value, long min) {
        return value < min ? Optional.of(name + " must be at least " + min + ", not " + value) : Optional.empty();
    }

    /** @return "NAME must be at least MIN, not VALUE" (durations in ISO-8601), or empty */
    public static Optional<String> atLeast(String name, Duration value, Duration min) {
        return value.compareTo(min) < 0 ? Optional.of(name + " must be at least " + min + ", not " + value) : Optional.empty();
    }

    /**
     * A number read from a command line or a file, where NaN and the infinities parse as readily as 0.5: NaN is
     * outside every range.
     *
     * @return "NAME must be within MIN..MAX, not VALUE" (the bounds as written, 0..1), or empty
     */
    public static Optional<String> within(String name, double value, double min, double max) {
        return value >= min && value <= max ? Optional.empty() : Optional.of(outside(name, plain(min), plain(max), value));
    }

    /** @return "NAME must be above MIN and at most MAX, not VALUE" (NaN is neither), or empty */
    public static Optional<String> aboveAtMost(String name, double value, double min, double max) {
        return value > min && value <= max ? Optional.empty()
                : Optional.of(name + " must be above " + plain(min) + " and at most " + plain(max) + ", not " + value);
    }

    /** A bound as a user writes it: 0 and 1, not 0.0 and 1.0. */
    private static String plain(double bound) {
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound) : Double.toString(bound);
    }

    private static String outside(String name, Object min, Object max, Object value) {
        return name + " must be within " + min + ".." + max + ", not " + value;
    }
}
