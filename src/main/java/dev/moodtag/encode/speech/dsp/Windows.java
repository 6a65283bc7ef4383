package dev.moodtag.encode.speech.dsp;

/** Analysis windows. */
public final class Windows {
    private Windows() {
    }

    /** Periodic Hann window (the spectral-analysis form: overlapping frames at hop n/2 sum to a constant). */
    public static double[] hann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        return w;
    }
}
