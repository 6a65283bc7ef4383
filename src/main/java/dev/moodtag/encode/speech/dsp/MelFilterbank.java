package dev.moodtag.encode.speech.dsp;

/**
 * Triangular filters equally spaced on the HTK mel scale (2595·log10(1 + f/700)), applied to a power spectrum.
 * Immutable.
 */
public final class MelFilterbank {

    private final int[] firstBin;
    private final float[][] weights;

    public MelFilterbank(int bands, int fftSize, int sampleRate, double minHz, double maxHz) {
        int bins = fftSize / 2 + 1;
        double binHz = sampleRate / (double) fftSize;
        double lo = mel(minHz), hi = mel(Math.min(maxHz, sampleRate / 2.0));
        double[] edges = new double[bands + 2];
        for (int i = 0; i < edges.length; i++) edges[i] = hz(lo + (hi - lo) * i / (bands + 1));
        firstBin = new int[bands];
        weights = new float[bands][];
        for (int b = 0; b < bands; b++) {
            double left = edges[b], centre = edges[b + 1], right = edges[b + 2];
            int from = Math.max(0, (int) Math.ceil(left / binHz));
            int to = Math.min(bins - 1, (int) Math.floor(right / binHz));
            float[] w = new float[Math.max(0, to - from + 1)];
            for (int k = from; k <= to; k++) {
                double f = k * binHz;
                w[k - from] = (float) Math.max(0, f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre));
            }
            firstBin[b] = from;
            weights[b] = w;
        }
    }

    public int bands() {
        return weights.length;
    }

    /** Band energies of {@code power} into {@code out}. */
    public void apply(float[] power, double[] out) {
        for (int b = 0; b < weights.length; b++) {
            float[] w = weights[b];
            int from = firstBin[b];
            double s = 0;
            for (int k = 0; k < w.length; k++) s += w[k] * power[from + k];
            out[b] = s;
        }
    }

    static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }
}
