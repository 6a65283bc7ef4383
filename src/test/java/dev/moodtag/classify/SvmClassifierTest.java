package dev.moodtag.classify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvmClassifierTest {

    /** Class 2 comes first in the data, so LIBSVM's internal label order differs from ours. */
    private static final double[][] X = {{5, 5}, {5.2, 4.9}, {0, 0}, {0.1, -0.2}, {-5, 5}, {-5.1, 4.8}, {4.9, 5.1}, {0.2, 0.1}, {-4.9, 5.2}};
    private static final int[] Y = {2, 2, 0, 0, 1, 1, 2, 0, 1};

    @Test
    void mapsLibsvmLabelOrderBackToClassNumbers(@TempDir Path dir) {
        SvmClassifier m = SvmClassifier.train(X, Y, 4, new SvmParams(SvmParams.Kernel.RBF, 10, 0.1, true, SvmParams.ClassWeighting.BALANCED));
        assertArrayEquals(Y, m.predict(X));
        double[] p = m.probabilities(new double[]{-5, 5});
        assertEquals(4, p.length);
        assertEquals(0, p[3], 0, "a class absent from training gets probability 0");
        assertTrue(p[1] > p[0] && p[1] > p[2], "most probable is class 1: " + java.util.Arrays.toString(p));
        m.save(dir.resolve("m.model"));
        SvmClassifier back = SvmClassifier.load(dir.resolve("m.model"), 4);
        assertArrayEquals(p, back.probabilities(new double[]{-5, 5}), 1e-12);
    }

    @Test
    void probabilityTrainingIsReproducible() {
        SvmParams p = new SvmParams(SvmParams.Kernel.LINEAR, 1, 0, true, SvmParams.ClassWeighting.NONE);
        double[] a = SvmClassifier.train(X, Y, 3, p).probabilities(new double[]{1, 1});
        double[] b = SvmClassifier.train(X, Y, 3, p).probabilities(new double[]{1, 1});
        assertArrayEquals(a, b, 0);
    }

    @Test
    void gridSearchPicksAWorkingPointOnValidationData() {
        GridSearch g = new GridSearch(List.of(0.01, 10.0), List.of(1.0), 2);
        GridSearch.Result r = g.search(List.of(new GridSearch.Split(X, Y, X, Y)), 3, 2,
                new SvmParams(SvmParams.Kernel.RBF, 1, 0, false, SvmParams.ClassWeighting.NONE),
                (t, pr) -> { int c = 0; for (int i = 0; i < t.length; i++) c += t[i] == pr[i] ? 1 : 0; return c / (double) t.length; });
        assertEquals(2, r.points().size());
        assertEquals(1.0, r.bestScore(), 1e-12);
        assertEquals(0.01, r.best().c(), 0, "both points separate the data; a tie goes to the first (smaller) C");
        assertEquals(0.5, r.best().gamma(), 1e-12, "gamma = scale / dim");
        assertTrue(!r.best().probability());
    }
}
