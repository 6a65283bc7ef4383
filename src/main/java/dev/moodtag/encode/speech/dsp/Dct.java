package dev.moodtag.encode.speech.dsp;

/** Orthonormal DCT-II as a precomputed matrix (small sizes: cepstra of a mel filterbank). Immutable. */
public final class Dct {

    private final double[][] basis;

    /** The first {@code outputs} coefficients of an {@code inputs}-point DCT-II. */
    public Dct(int inputs, int outputs) {
        basis = new double[outputs][inputs];
        for (int k = 0; k < outputs; k++) {
            double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / inputs);
            for (int n = 0; n < inputs; n++) basis[k][n] = scale * Math.cos(Math.PI * k * (n + 0.5) / inputs);
        }
    }

    public void apply(double[] in, double[] out) {
        for (int k = 0; k < basis.length; k++) {
            double s = 0;
            double[] row = basis[k];
            for (int n = 0; n < row.length; n++) s += row[n] * in[n];
            out[k] = s;
        }
    }
}
