package dev.moodtag.classify;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A LIBLINEAR model over dense vectors: one weight vector and bias per class (one-vs-rest), so it stores in a few KB
 * whatever the number of training rows, and it trains in seconds where an RBF SVM's grid search takes hours. Reads
 * {@link SvmParams#c()} and {@link SvmParams#weighting()}; the kernel and gamma do not apply.
 */
public final class LinearClassifier implements Classifier {

    /** The LIBLINEAR solvers moodtag trains, each a {@link ClassifierType} of its own in {@code classifier.json}. */
    public enum Solver {
        /** L2-regularised logistic regression (primal): probabilities, so it can be a late-fusion part. */
        LOGISTIC("liblinear-logistic", SolverType.L2R_LR, 0.01),
        /** L2-regularised L2-loss linear SVM (dual): no probabilities, early fusion only. */
        SVM("liblinear-svm", SolverType.L2R_L2LOSS_SVC_DUAL, 0.1);

        private final String type;
        private final SolverType solver;
        private final double eps; // LIBLINEAR's own default stopping tolerance for the solver

        Solver(String type, SolverType solver, double eps) {
            this.type = type;
            this.solver = solver;
            this.eps = eps;
        }

        /** Its name in {@code classifier.json}. */
        public String type() {
            return type;
        }

        static Solver of(SolverType s, Path file) {
            return Arrays.stream(values()).filter(v -> v.solver == s).findFirst().orElseThrow(() ->
                    new IllegalArgumentException(file + " holds a LIBLINEAR " + s + " model, which moodtag does not train"));
        }
    }

    /** Every fit draws from its own generator with this seed (the dual solver shuffles): same rows, same weights. */
    private static final long SEED = 42;
    /** A constant feature whose weight is the bias, as LIBLINEAR's own tools append it. */
    private static final double BIAS = 1;
    /** As many classes as a LIBSVM model may have ({@link SvmModelReader#MAX_CLASSES}), far beyond any real model. */
    static final int MAX_CLASSES = SvmModelReader.MAX_CLASSES;
    /**
     * zlib's documentation puts deflate's largest expansion at 1032 to 1: a gzipped model holds at most this many
     * times its size in text.
     */
    private static final long MAX_INFLATION = 1032;
    /** The header before the weights: a label line of {@link #MAX_CLASSES} labels is about 20,000 characters. */
    private static final int MAX_HEADER_CHARS = 1 << 16;
    private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");

    static {
        Linear.disableDebugOutput(); // LIBLINEAR prints optimiser progress to stdout otherwise
    }

    private final Model model;
    private final Solver solver;
    private final int numClasses;
    private final LabelOrder labels;

    private LinearClassifier(Model model, Solver solver, int numClasses) {
        this.model = model;
        this.solver = solver;
        this.numClasses = numClasses;
        this.labels = new LabelOrder(model.getLabels(), numClasses);
        for (int c : labels.toClass())
            if (c < 0 || c >= numClasses) throw new IllegalArgumentException("the model has class " + c + ", not one of 0.." + (numClasses - 1));
    }

    public static LinearClassifier train(double[][] x, int[] y, int numClasses, SvmParams p, Solver solver) {
        if (x.length != y.length || x.length == 0) throw new IllegalArgumentException("need as many labels as rows, and rows");
        if (p.probability() && solver != Solver.LOGISTIC)
            throw new IllegalArgumentException(solver.type() + " has no probability estimates; late fusion needs "
                    + Solver.LOGISTIC.type());
        int dim = x[0].length;
        Problem prob = new Problem();
        prob.l = x.length;
        prob.n = dim + 1;
        prob.bias = BIAS;
        prob.x = new Feature[x.length][];
        prob.y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != dim) throw new IllegalArgumentException("row " + i + " has " + x[i].length + " values, row 0 " + dim);
            if (y[i] < 0 || y[i] >= numClasses) throw new IllegalArgumentException("row " + i + " has class " + y[i]
                    + ", not one of 0.." + (numClasses - 1));
            prob.x[i] = features(x[i]);
            prob.y[i] = y[i];
        }
        Parameter param = new Parameter(solver.solver, p.c(), solver.eps);
        param.setRandom(new Random(SEED));
        if (p.weighting() == SvmParams.ClassWeighting.BALANCED) {
            BalancedWeights w = BalancedWeights.of(y, numClasses);
            param.setWeights(w.weights(), w.classes());
        }
        return new LinearClassifier(Linear.train(prob, param), solver, numClasses);
    }

    @Override
    public String type() {
        return solver.type();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public boolean hasProbabilities() {
        return model.isProbabilityModel() || labels.oneClass();
    }

    @Override
    public int predict(double[] x) {
        return (int) Linear.predict(model, features(checked(x)));
    }

    /** Per class (0 for classes absent from training); a model trained on one class gives it probability 1. */
    @Override
    public double[] probabilities(double[] x) {
        return labels.probabilities(p -> {
            if (!model.isProbabilityModel()) throw new IllegalStateException(solver.type() + " has no probability estimates");
            Linear.predictProbability(model, features(checked(x)), p);
        });
    }

    /** LIBLINEAR's text format (weights at full precision), gzipped when the name ends in {@code .gz}. */
    @Override
    public void save(Path file) {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(file.toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file), StandardCharsets.UTF_8))) {
            model.save(w);
        } catch (IOException e) {
            throw new UncheckedIOException("writing LIBLINEAR model " + file, e);
        }
    }

    /**
     * @param expected the solver {@code classifier.json} names; a file holding another refuses to load, so the type
     *                 recorded beside it cannot silently disagree with what serves
     */
    public static LinearClassifier load(Path file, int numClasses, Solver expected) {
        Model m;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(file.toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file), StandardCharsets.UTF_8))) {
            checkHeader(r, file);
            m = Model.load(r);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("reading LIBLINEAR model " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        Solver found = Solver.of(m.getSolverType(), file);
        if (found != expected)
            throw new IllegalArgumentException(file + " holds a " + found.type() + " model, not " + expected.type());
        if (m.getBias() != BIAS)
            throw new IllegalArgumentException(file + " has bias " + m.getBias() + "; moodtag trains with " + BIAS);
        // "label 1 1": the second class's probability would overwrite the first's
        if (Arrays.stream(m.getLabels()).distinct().count() != m.getLabels().length)
            throw new IllegalArgumentException(file + ": labels must be distinct classes, not " + Arrays.toString(m.getLabels()));
        return new LinearClassifier(m, found, numClasses);
    }

    /**
     * LIBLINEAR allocates the labels and all the weights as it reads the header, before the weights are there: a
     * 70-byte file declaring 1.5 billion features threw OutOfMemoryError, which no caller's catch sees. The header is
     * read here first and {@code r} reset to its start; a class count beyond {@link #MAX_CLASSES}, or more weights
     * than the file can hold (each takes at least two characters, a digit and the blank LIBLINEAR requires after
     * it), is refused.
     */
    private static void checkHeader(BufferedReader r, Path file) throws IOException {
        r.mark(2 * MAX_HEADER_CHARS);
        Integer classes = null, features = null;
        int read = 0;
        for (String line; (line = r.readLine()) != null; ) {
            read += line.length() + 2;
            if (read > MAX_HEADER_CHARS)
                throw new IOException("its header runs past " + MAX_HEADER_CHARS + " characters without the line 'w'");
            String[] kv = BLANKS.split(line);
            if (kv[0].equals("w")) break;
            if (kv.length == 2 && kv[0].equals("nr_class")) classes = count(kv[1]);
            if (kv.length == 2 && kv[0].equals("nr_feature")) features = count(kv[1]);
        }
        if (classes != null && (classes < 1 || classes > MAX_CLASSES))
            throw new IOException("nr_class " + classes + " is not a number of classes a model can have (1 to "
                    + MAX_CLASSES + ")");
        if (features != null && features < 0) throw new IOException("nr_feature " + features + " is not a number of features");
        boolean gzipped = file.toString().endsWith(".gz");
        long text = Files.size(file) * (gzipped ? MAX_INFLATION : 1);
        // one weight vector for two classes, one per class otherwise (a lower bound: the bias adds one per vector)
        long weights = (features == null ? 0L : features) * (classes == null || classes == 2 ? 1 : classes);
        if (weights > text / 2 || weights > Integer.MAX_VALUE - 8)
            throw new IOException("nr_feature " + features + " with nr_class " + classes + " is " + weights
                    + " weights, more than the file can hold (" + (gzipped ? "at most " : "") + text
                    + " characters of text, at least 2 a weight)");
        r.reset();
    }

    /** A header count, or null for one that is not a number (LIBLINEAR then refuses the file itself). */
    private static Integer count(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** LIBLINEAR records the dimension it was trained on (nr_feature, without the bias feature). */
    @Override
    public boolean reads(int dim) {
        return dim == model.getNrFeature();
    }

    /** The model's input dimension (without the bias feature). */
    public int dimension() {
        return model.getNrFeature();
    }

    private double[] checked(double[] x) {
        if (x.length != model.getNrFeature())
            throw new IllegalArgumentException("vector has " + x.length + " values, the model " + model.getNrFeature());
        return x;
    }

    private static Feature[] features(double[] x) {
        Feature[] f = new Feature[x.length + 1];
        for (int j = 0; j < x.length; j++) f[j] = new FeatureNode(j + 1, x[j]);
        f[x.length] = new FeatureNode(x.length + 1, BIAS);
        return f;
    }
}
