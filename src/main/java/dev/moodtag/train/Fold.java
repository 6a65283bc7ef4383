package dev.moodtag.train;

/**
 * One outer fold: row positions to train on and to test on, and (for a given split with a dev part) the rows used
 * to choose hyper-parameters. All three are disjoint.
 *
 * @param validation rows for model selection; empty when the grid search builds inner folds from {@code train}
 */
public record Fold(int index, String name, int[] train, int[] test, int[] validation) {
}
