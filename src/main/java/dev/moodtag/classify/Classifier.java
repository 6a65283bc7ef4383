package dev.moodtag.classify;

import java.nio.file.Path;

/**
 * A trained model over fused vectors: the seam between the classify stage and what implements it. LIBSVM is one
 * type ({@link SvmClassifier}); a linear model or a calibrated combiner is another {@link ClassifierType}, registered
 * in {@link ClassifierTypes}, and no caller changes. Classes are numbered 0..k-1.
 */
public interface Classifier {

    /** The name it is stored under in {@code classifier.json}, by which {@link ClassifierTypes} loads it back. */
    String type();

    int numClasses();

    /**
     * Whether the model can read vectors of {@code dim} values, as far as its file tells: a file trained on other
     * vectors is refused when it loads, not at the first request.
     */
    default boolean reads(int dim) {
        return true;
    }

    /** Whether {@link #probabilities} is available (late fusion needs it). */
    boolean hasProbabilities();

    int predict(double[] x);

    default int[] predict(double[][] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) out[i] = predict(x[i]);
        return out;
    }

    /**
     * Class probabilities indexed by class number.
     *
     * @throws IllegalStateException when the model was trained without them
     */
    double[] probabilities(double[] x);

    /** Writes the model to one file in its type's own format. */
    void save(Path file);
}
