package dev.moodtag.encode.speech.dsp;

import dev.moodtag.encode.SpeechActivityDetector.Region;
import dev.moodtag.encode.speech.AcousticFunctionals;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Formants of synthetic vowels whose formants are known: a glottal pulse train through three resonators. */
class FormantsTest {

    static final int RATE = 16_000;

    /** {@code seconds} of a vowel: pulses at {@code f0} through second-order resonators at {@code formants}. */
    static float[] vowel(double f0, double[] formants, double[] bandwidths, double seconds) {
        int n = (int) (seconds * RATE);
        double[] x = new double[n];
        Random jitter = new Random(3);
        for (double t = 0; t < seconds; t += (1 + 0.005 * jitter.nextGaussian()) / f0) x[(int) (t * RATE)] = 1;
        for (int k = 0; k < formants.length; k++) {
            double r = Math.exp(-Math.PI * bandwidths[k] / RATE), theta = 2 * Math.PI * formants[k] / RATE;
            double a1 = 2 * r * Math.cos(theta), a2 = -r * r, y1 = 0, y2 = 0;
            for (int i = 0; i < n; i++) {
                double y = x[i] + a1 * y1 + a2 * y2;
                y2 = y1;
                y1 = y;
                x[i] = y;
            }
        }
        double peak = 0;
        for (double v : x) peak = Math.max(peak, Math.abs(v));
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (0.3 * x[i] / peak);
        return out;
    }

    @Test
    void findsTheFormantsOfSyntheticVowels() {
        double[][] vowels = {{730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}, {530, 1840, 2480}}; // a, i, u, e
        double[] bandwidths = {80, 100, 120};
        for (double f0 : new double[]{110, 220}) {
            for (double[] f : vowels) {
                float[] x = vowel(f0, f, bandwidths, 0.5);
                Formants lpc = new Formants(RATE, 400);
                double[] frame = new double[400];
                double[][] found = new double[3][];
                for (int k = 0; k < 3; k++) found[k] = new double[20];
                for (int i = 0; i < 20; i++) {
                    for (int j = 0; j < 400; j++) frame[j] = x[2000 + 160 * i + j];
                    Formants.Estimate e = lpc.estimate(frame);
                    for (int k = 0; k < 3; k++) found[k][i] = e.hz()[k];
                }
                for (int k = 0; k < 3; k++) {
                    double median = Stats.percentile(Stats.sorted(found[k]), 50);
                    // LPC on a pulse train is pulled towards the nearest harmonic: the higher the voice, the more.
                    double tolerance = Math.max(0.12 * f[k], f0 * 0.75);
                    assertEquals(f[k], median, tolerance, "F" + (k + 1) + " of " + java.util.Arrays.toString(f) + " at f0 " + f0);
                }
            }
        }
    }

    @Test
    void silenceAndNoiseGiveNoFormantsOrFiniteOnesAndTheFunctionalsStayFinite() {
        Formants lpc = new Formants(RATE, 400);
        Formants.Estimate silent = lpc.estimate(new double[400]);
        for (double v : silent.hz()) assertTrue(Double.isNaN(v), "silence has no formants");
        Random r = new Random(1);
        double[] noise = new double[400];
        for (int round = 0; round < 200; round++) {
            double scale = Math.pow(10, -round % 10);
            for (int j = 0; j < 400; j++) noise[j] = scale * (round % 3 == 0 ? (r.nextBoolean() ? 1 : -1) : r.nextGaussian());
            Formants.Estimate e = lpc.estimate(noise);
            for (int k = 0; k < 3; k++) {
                double hz = e.hz()[k];
                assertTrue(Double.isNaN(hz) || (hz >= 150 && hz <= 5000 && e.bandwidthHz()[k] >= 0), "round " + round + ": " + hz);
            }
        }
        AcousticFunctionals withFormants = new AcousticFunctionals(55, 600, 0.2, Set.of(), true);
        assertEquals(AcousticFunctionals.DIM + 15, withFormants.dim());
        float[] a = vowel(120, new double[]{730, 1090, 2440}, new double[]{80, 100, 120}, 1.0);
        for (float[] x : List.of(a, new float[16_000], new float[50])) {
            float[] v = withFormants.compute(x, List.of(new Region(0, x.length / (double) RATE)));
            assertEquals(withFormants.dim(), v.length);
            for (float f : v) assertTrue(Float.isFinite(f));
        }
        List<String> names = AcousticFunctionals.featureNames(Set.of(), true);
        float[] v = withFormants.compute(a, List.of(new Region(0, 1.0)));
        assertEquals(730, v[names.indexOf("f1_hz_mean")], 90, "F1 of /a/ through the functionals");
        assertEquals(1090, v[names.indexOf("f2_hz_mean")], 130);
        assertEquals(AcousticFunctionals.FEATURE_NAMES, names.stream().filter(n -> !n.matches("(f[123]_|a[12]_re_h1|h1_).*")).toList(),
                "the 15 are added; the rest of the layout keeps its order");
    }

    /**
     * Harmonic levels of two partials of known levels, at low and high F0: a 25 ms frame read the neighbouring
     * harmonic's leakage below about 150 Hz (H1-H2 of -10 dB read as -0.2 at 70 Hz; found by a review).
     */
    @Test
    void harmonicLevelsAreReadWhereAFrameCouldNotPartThem() {
        Formants lpc = new Formants(RATE, 400);
        for (double f0 : new double[]{66, 70, 80, 100, 120, 150, 200, 300}) {
            for (double differenceDb : new double[]{-10, 0, 10}) {
                float[] x = new float[16_000];
                double a2 = 0.1 * Math.pow(10, -differenceDb / 20);
                for (int i = 0; i < x.length; i++)
                    x[i] = (float) (0.1 * Math.sin(2 * Math.PI * f0 * i / RATE) + a2 * Math.sin(2 * Math.PI * 2 * f0 * i / RATE + 1));
                double[] db = lpc.harmonicsDb(x, 8000, f0, f0, 2 * f0);
                assertEquals(differenceDb, db[0] - db[1], 1.0, "H1-H2 at f0 " + f0);
            }
        }
        double[] low = lpc.harmonicsDb(new float[16_000], 8000, 60, 60, 120);
        assertTrue(Double.isNaN(low[0]) && Double.isNaN(low[1]), "under 65 Hz no harmonic is read");
        double[] edge = lpc.harmonicsDb(new float[400], 0, 200, 200, 7_990, -1, Double.NaN);
        assertTrue(Double.isFinite(edge[0]) && Double.isNaN(edge[1]) && Double.isNaN(edge[2]) && Double.isNaN(edge[3]),
                "a window past the clip's ends reads zeros; targets past Nyquist or not numbers give NaN");
    }
}
