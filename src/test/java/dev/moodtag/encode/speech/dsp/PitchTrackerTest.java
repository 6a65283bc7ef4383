package dev.moodtag.encode.speech.dsp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PitchTrackerTest {

    static final int RATE = 16_000;
    static final Framing FRAMING = new Framing(400, 160);
    final PitchTracker tracker = new PitchTracker(RATE, 55, 600, 400, 0.2);

    /** A voice-like tone: fundamental plus 7 harmonics with falling amplitude, and a little noise. */
    static float[] harmonicTone(double f0, double seconds) {
        float[] x = new float[(int) (seconds * RATE)];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            double t = i / (double) RATE, v = 0;
            for (int h = 1; h <= 8; h++) v += Math.sin(2 * Math.PI * f0 * h * t + h) / h;
            x[i] = (float) (0.2 * v + 0.002 * r.nextGaussian());
        }
        return x;
    }

    @Test
    void harmonicTonesAreTrackedWithinTwoPercent() {
        for (double f0 : new double[]{150, 220, 95, 410}) {
            PitchTracker.Track t = tracker.track(harmonicTone(f0, 1.0), FRAMING, null);
            int voiced = 0;
            for (int i = 0; i < t.frames(); i++) {
                if (!t.voiced(i)) continue;
                voiced++;
                assertEquals(f0, t.f0()[i], 0.02 * f0, "frame " + i + " of a " + f0 + " Hz tone");
                // Frames near the ends see part zero padding, which lowers their periodicity.
                if (i >= 3 && i < t.frames() - 3) assertTrue(t.periodicity()[i] > 0.95, "a clean tone is periodic");
            }
            assertTrue(voiced >= t.frames() * 0.9, voiced + " of " + t.frames() + " frames voiced at " + f0 + " Hz");
        }
    }

    @Test
    void differenceFunctionMatchesDirectComputation() {
        // Guards the FFT cross-correlation (sign convention, packing): the first-dip lag of the FFT path must be
        // the lag a direct O(W·L) YIN finds.
        float[] x = harmonicTone(133, 0.2);
        PitchTracker.Track t = tracker.track(x, FRAMING, null);
        int frame = 5;
        int span = 400 + (int) Math.ceil(RATE / 55.0) + 2;
        int from = (int) Math.round(FRAMING.centre(frame) - span / 2.0);
        double best = Double.MAX_VALUE;
        int bestLag = 0;
        double running = 0;
        for (int tau = 1; tau <= RATE / 55; tau++) {
            double d = 0;
            for (int j = 0; j < 400; j++) {
                double a = x[from + j], b = x[from + j + tau];
                d += (a - b) * (a - b);
            }
            running += d;
            double dn = d * tau / running;
            if (tau >= RATE / 600 && dn < best) {
                best = dn;
                bestLag = tau;
            }
        }
        assertEquals(RATE / (double) bestLag, t.f0()[frame], 0.01 * t.f0()[frame]);
    }

    @Test
    void silenceAndNoiseAreUnvoiced() {
        PitchTracker.Track silent = tracker.track(new float[8000], FRAMING, null);
        for (int i = 0; i < silent.frames(); i++) assertEquals(0, silent.f0()[i]);
        Random r = new Random(3);
        float[] noise = new float[16000];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (r.nextDouble() * 2 - 1);
        PitchTracker.Track t = tracker.track(noise, FRAMING, null);
        int voiced = 0;
        for (int i = 0; i < t.frames(); i++) if (t.voiced(i)) voiced++;
        assertTrue(voiced <= t.frames() / 10, voiced + " noise frames called voiced");
    }
}
