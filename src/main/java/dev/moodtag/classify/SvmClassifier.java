package dev.moodtag.classify;

import dev.moodtag.support.LimitedInputStream;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained LIBSVM C-SVC over dense vectors, with classes numbered 0..k-1. LIBSVM numbers classes in the order it
 * meets them; this wrapper maps its outputs back to our class indices.
 */
public final class SvmClassifier implements Classifier {

    /** Its name in {@code classifier.json}. */
    public static final String TYPE = "libsvm";

    static {
        svm.svm_set_print_string_function(s -> { }); // LIBSVM prints optimiser progress to stdout otherwise
    }

    private final svm_model model;
    private final int numClasses;
    private final LabelOrder labels;
    private final int highestIndex;

    private SvmClassifier(svm_model model, int numClasses) {
        this.model = model;
        this.numClasses = numClasses;
        int highest = 0;
        for (svm_node[] sv : model.SV) for (svm_node n : sv) highest = Math.max(highest, n.index);
        this.highestIndex = highest;
        int[] order = new int[svm.svm_get_nr_class(model)];
        svm.svm_get_labels(model, order);
        this.labels = new LabelOrder(order, numClasses);
    }

    /**
     * LIBSVM records no dimension, but moodtag trains on dense vectors (a node for every value, zeros too) and LIBSVM
     * writes every node of a support vector, so the highest index is the dimension trained on. Past the vector's end,
     * that feature would read as 0 in every request; short of it, the vector's last values would be ignored. A model
     * without support vectors (trained on one class) reads nothing.
     */
    @Override
    public boolean reads(int dim) {
        return model.l == 0 || highestIndex == dim;
    }

    /**
     * Trains on the given rows. LIBSVM draws random numbers (probability estimates use an internal
     * cross-validation) from one static generator, so training that needs them is serialised and seeded: the same
     * input gives the same model.
     */
    public static SvmClassifier train(double[][] x, int[] y, int numClasses, SvmParams p) {
        if (x.length != y.length || x.length == 0) throw new IllegalArgumentException("need as many labels as rows, and rows");
        svm_problem prob = new svm_problem();
        prob.l = x.length;
        prob.x = new svm_node[x.length][];
        prob.y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            prob.x[i] = nodes(x[i]);
            prob.y[i] = y[i];
        }
        svm_parameter param = new svm_parameter();
        param.svm_type = svm_parameter.C_SVC;
        param.kernel_type = p.kernel() == SvmParams.Kernel.LINEAR ? svm_parameter.LINEAR : svm_parameter.RBF;
        param.C = p.c();
        param.gamma = p.gamma();
        // kernel cache: the whole kernel matrix of ~10k rows (400 MB) is what makes a MELD-sized fit fast; capped
        param.cache_size = Math.max(100, Math.min(512, 4.0 * x.length * x.length / 1e6 + 10));
        param.eps = 1e-3;
        param.shrinking = 1;
        param.probability = p.probability() ? 1 : 0;
        if (p.weighting() == SvmParams.ClassWeighting.BALANCED) {
            BalancedWeights w = BalancedWeights.of(y, numClasses);
            param.weight_label = w.classes();
            param.nr_weight = w.classes().length;
            param.weight = w.weights();
        } else {
            param.nr_weight = 0;
            param.weight_label = new int[0];
            param.weight = new double[0];
        }
        String err = svm.svm_check_parameter(prob, param);
        if (err != null) throw new IllegalArgumentException("LIBSVM refuses the parameters " + p + ": " + err);
        if (!p.probability()) return new SvmClassifier(svm.svm_train(prob, param), numClasses);
        synchronized (svm.class) {
            svm.rand.setSeed(42);
            return new SvmClassifier(svm.svm_train(prob, param), numClasses);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public boolean hasProbabilities() {
        return svm.svm_check_probability_model(model) == 1;
    }

    @Override
    public int predict(double[] x) {
        return (int) svm.svm_predict(model, nodes(x));
    }

    /**
     * Class probabilities, indexed by our class numbers (0 for classes absent from training). A model trained with
     * a single class gives probability 1 to it.
     */
    @Override
    public double[] probabilities(double[] x) {
        return labels.probabilities(p -> {
            if (!hasProbabilities()) throw new IllegalStateException("this SVM was trained without probability estimates");
            svm.svm_predict_probability(model, nodes(x), p);
        });
    }

    /**
     * Writes the model in LIBSVM's text format, gzipped when the name ends in {@code .gz}: the support vectors are
     * text, and a shipped classifier shrinks about four times.
     */
    @Override
    public void save(Path file) {
        try {
            if (!file.toString().endsWith(".gz")) {
                svm.svm_save_model(file.toString(), model);
                return;
            }
            Path plain = Files.createTempFile(file.toAbsolutePath().getParent(), "svm", ".model");
            try {
                svm.svm_save_model(plain.toString(), model);
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                    Files.copy(plain, out);
                }
            } finally {
                Files.deleteIfExists(plain);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing SVM model " + file, e);
        }
    }

    /**
     * Reads an svm file of at most {@link SvmModelReader#MAX_TEXT_BYTES} of text (after gunzipping): a larger plain
     * file is refused before it is read, a gzipped one once its text runs past the bound, naming the file and the size.
     */
    public static SvmClassifier load(Path file, int numClasses) {
        boolean gzipped = file.toString().endsWith(".gz");
        String tooLarge = ": more than " + (SvmModelReader.MAX_TEXT_BYTES >> 20) + " MiB of text, beyond any svm model moodtag"
                + " reads (the largest shipped part is 6.4 MB)";
        try {
            long size = Files.size(file);
            if (size > SvmModelReader.MAX_TEXT_BYTES)
                throw new IOException(file + " is " + size + " bytes" + (gzipped ? " gzipped" : "") + tooLarge);
        } catch (IOException e) {
            throw new UncheckedIOException("reading SVM model " + file, e);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new LimitedInputStream(gzipped
                ? new GZIPInputStream(Files.newInputStream(file), 1 << 16) : Files.newInputStream(file),
                SvmModelReader.MAX_TEXT_BYTES, read -> {
                    throw new IOException(file + ": its text runs past " + SvmModelReader.MAX_TEXT_BYTES + " bytes" + tooLarge);
                }), StandardCharsets.UTF_8), 1 << 16)) {
            svm_model model = SvmModelReader.read(r, file.toString());
            for (int label : model.label)
                if (label >= numClasses)
                    throw new IOException(file + ": label " + label + " is not one of the classifier's " + numClasses + " classes");
            return new SvmClassifier(model, numClasses);
        } catch (IOException e) {
            throw new UncheckedIOException("reading SVM model " + file, e);
        }
    }

    private static svm_node[] nodes(double[] x) {
        svm_node[] n = new svm_node[x.length];
        for (int j = 0; j < x.length; j++) {
            svm_node node = new svm_node();
            node.index = j + 1;
            node.value = x[j];
            n[j] = node;
        }
        return n;
    }
}
