package dev.moodtag.encode.speech.dsp;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Arrays;

/**
 * Power spectra |X(k)|² of Hann-windowed frames, bins 0 … fftSize/2. The FFT plan is made per call (a few
 * microseconds), which keeps this class immutable and so safe to share between threads.
 */
public final class Spectrogram {

    private final float[][] power;
    private final double binHz;

    private Spectrogram(float[][] power, double binHz) {
        this.power = power;
        this.binHz = binHz;
    }

    public static Spectrogram of(float[] x, Framing framing, int fftSize, int sampleRate) {
        if (fftSize < framing.length() || Integer.bitCount(fftSize) != 1)
            throw new IllegalArgumentException("fftSize must be a power of two ≥ the frame length");
        double[] window = Windows.hann(framing.length());
        DoubleFFT_1D fft = new DoubleFFT_1D(fftSize);
        int frames = framing.count(x.length);
        int bins = fftSize / 2 + 1;
        float[][] power = new float[frames][bins];
        double[] frame = new double[framing.length()];
        double[] buf = new double[fftSize];
        for (int i = 0; i < frames; i++) {
            framing.copyFrame(x, i, frame);
            for (int j = 0; j < frame.length; j++) buf[j] = frame[j] * window[j];
            Arrays.fill(buf, frame.length, fftSize, 0);
            fft.realForward(buf);
            float[] p = power[i];
            // JTransforms packs Re[0], Re[n/2], then (Re, Im) pairs.
            p[0] = (float) (buf[0] * buf[0]);
            p[bins - 1] = (float) (buf[1] * buf[1]);
            for (int k = 1; k < bins - 1; k++) {
                double re = buf[2 * k], im = buf[2 * k + 1];
                p[k] = (float) (re * re + im * im);
            }
        }
        return new Spectrogram(power, sampleRate / (double) fftSize);
    }

    public int frames() {
        return power.length;
    }

    public int bins() {
        return power.length == 0 ? 0 : power[0].length;
    }

    public double binHz() {
        return binHz;
    }

    /** Power spectrum of frame {@code i}; shared, do not modify. */
    public float[] frame(int i) {
        return power[i];
    }

    /** The bin nearest to {@code hz}, clamped to the spectrum. */
    public int bin(double hz) {
        return Math.max(0, Math.min(bins() - 1, (int) Math.round(hz / binHz)));
    }
}
