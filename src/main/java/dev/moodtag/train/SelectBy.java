package dev.moodtag.train;

import java.util.Locale;

/** What the grid search maximises on the inner folds. */
public enum SelectBy {
    /** Unweighted accuracy (mean per-class recall): every class counts the same, whatever its size. */
    UA,
    /** Weighted accuracy (share of rows right). */
    WA,
    MACRO_F1,
    WEIGHTED_F1;

    public double score(Metrics m) {
        return switch (this) {
            case UA -> m.ua();
            case WA -> m.wa();
            case MACRO_F1 -> m.macroF1();
            case WEIGHTED_F1 -> m.weightedF1();
        };
    }

    /** As written on the command line and in configuration: {@code ua}, {@code macro-f1}. */
    public String option() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
