package dev.moodtag.classify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearClassifierTest {

    /** Class 2 comes first in the data, so LIBLINEAR's internal label order differs from ours; class 3 is absent. */
    private static final double[][] X = {{5, 5}, {5.2, 4.9}, {0, 0}, {0.1, -0.2}, {-5, 5}, {-5.1, 4.8}, {4.9, 5.1}, {0.2, 0.1}, {-4.9, 5.2}};
    private static final int[] Y = {2, 2, 0, 0, 1, 1, 2, 0, 1};
    private static final SvmParams P = new SvmParams(SvmParams.Kernel.LINEAR, 10, 0, false, SvmParams.ClassWeighting.BALANCED);

    @Test
    void learnsASeparableProblemAndMapsLabelOrderBackToClassNumbers() {
        for (LinearClassifier.Solver solver : LinearClassifier.Solver.values()) {
            LinearClassifier m = LinearClassifier.train(X, Y, 4, P, solver);
            assertArrayEquals(Y, m.predict(X), solver.type());
            assertEquals(solver.type(), m.type());
        }
        LinearClassifier lr = LinearClassifier.train(X, Y, 4, P, LinearClassifier.Solver.LOGISTIC);
        double[] p = lr.probabilities(new double[]{-5, 5});
        assertEquals(4, p.length);
        assertEquals(0, p[3], 0, "a class absent from training gets probability 0");
        assertEquals(1, java.util.Arrays.stream(p).sum(), 1e-9);
        assertTrue(p[1] > 0.5, "most probable is class 1: " + java.util.Arrays.toString(p));
    }

    @Test
    void learnsAHigherDimensionalProblemWithImbalancedClasses() {
        Random r = new Random(3);
        int n = 600, dim = 20;
        double[][] x = new double[n][dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10 == 0 ? 1 : 0; // 10 % minority
            for (int j = 0; j < dim; j++) x[i][j] = r.nextGaussian() + (j == 7 ? 3 * y[i] : 0);
        }
        LinearClassifier m = LinearClassifier.train(x, y, 2, P, LinearClassifier.Solver.LOGISTIC);
        int[] pred = m.predict(x);
        int minorityHits = 0;
        for (int i = 0; i < n; i++) if (y[i] == 1 && pred[i] == 1) minorityHits++;
        assertTrue(minorityHits >= 50, "balanced weights keep the minority recalled: " + minorityHits + " of 60");
    }

    @Test
    void roundTripsThroughItsFileWithIdenticalProbabilities(@TempDir Path dir) {
        LinearClassifier m = LinearClassifier.train(X, Y, 4, P, LinearClassifier.Solver.LOGISTIC);
        for (String name : List.of("m.model", "m.model.gz")) {
            m.save(dir.resolve(name));
            LinearClassifier back = LinearClassifier.load(dir.resolve(name), 4, LinearClassifier.Solver.LOGISTIC);
            for (double[] x : new double[][]{{-5, 5}, {0.3, 0.1}, {1.7, -2.9}, {12345.678, -0.0001}})
                assertArrayEquals(m.probabilities(x), back.probabilities(x), 0, name);
            assertEquals(2, back.dimension());
        }
    }

    @Test
    void sameRowsGiveTheSameWeights(@TempDir Path dir) throws Exception {
        Random r = new Random(9);
        double[][] x = new double[300][5];
        int[] y = new int[300];
        for (int i = 0; i < x.length; i++) {
            y[i] = r.nextInt(3);
            for (int j = 0; j < 5; j++) x[i][j] = r.nextGaussian() + y[i] * (j % 3 == y[i] ? 1 : 0);
        }
        for (LinearClassifier.Solver solver : LinearClassifier.Solver.values()) { // the dual solver shuffles rows
            LinearClassifier.train(x, y, 3, P, solver).save(dir.resolve("a"));
            LinearClassifier.train(x, y, 3, P, solver).save(dir.resolve("b"));
            assertEquals(Files.readString(dir.resolve("a")), Files.readString(dir.resolve("b")), solver.type());
        }
    }

    @Test
    void refusesWhatItCannotDo() {
        assertThrows(IllegalArgumentException.class, () -> LinearClassifier.train(X, Y, 3,
                P.withProbability(true), LinearClassifier.Solver.SVM), "late fusion needs probabilities");
        LinearClassifier svm = LinearClassifier.train(X, Y, 3, P, LinearClassifier.Solver.SVM);
        assertFalse(svm.hasProbabilities());
        assertThrows(IllegalStateException.class, () -> svm.probabilities(new double[]{0, 0}));
        assertThrows(IllegalArgumentException.class, () -> svm.predict(new double[]{0, 0, 0}), "wrong dimension");
        assertThrows(IllegalArgumentException.class, () -> LinearClassifier.train(X, Y, 2, P, LinearClassifier.Solver.LOGISTIC),
                "class 2 is outside 0..1");
        assertThrows(IllegalArgumentException.class, () -> LinearClassifier.train(new double[][]{{1, 2}, {1}}, new int[]{0, 1}, 2,
                P, LinearClassifier.Solver.LOGISTIC), "ragged rows");
    }

    @Test
    void refusesFilesThatAreNotItsModels(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("garbage.model"), "solver_type L2R_LR\nnr_class banana\n");
        assertThrows(java.io.UncheckedIOException.class,
                () -> LinearClassifier.load(dir.resolve("garbage.model"), 3, LinearClassifier.Solver.LOGISTIC));
        SvmClassifier.train(X, Y, 3, new SvmParams(SvmParams.Kernel.LINEAR, 1, 0, false, SvmParams.ClassWeighting.NONE))
                .save(dir.resolve("svm.model"));
        assertThrows(RuntimeException.class, () -> LinearClassifier.load(dir.resolve("svm.model"), 3, LinearClassifier.Solver.LOGISTIC));
        LinearClassifier.train(X, Y, 3, P, LinearClassifier.Solver.SVM).save(dir.resolve("svm-solver.model"));
        var wrong = assertThrows(IllegalArgumentException.class,
                () -> LinearClassifier.load(dir.resolve("svm-solver.model"), 3, LinearClassifier.Solver.LOGISTIC));
        assertTrue(wrong.getMessage().contains("liblinear-svm model, not liblinear-logistic"), wrong.getMessage());
    }

    /**
     * A header is bounded before LIBLINEAR allocates for it: before, a 70-byte file declaring 1.5 billion features
     * made it allocate 12 GB and throw OutOfMemoryError, which no caller's catch sees.
     */
    @Test
    void aHeaderDeclaringMoreWeightsThanTheFileCanHoldIsRefusedBeforeAllocating(@TempDir Path dir) throws Exception {
        String huge = "solver_type L2R_LR\nnr_class 2\nlabel 0 1\nnr_feature 1500000000\nw\n0 \n";
        Path plain = Files.writeString(dir.resolve("huge.model"), huge);
        assertTrue(Files.size(plain) <= 70, "a small file: " + Files.size(plain));
        var e = assertThrows(java.io.UncheckedIOException.class,
                () -> LinearClassifier.load(plain, 2, LinearClassifier.Solver.LOGISTIC));
        assertTrue(e.getMessage().contains("huge.model") && e.getMessage().contains("nr_feature 1500000000"), e.getMessage());
        Path gz = dir.resolve("huge.model.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(huge.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        e = assertThrows(java.io.UncheckedIOException.class, () -> LinearClassifier.load(gz, 2, LinearClassifier.Solver.LOGISTIC));
        assertTrue(e.getMessage().contains("huge.model.gz") && e.getMessage().contains("nr_feature 1500000000"), e.getMessage());
        for (String bad : List.of("nr_class 2000000000", "nr_class 0", "nr_class -3")) {
            Path f = Files.writeString(dir.resolve("classes.model"), huge.replace("nr_class 2", bad).replace("1500000000", "1"));
            var c = assertThrows(java.io.UncheckedIOException.class, () -> LinearClassifier.load(f, 2, LinearClassifier.Solver.LOGISTIC));
            assertTrue(c.getMessage().contains(bad + " is not a number of classes"), c.getMessage());
        }
        Path negative = Files.writeString(dir.resolve("negative.model"), huge.replace("1500000000", "-2"));
        var n = assertThrows(java.io.UncheckedIOException.class, () -> LinearClassifier.load(negative, 2, LinearClassifier.Solver.LOGISTIC));
        assertTrue(n.getMessage().contains("nr_feature -2"), n.getMessage());
        // what LIBLINEAR writes, plain and gzipped, still loads (the round trip above covers probabilities)
        LinearClassifier m = LinearClassifier.train(X, Y, 4, P, LinearClassifier.Solver.LOGISTIC);
        m.save(dir.resolve("ok.model.gz"));
        assertEquals(2, LinearClassifier.load(dir.resolve("ok.model.gz"), 4, LinearClassifier.Solver.LOGISTIC).dimension());
    }

    /** Before, "label 1 1" loaded, and the second class's probability overwrote the first's. */
    @Test
    void aModelNamingOneClassTwiceIsRefused(@TempDir Path dir) throws Exception {
        LinearClassifier m = LinearClassifier.train(X, Y, 4, P, LinearClassifier.Solver.LOGISTIC);
        m.save(dir.resolve("ok.model"));
        String text = Files.readString(dir.resolve("ok.model"));
        java.util.regex.Matcher labels = java.util.regex.Pattern.compile("(?m)^label .*$").matcher(text);
        assertTrue(labels.find(), text);
        Path twice = Files.writeString(dir.resolve("twice.model"), labels.replaceFirst("label 1 1 0"));
        var e = assertThrows(IllegalArgumentException.class, () -> LinearClassifier.load(twice, 4, LinearClassifier.Solver.LOGISTIC));
        assertTrue(e.getMessage().contains("twice.model") && e.getMessage().contains("[1, 1, 0]"), e.getMessage());
    }

    @Test
    void gridSearchFitsTheGivenType() {
        GridSearch g = new GridSearch(List.of(0.0001, 10.0), List.of(), 2);
        GridSearch.Result r = g.search(List.of(new GridSearch.Split(X, Y, X, Y)), 3, 2, ClassifierTypes.LIBLINEAR_LOGISTIC,
                P, (t, pr) -> { int c = 0; for (int i = 0; i < t.length; i++) c += t[i] == pr[i] ? 1 : 0; return c / (double) t.length; });
        assertEquals(2, r.points().size());
        assertEquals(10.0, r.best().c(), 0, "a tiny C underfits the three clusters: " + r.points());
    }

    @Test
    void parsesTheClassifierKinds() {
        assertEquals(ClassifierKind.LINEAR_SVM, ClassifierKind.parse("linear-svm"));
        assertEquals(ClassifierKind.LOGISTIC, ClassifierKind.parse(" Logistic "));
        assertEquals("liblinear-logistic", ClassifierKind.LOGISTIC.type().name());
        assertThrows(IllegalArgumentException.class, () -> ClassifierKind.parse("rbf"));
        assertEquals(ClassifierTypes.LIBLINEAR_SVM, ClassifierTypes.named("liblinear-svm", Path.of("x")));
    }
}
