package dev.moodtag.encode;

/** Pooling of per-frame (per-token, per-window) vectors into one utterance vector. */
public final class Pooling {
    private Pooling() {
    }

    /**
     * Mean then standard deviation per column of a row-major [rows × cols] matrix: 2·cols values. Std uses the
     * population formula, so a single row gives zeros rather than NaN.
     */
    public static float[] meanStd(float[] data, int rows, int cols) {
        checkShape(data, rows, cols);
        float[] out = new float[2 * cols];
        double[] sum = new double[cols];
        double[] sq = new double[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                double v = data[base + c];
                sum[c] += v;
                sq[c] += v * v;
            }
        }
        for (int c = 0; c < cols; c++) {
            double mean = sum[c] / rows;
            out[c] = (float) mean;
            out[cols + c] = (float) Math.sqrt(Math.max(0, sq[c] / rows - mean * mean));
        }
        return out;
    }

    /** Mean per column of a row-major [rows × cols] matrix. */
    public static float[] mean(float[] data, int rows, int cols) {
        checkShape(data, rows, cols);
        double[] sum = new double[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) sum[c] += data[base + c];
        }
        float[] out = new float[cols];
        for (int c = 0; c < cols; c++) out[c] = (float) (sum[c] / rows);
        return out;
    }

    /** Mean over the rows whose mask is non-zero (padding tokens excluded). */
    public static float[] maskedMean(float[] data, int rows, int cols, long[] mask) {
        checkShape(data, rows, cols);
        double[] sum = new double[cols];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (mask[r] == 0) continue;
            n++;
            int base = r * cols;
            for (int c = 0; c < cols; c++) sum[c] += data[base + c];
        }
        float[] out = new float[cols];
        if (n == 0) return out;
        for (int c = 0; c < cols; c++) out[c] = (float) (sum[c] / n);
        return out;
    }

    /** Scales v to unit length in place and returns it (a zero vector stays zero). */
    public static float[] l2Normalize(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        if (s == 0) return v;
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }

    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("length " + a.length + " != " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** Concatenates vectors end to end. */
    public static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void checkShape(float[] data, int rows, int cols) {
        if (rows <= 0 || cols <= 0 || data.length < rows * cols)
            throw new IllegalArgumentException("need " + rows + "x" + cols + " values, have " + data.length);
    }
}
