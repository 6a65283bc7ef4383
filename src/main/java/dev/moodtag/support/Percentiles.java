package dev.moodtag.support;

import java.util.Arrays;

/**
 * Percentiles by linear interpolation between the closest ranks (numpy's and R's default), the one definition used
 * for acoustic features and benchmark figures alike.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * Percentile {@code p} of values already in ascending order; NaN when there are none.
     *
     * @param p 0 to 100
     */
    public static double ofSorted(double[] sorted, double p) {
        if (!(p >= 0 && p <= 100)) throw new IllegalArgumentException("percentile " + p + " is not within 0 to 100");
        if (sorted.length == 0) return Double.NaN;
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double f = pos - lo, spread = sorted[hi] - sorted[lo];
        // Values more than Double.MAX_VALUE apart overflow the spread; weighting each end keeps the result finite
        // (and exact at either end) without changing the arithmetic, bit for bit, for every other input.
        if (Double.isInfinite(spread) && Double.isFinite(sorted[lo]) && Double.isFinite(sorted[hi]))
            return f == 0 ? sorted[lo] : sorted[lo] * (1 - f) + sorted[hi] * f;
        return sorted[lo] + f * spread;
    }

    /** As {@link #ofSorted}, for values in any order; the caller's array is left as it is. */
    public static double of(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return ofSorted(sorted, p);
    }

    public static double median(double[] values) {
        return of(values, 50);
    }
}
