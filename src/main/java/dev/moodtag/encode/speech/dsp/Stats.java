package dev.moodtag.encode.speech.dsp;

import dev.moodtag.support.Percentiles;

import java.util.Arrays;

/**
 * Statistics over a set of frame values. Every statistic of an empty set is 0, never NaN, so a feature vector
 * stays finite when, say, no frame is voiced (the "how much" features then say why).
 */
public final class Stats {
    private Stats() {
    }

    /** The values where {@code mask} is true. */
    public static double[] select(double[] values, boolean[] mask) {
        int n = 0;
        for (int i = 0; i < values.length; i++) if (mask[i]) n++;
        double[] out = new double[n];
        for (int i = 0, j = 0; i < values.length; i++) if (mask[i]) out[j++] = values[i];
        return out;
    }

    public static double mean(double[] v) {
        if (v.length == 0) return 0;
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Population standard deviation. */
    public static double std(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / v.length);
    }

    /**
     * Percentile {@code p} (0–100) with linear interpolation; {@code sorted} must be ascending. 0 for no values: a
     * feature of a clip without voiced frames is a number the classifier can use, not NaN.
     */
    public static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : Percentiles.ofSorted(sorted, p);
    }

    public static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    /** Least-squares slope of y over x; 0 with fewer than two points or no spread in x. */
    public static double slope(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) return 0;
        double mx = mean(x), my = mean(y), sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx > 0 ? sxy / sxx : 0;
    }

    /** 10·log10(x) with a floor, so silence gives a large negative number rather than −∞. */
    public static double db(double power) {
        return 10 * Math.log10(Math.max(power, 1e-12));
    }

    /** Runs of consecutive true values within [from, to) as (start, length) pairs. */
    public static int[][] runs(boolean[] flags, int from, int to) {
        int[][] tmp = new int[Math.max(0, (to - from + 1) / 2 + 1)][];
        int n = 0;
        int i = from;
        while (i < to) {
            if (!flags[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < to && flags[j]) j++;
            tmp[n++] = new int[]{i, j - i};
            i = j;
        }
        return Arrays.copyOf(tmp, n);
    }
}
