package dev.moodtag.encode.speech.dsp;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Arrays;

/**
 * Formants of one voiced frame from its linear-prediction envelope, and the harmonic amplitudes that eGeMAPS relates
 * to them: the formant and harmonic parameters of the Geneva minimalistic set (Eyben et al. 2016), which it kept
 * because they carry voice quality and articulation across corpora.
 * <p>
 * The envelope is that of an order-{@link #ORDER} LPC fit (autocorrelation method, pre-emphasis 0.97, Hamming
 * window), evaluated on a 7.8 Hz grid; its first three peaks above {@link #MIN_F1_HZ} are F1–F3, each with its
 * half-power bandwidth. Peak-picking the envelope rather than rooting the polynomial can merge two close formants
 * (F1 and F2 of a back vowel) into one peak; the statistics over an utterance's voiced frames absorb that.
 * Harmonic levels come from a longer window than the frame ({@link #harmonicsDb}). Not thread-safe (work arrays);
 * one per encoder call.
 */
public final class Formants {

    /** 2 + kHz of the sampling rate, the usual rule for 16 kHz speech. */
    public static final int ORDER = 18;
    static final double MIN_F1_HZ = 150, MAX_FORMANT_HZ = 5000;
    private static final int GRID = 1024;

    private final int sampleRate;
    private final double[] window, frame, r, a, tmp, envelopeDb;
    private final double[] cos, sin;

    public Formants(int sampleRate, int frameLength) {
        this.sampleRate = sampleRate;
        this.window = new double[frameLength];
        for (int j = 0; j < frameLength; j++) window[j] = 0.54 - 0.46 * Math.cos(2 * Math.PI * j / (frameLength - 1));
        this.frame = new double[frameLength];
        this.r = new double[ORDER + 1];
        this.a = new double[ORDER + 1];
        this.tmp = new double[ORDER + 1];
        this.envelopeDb = new double[GRID];
        this.cos = new double[GRID * (ORDER + 1)];
        this.sin = new double[GRID * (ORDER + 1)];
        for (int g = 0; g < GRID; g++)
            for (int k = 0; k <= ORDER; k++) {
                double w = Math.PI * g / GRID * k;
                cos[g * (ORDER + 1) + k] = Math.cos(w);
                sin[g * (ORDER + 1) + k] = Math.sin(w);
            }
    }

    /** F1–F3 in Hz and their bandwidths in Hz; NaN where the envelope has fewer peaks. */
    public record Estimate(double[] hz, double[] bandwidthHz) {
    }

    /** The formants of {@code samples} (one frame, raw). */
    public Estimate estimate(double[] samples) {
        double[] hz = new double[3], bw = new double[3];
        Arrays.fill(hz, Double.NaN);
        Arrays.fill(bw, Double.NaN);
        int n = frame.length;
        for (int j = 0; j < n; j++) frame[j] = (samples[j] - (j > 0 ? 0.97 * samples[j - 1] : 0)) * window[j];
        for (int k = 0; k <= ORDER; k++) {
            double s = 0;
            for (int j = k; j < n; j++) s += frame[j] * frame[j - k];
            r[k] = s;
        }
        if (!(r[0] > 1e-12)) return new Estimate(hz, bw);
        r[0] *= 1 + 1e-9; // a little white noise: keeps the recursion stable on near-singular frames
        if (!levinson()) return new Estimate(hz, bw);
        double binHz = sampleRate / 2.0 / GRID;
        for (int g = 0; g < GRID; g++) {
            double re = 0, im = 0;
            int base = g * (ORDER + 1);
            for (int k = 0; k <= ORDER; k++) {
                re += a[k] * cos[base + k];
                im -= a[k] * sin[base + k];
            }
            envelopeDb[g] = -10 * Math.log10(re * re + im * im + 1e-30);
        }
        int found = 0;
        int last = Math.min(GRID - 2, (int) (MAX_FORMANT_HZ / binHz));
        for (int g = Math.max(1, (int) (MIN_F1_HZ / binHz)); g <= last && found < 3; g++) {
            if (!(envelopeDb[g] > envelopeDb[g - 1] && envelopeDb[g] >= envelopeDb[g + 1])) continue;
            double left = envelopeDb[g - 1], mid = envelopeDb[g], right = envelopeDb[g + 1];
            double denominator = left - 2 * mid + right;
            double offset = denominator < 0 ? 0.5 * (left - right) / denominator : 0;
            hz[found] = (g + offset) * binHz;
            bw[found] = halfPowerWidth(g, binHz);
            found++;
        }
        return new Estimate(hz, bw);
    }

    /** Levinson–Durbin on {@link #r}; false when the fit is not stable (a reflection coefficient of magnitude ≥ 1). */
    private boolean levinson() {
        Arrays.fill(a, 0);
        a[0] = 1;
        double error = r[0];
        for (int i = 1; i <= ORDER; i++) {
            double acc = r[i];
            for (int j = 1; j < i; j++) acc += a[j] * r[i - j];
            double k = -acc / error;
            if (!(Math.abs(k) < 1)) return false;
            System.arraycopy(a, 0, tmp, 0, i);
            for (int j = 1; j < i; j++) a[j] = tmp[j] + k * tmp[i - j];
            a[i] = k;
            error *= 1 - k * k;
        }
        return true;
    }

    /** Width between the points 3 dB under the peak at {@code g}, each side searched up to 1 kHz away. */
    private double halfPowerWidth(int g, double binHz) {
        double floor = envelopeDb[g] - 3;
        int reach = (int) (1000 / binHz);
        int lo = g, hi = g;
        while (lo > 0 && g - lo < reach && envelopeDb[lo] > floor) lo--;
        while (hi < GRID - 1 && hi - g < reach && envelopeDb[hi] > floor) hi++;
        return (hi - lo) * binHz;
    }

    /** Samples (64 ms at 16 kHz) of the spectrum harmonics are read from: its Hann main lobe is ±31 Hz wide. */
    static final int HARMONIC_WINDOW = 1024;
    /** Zero-padded to 3.9 Hz bins, so a harmonic between two bins loses under 0.1 dB (1.4 dB at the window's own). */
    static final int HARMONIC_FFT = 4096;
    /** Below this F0 even that window does not part neighbouring harmonics, and no harmonic is read. */
    public static final double MIN_HARMONIC_F0 = 65;

    private DoubleFFT_1D fft;
    private double[] hann, spectrum;

    /**
     * Levels (dB) of the harmonics nearest {@code targetsHz} in the 64 ms around {@code centre} (a sample index of
     * {@code x}): each the strongest bin within a quarter of F0 of the target. A 25 ms frame cannot do this below
     * about 150 Hz, where a harmonic's window overlaps its neighbour's. NaN for a target past Nyquist, and for every
     * target when {@code f0} is under {@link #MIN_HARMONIC_F0}.
     */
    public double[] harmonicsDb(float[] x, int centre, double f0, double... targetsHz) {
        double[] out = new double[targetsHz.length];
        Arrays.fill(out, Double.NaN);
        if (!(f0 >= MIN_HARMONIC_F0)) return out;
        if (fft == null) {
            fft = new DoubleFFT_1D(HARMONIC_FFT);
            hann = new double[HARMONIC_WINDOW];
            for (int j = 0; j < HARMONIC_WINDOW; j++) hann[j] = 0.5 - 0.5 * Math.cos(2 * Math.PI * j / (HARMONIC_WINDOW - 1));
            spectrum = new double[HARMONIC_FFT];
        }
        Arrays.fill(spectrum, 0);
        int from = centre - HARMONIC_WINDOW / 2;
        for (int j = 0; j < HARMONIC_WINDOW; j++) {
            int at = from + j;
            if (at >= 0 && at < x.length) spectrum[j] = x[at] * hann[j];
        }
        fft.realForward(spectrum);
        double binHz = sampleRate / (double) HARMONIC_FFT;
        int last = HARMONIC_FFT / 2 - 1;
        for (int t = 0; t < targetsHz.length; t++) {
            double hz = targetsHz[t];
            if (!(hz > 0) || hz + f0 / 4 >= sampleRate / 2.0) continue;
            int lo = Math.max(1, (int) Math.round((hz - f0 / 4) / binHz));
            int hi = Math.min(last, (int) Math.round((hz + f0 / 4) / binHz));
            double m = 0;
            for (int k = lo; k <= hi; k++) {
                double re = spectrum[2 * k], im = spectrum[2 * k + 1]; // JTransforms: (Re, Im) pairs from bin 1
                m = Math.max(m, re * re + im * im);
            }
            out[t] = Stats.db(m);
        }
        return out;
    }
}
