package dev.moodtag.tagging;

/** Stage timings as reported in results and metrics: milliseconds with two decimals. */
final class Timings {

    private Timings() {
    }

    static double ms(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e4) / 100.0;
    }

    static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
