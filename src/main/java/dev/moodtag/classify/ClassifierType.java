package dev.moodtag.classify;

import java.nio.file.Path;

/**
 * One kind of {@link Classifier}: how it is fitted and read back. Registered once in {@link ClassifierTypes}.
 *
 * @param <P> its training settings (for LIBSVM, {@link SvmParams})
 */
public interface ClassifierType<P> {

    /** The name stored in {@code classifier.json} ({@code libsvm}). */
    String name();

    /** Fits on the rows {@code x} with classes {@code y} (0..numClasses-1). Same input, same model. */
    Classifier fit(double[][] x, int[] y, int numClasses, P params);

    Classifier load(Path file, int numClasses);
}
