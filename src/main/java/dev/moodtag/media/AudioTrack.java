package dev.moodtag.media;

/**
 * Mono PCM as floats in [-1, 1] at {@link #sampleRate()} Hz (the decoder always delivers 16 kHz).
 * The array is shared, not copied, for speed: no stage may write to it.
 *
 * @param startSeconds where this track starts in the source recording (0 for a whole file, the
 *                     segment start for a segment of a long recording)
 */
public record AudioTrack(float[] samples, int sampleRate, double startSeconds) {
    public static final int RATE = 16_000;

    public AudioTrack {
        if (samples == null) throw new IllegalArgumentException("samples must not be null");
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be positive");
    }

    public AudioTrack(float[] samples) {
        this(samples, RATE, 0);
    }

    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }
}
