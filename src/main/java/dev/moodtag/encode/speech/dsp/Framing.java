package dev.moodtag.encode.speech.dsp;

/**
 * How a signal is cut into analysis frames: frame {@code i} covers samples [i·hop, i·hop + length). A signal
 * shorter than one frame still gives one (zero-padded) frame, so every non-empty signal has a frame.
 */
public record Framing(int length, int hop) {

    public Framing {
        if (length <= 0 || hop <= 0) throw new IllegalArgumentException("frame length and hop must be positive");
    }

    public int count(int samples) {
        if (samples <= 0) return 0;
        return samples <= length ? 1 : 1 + (samples - length) / hop;
    }

    public int start(int frame) {
        return frame * hop;
    }

    /** Centre of frame {@code i} in samples. */
    public double centre(int frame) {
        return frame * hop + length / 2.0;
    }

    /** Copies frame {@code i} of {@code x} into {@code out} (zeros beyond the signal). */
    public void copyFrame(float[] x, int frame, double[] out) {
        int s = start(frame);
        int n = Math.max(0, Math.min(length, x.length - s));
        for (int j = 0; j < n; j++) out[j] = x[s + j];
        for (int j = n; j < length; j++) out[j] = 0;
    }
}
