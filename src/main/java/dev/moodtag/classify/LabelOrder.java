package dev.moodtag.classify;

/**
 * A training library's order of labels (LIBSVM's and LIBLINEAR's: the order the classes were met in training) as our
 * class numbers: what the library answers in its order is spread over all {@code numClasses}, so a class absent from
 * training still has its place.
 *
 * @param toClass our class number for each of the library's labels, in its order
 */
record LabelOrder(int[] toClass, int numClasses) {

    /** The library's probability estimates for one sample, written into {@code p} in its label order. */
    @FunctionalInterface
    interface Estimates {
        void into(double[] p);
    }

    boolean oneClass() {
        return toClass.length == 1;
    }

    /**
     * Per class (0 for classes absent from training). A model trained on one class gives it probability 1, whether or
     * not the library kept a probability model for it.
     */
    double[] probabilities(Estimates library) {
        double[] out = new double[numClasses];
        if (oneClass()) {
            out[toClass[0]] = 1;
            return out;
        }
        double[] p = new double[toClass.length];
        library.into(p);
        for (int k = 0; k < p.length; k++) out[toClass[k]] = p[k];
        return out;
    }
}
