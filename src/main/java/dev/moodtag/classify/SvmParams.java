package dev.moodtag.classify;

import java.util.Locale;

/**
 * The settings of one LIBSVM C-SVC.
 *
 * @param gamma       the RBF kernel width (ignored by the linear kernel)
 * @param probability train Platt-scaled probability estimates (needed for late fusion; costs an internal
 *                    5-fold cross-validation, so about 5× the training time)
 */
public record SvmParams(Kernel kernel, double c, double gamma, boolean probability, ClassWeighting weighting) {

    public enum Kernel { RBF, LINEAR }

    /** {@code BALANCED}: class c weighs n / (k · n_c), computed on the training rows of each fold. */
    public enum ClassWeighting { NONE, BALANCED }

    public SvmParams withCGamma(double c, double gamma) {
        return new SvmParams(kernel, c, gamma, probability, weighting);
    }

    public SvmParams withProbability(boolean p) {
        return new SvmParams(kernel, c, gamma, p, weighting);
    }

    @Override
    public String toString() {
        return kernel == Kernel.LINEAR ? String.format(Locale.ROOT, "linear C=%g", c)
                : String.format(Locale.ROOT, "rbf C=%g gamma=%.3g", c, gamma);
    }
}
