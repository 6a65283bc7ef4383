package dev.moodtag.support;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilesTest {

    @Test
    void linearInterpolationBetweenClosestRanks() {
        double[] ms = {50, 10, 40, 20, 30, 60, 70, 80, 90, 100};
        assertEquals(55, Percentiles.of(ms, 50), 1e-12);
        assertEquals(95.5, Percentiles.of(ms, 95), 1e-12);
        assertEquals(10, Percentiles.of(ms, 0));
        assertEquals(100, Percentiles.of(ms, 100));
        assertEquals(50, ms[0], "the caller's array is not sorted in place");
        assertEquals(7, Percentiles.of(new double[]{7}, 95));
        assertEquals(2.5, Percentiles.median(new double[]{4, 1, 3, 2}));
        assertEquals(3, Percentiles.median(new double[]{5, 1, 3}));
        assertTrue(Double.isNaN(Percentiles.of(new double[0], 50)));
    }

    @Test
    void percentileOutsideZeroToHundredIsRefused() {
        for (double p : new double[]{-1e-9, 100.0000001, Double.NaN, Double.POSITIVE_INFINITY, -0.5, 1e300})
            assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new double[]{1, 2}, p), Double.toString(p));
    }

    @Test
    void generatedSetsStayWithinTheirRangeAndGrowWithP() {
        Random random = new Random(7);
        for (int n = 1; n < 400; n++) {
            double[] v = new double[1 + random.nextInt(50)];
            double scale = Math.pow(10, random.nextInt(600) - 300);
            for (int i = 0; i < v.length; i++) v[i] = (random.nextDouble() - 0.5) * scale;
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            double last = Double.NEGATIVE_INFINITY;
            for (int p = 0; p <= 100; p++) {
                double q = Percentiles.of(v, p);
                assertTrue(q >= sorted[0] && q <= sorted[sorted.length - 1], "p" + p + " of " + Arrays.toString(v));
                assertTrue(q >= last, "monotone in p");
                last = q;
            }
            assertEquals(sorted[0], Percentiles.of(v, 0));
            assertEquals(sorted[sorted.length - 1], Percentiles.of(v, 100));
        }
    }

    @Test
    void extremesDoNotOverflowIntoNaNOrInfinity() {
        double[] wide = {-Double.MAX_VALUE, Double.MAX_VALUE};
        assertEquals(-Double.MAX_VALUE, Percentiles.ofSorted(wide, 0));
        assertEquals(Double.MAX_VALUE, Percentiles.ofSorted(wide, 100));
        assertEquals(0, Percentiles.ofSorted(wide, 50), Double.MIN_VALUE);
        double q = Percentiles.ofSorted(wide, 25);
        assertTrue(Double.isFinite(q) && q < 0, Double.toString(q));
        assertEquals(Double.MIN_VALUE, Percentiles.ofSorted(new double[]{Double.MIN_VALUE, Double.MIN_VALUE}, 37));
        assertEquals(Double.POSITIVE_INFINITY, Percentiles.ofSorted(new double[]{1, Double.POSITIVE_INFINITY}, 50));
    }

    /** The acoustic features were computed with this formula before the helper existed: they must not move a bit. */
    @Test
    void bitIdenticalToTheFormulaTheFeaturesWereTrainedWith() {
        Random random = new Random(11);
        for (int n = 0; n < 2000; n++) {
            double[] sorted = new double[1 + random.nextInt(40)];
            for (int i = 0; i < sorted.length; i++) sorted[i] = random.nextGaussian() * 60 - 20;
            Arrays.sort(sorted);
            double p = random.nextInt(4) == 0 ? random.nextInt(101) : random.nextDouble() * 100;
            double pos = p / 100 * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(sorted.length - 1, lo + 1);
            double before = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
            assertEquals(Double.doubleToRawLongBits(before), Double.doubleToRawLongBits(Percentiles.ofSorted(sorted, p)));
        }
    }
}
