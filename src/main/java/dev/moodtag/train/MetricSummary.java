package dev.moodtag.train;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Mean and standard deviation of one metric over folds (sample standard deviation, n − 1; 0 for a single fold).
 */
public record MetricSummary(double mean, double std) {

    public static MetricSummary over(List<Metrics> folds, ToDoubleFunction<Metrics> metric) {
        double[] v = folds.stream().mapToDouble(metric).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) return new MetricSummary(Double.NaN, Double.NaN);
        double mean = 0;
        for (double d : v) mean += d;
        mean /= v.length;
        double ss = 0;
        for (double d : v) ss += (d - mean) * (d - mean);
        return new MetricSummary(mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0);
    }

    public String percent() {
        return String.format(java.util.Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std);
    }
}
