package dev.moodtag.media;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Levels of decoded 16 kHz audio, for tests that compare a stretch of a joined file with the same audio decoded alone. */
final class AudioLevels {
    private AudioLevels() {
    }

    /** Root mean square of the samples from {@code from} to {@code to} seconds (0 where there are none). */
    static double rms(float[] samples, double from, double to) {
        int a = (int) (from * 16_000), b = Math.min(samples.length, (int) (to * 16_000));
        double sum = 0;
        for (int i = a; i < b; i++) sum += samples[i] * (double) samples[i];
        return b > a ? Math.sqrt(sum / (b - a)) : 0;
    }

    /** {@code actual} within 0.5 dB of {@code expected}, the level of {@code reference}. */
    static void assertWithinHalfDb(double expected, double actual, String what, String reference) {
        double db = 20 * Math.log10(actual / expected);
        assertTrue(Math.abs(db) < 0.5, String.format(Locale.ROOT, "%s: RMS %.4f, %.1f dB from the %.4f of %s",
                what, actual, db, expected, reference));
    }
}
