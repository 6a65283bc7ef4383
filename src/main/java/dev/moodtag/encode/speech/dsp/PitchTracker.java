package dev.moodtag.encode.speech.dsp;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Arrays;

/**
 * YIN pitch tracking (de Cheveigné &amp; Kawahara 2002) with the difference function computed through an FFT
 * cross-correlation, so a frame costs three 1024-point real FFTs instead of O(window · maxLag) multiply-adds.
 * <p>
 * Frame {@code i} is centred where the analysis frame {@code i} of the given {@link Framing} is centred; its YIN
 * integration window is {@link #window} samples, compared with copies shifted by up to one period of
 * {@code minHz}. The first dip of the cumulative-mean-normalised difference below {@code threshold} is taken
 * (the rule that avoids sub-octave errors), refined by parabolic interpolation. Frames without such a dip,
 * frames the caller marks ineligible (too quiet) and voiced runs shorter than {@link #MIN_VOICED_RUN} frames are
 * unvoiced (F0 = 0).
 * <p>
 * Immutable: FFT plans and buffers are made per call, so one instance serves all threads.
 */
public final class PitchTracker {

    /** Voiced runs shorter than this many frames are dropped as spurious. */
    public static final int MIN_VOICED_RUN = 3;

    private final int sampleRate, window, minLag, maxLag;
    private final double threshold;

    /**
     * @param window    YIN integration window in samples (400 = 25 ms at 16 kHz)
     * @param threshold YIN absolute threshold on the normalised difference (0.1–0.2 usual)
     */
    public PitchTracker(int sampleRate, double minHz, double maxHz, int window, double threshold) {
        if (!(minHz > 0 && maxHz > minHz)) throw new IllegalArgumentException("need 0 < minHz < maxHz");
        this.sampleRate = sampleRate;
        this.window = window;
        this.minLag = Math.max(2, (int) Math.floor(sampleRate / maxHz));
        this.maxLag = (int) Math.ceil(sampleRate / minHz);
        this.threshold = threshold;
    }

    /**
     * Per-frame F0 in Hz (0 = unvoiced) and periodicity (the normalised autocorrelation at the chosen lag, 0 when
     * unvoiced; it gives the harmonics-to-noise ratio).
     */
    public record Track(double[] f0, double[] periodicity) {
        public int frames() {
            return f0.length;
        }

        public boolean voiced(int i) {
            return f0[i] > 0;
        }
    }

    /** @param eligible frames worth analysing (e.g. not silent); null for all */
    public Track track(float[] x, Framing framing, boolean[] eligible) {
        int frames = framing.count(x.length);
        int span = window + maxLag + 2; // lags up to maxLag + 1 for the parabola
        int n = Integer.highestOneBit(span - 1) << 1;
        DoubleFFT_1D fft = new DoubleFFT_1D(n);
        double[] a = new double[n], b = new double[n], seg = new double[span], sq = new double[span + 1];
        double[] d = new double[maxLag + 2], dn = new double[maxLag + 2];
        double[] f0 = new double[frames], periodicity = new double[frames];
        for (int i = 0; i < frames; i++) {
            if (eligible != null && !eligible[i]) continue;
            int from = (int) Math.round(framing.centre(i) - span / 2.0);
            for (int j = 0; j < span; j++) {
                int k = from + j;
                seg[j] = k >= 0 && k < x.length ? x[k] : 0;
                sq[j + 1] = sq[j] + seg[j] * seg[j];
            }
            double e0 = sq[window];
            if (e0 <= 1e-12) continue;
            difference(fft, seg, sq, a, b, d);
            int lag = firstDip(d, dn);
            if (lag < 0) continue;
            double shift = parabolicShift(dn, lag);
            f0[i] = sampleRate / (lag + shift);
            double energies = e0 + (sq[lag + window] - sq[lag]);
            periodicity[i] = energies > 0 ? Math.max(0, Math.min(1, 1 - d[lag] / energies)) : 0;
        }
        dropShortRuns(f0, periodicity);
        return new Track(f0, periodicity);
    }

    /** d(τ) = Σ_{j<W} (x_j − x_{j+τ})² = E(0) + E(τ) − 2·r(τ) for τ ≤ maxLag+1, r by FFT cross-correlation. */
    private void difference(DoubleFFT_1D fft, double[] seg, double[] sq, double[] a, double[] b, double[] d) {
        int n = a.length;
        Arrays.fill(a, 0);
        System.arraycopy(seg, 0, a, 0, window);
        Arrays.fill(b, 0);
        System.arraycopy(seg, 0, b, 0, seg.length);
        fft.realForward(a);
        fft.realForward(b);
        // conj(A)·B in JTransforms' packed layout: a[0], a[1] are the real DC and Nyquist terms.
        b[0] = a[0] * b[0];
        b[1] = a[1] * b[1];
        for (int k = 1; k < n / 2; k++) {
            double ar = a[2 * k], ai = a[2 * k + 1], br = b[2 * k], bi = b[2 * k + 1];
            b[2 * k] = ar * br + ai * bi;
            b[2 * k + 1] = ar * bi - ai * br;
        }
        fft.realInverse(b, true);
        double e0 = sq[window];
        int last = Math.min(d.length - 1, seg.length - window);
        for (int tau = 0; tau <= last; tau++) {
            double et = sq[tau + window] - sq[tau];
            d[tau] = Math.max(0, e0 + et - 2 * b[tau]);
        }
    }

    /** Cumulative-mean-normalised difference into dn; returns the lag of the first dip below threshold, or −1. */
    private int firstDip(double[] d, double[] dn) {
        dn[0] = 1;
        double running = 0;
        for (int tau = 1; tau <= maxLag + 1; tau++) {
            running += d[tau];
            dn[tau] = running > 0 ? d[tau] * tau / running : 1;
        }
        for (int tau = minLag; tau <= maxLag; tau++) {
            if (dn[tau] < threshold) {
                while (tau + 1 <= maxLag && dn[tau + 1] < dn[tau]) tau++;
                return tau;
            }
        }
        return -1;
    }

    /** Sub-sample offset of the minimum of the parabola through dn[τ−1], dn[τ], dn[τ+1]. */
    private static double parabolicShift(double[] dn, int tau) {
        double l = dn[tau - 1], c = dn[tau], r = dn[tau + 1];
        double denom = l - 2 * c + r;
        if (denom <= 0) return 0;
        double s = 0.5 * (l - r) / denom;
        return Math.max(-0.5, Math.min(0.5, s));
    }

    private static void dropShortRuns(double[] f0, double[] periodicity) {
        int i = 0;
        while (i < f0.length) {
            if (f0[i] <= 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < f0.length && f0[j] > 0) j++;
            if (j - i < MIN_VOICED_RUN) {
                for (int k = i; k < j; k++) {
                    f0[k] = 0;
                    periodicity[k] = 0;
                }
            }
            i = j;
        }
    }
}
