package dev.moodtag.classify;

/**
 * The classifiers {@code moodtag train} can fit ({@code --classifier}, {@code moodtag.train.classifier}): a closed
 * set, each backed by one {@link ClassifierType} over {@link SvmParams}.
 */
public enum ClassifierKind {
    /** LIBSVM C-SVC (RBF or linear kernel): the paper's classifier; stores support vectors. */
    LIBSVM(ClassifierTypes.LIBSVM),
    /**
     * LIBLINEAR logistic regression: a weight vector per class (a few KB), probabilities for late fusion; trains in
     * seconds on tens of thousands of rows.
     */
    LOGISTIC(ClassifierTypes.LIBLINEAR_LOGISTIC),
    /** LIBLINEAR L2-loss linear SVM: weight vectors, no probabilities (early fusion only). */
    LINEAR_SVM(ClassifierTypes.LIBLINEAR_SVM);

    private final ClassifierType<SvmParams> type;

    ClassifierKind(ClassifierType<SvmParams> type) {
        this.type = type;
    }

    public ClassifierType<SvmParams> type() {
        return type;
    }

    /** Whether the kernel and gamma settings apply (LIBLINEAR models are linear by construction). */
    public boolean kernelised() {
        return this == LIBSVM;
    }

    /** {@code libsvm}, {@code logistic} or {@code linear-svm} (case and {@code -}/{@code _} do not matter). */
    public static ClassifierKind parse(String name) {
        return dev.moodtag.support.Choice.parse("classifier", name, ClassifierKind.class);
    }
}
