package dev.moodtag.classify;

import dev.moodtag.support.ParallelWork;
import dev.moodtag.support.SettingRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleBiFunction;

/**
 * Chooses C (and gamma for the RBF kernel) by validation on folds made from training data only. The caller
 * builds the validation folds (with their own scalers) from its training rows; nothing of the outer test rows may
 * be in them.
 *
 * @param cs          the C values tried
 * @param gammaScales RBF gamma values tried, as multiples of 1 / dimension (LIBSVM's default is 1 / dimension)
 * @param threads     grid points evaluated concurrently (training without probability estimates is
 *                    deterministic, and LIBLINEAR seeds each fit, so the result does not depend on this)
 * @param rule        how the point is chosen from the scores
 */
public record GridSearch(List<Double> cs, List<Double> gammaScales, int threads, Rule rule) {

    public GridSearch {
        cs = List.copyOf(cs);
        gammaScales = List.copyOf(gammaScales);
        // Not bounded above here: a grid recorded with an exported pack before MAX_C existed still reads back (a
        // retraining on the pack's rows checks its recorded grid against MAX_C itself: PartRetraining)
        if (cs.isEmpty()) throw new IllegalArgumentException("the C grid is empty: the C grid needs at least one C > 0");
        checkPositive("the C grid", "C", cs);
        checkPositive("the gamma scales", "gamma scale", gammaScales); // none: a linear kernel's grid
        java.util.Objects.requireNonNull(rule, "rule");
        // A size below 1 was raised to 1 where the grid ran (and never looked at for a grid of one point): a caller's
        // bug hidden. Refused as ParallelWork refuses it, when the search is made.
        SettingRange.within("grid search threads", threads, 1, ParallelWork.MAX_THREADS).ifPresent(wrong -> {
            throw new IllegalArgumentException(wrong);
        });
    }

    /**
     * The largest C a grid may try: 2^15, the top of the range LIBSVM's own tools search (tools/grid.py, and Hsu, Chang
     * and Lin's "A Practical Guide to Support Vector Classification": C = 2^-5 .. 2^15). Past it a C no longer says
     * how much a mistake costs but that none is allowed, and the solver works towards that on data it cannot separate
     * (the same short utterance with two labels): on 200 MELD text rows C = 1e308 managed 10 of 50 fits in 67 s, where
     * C = 2^15 (and 1e6) fitted all 50 in 6 s.
     */
    public static final double MAX_C = 32768;

    /**
     * Refuses a C grid that is empty or holds a C that is not a finite number above 0 and at most {@link #MAX_C},
     * naming where it was given: LIBSVM and LIBLINEAR refuse C <= 0 only at the first fit, after every feature was
     * extracted, and a C past the bound was fitted for as long as it took.
     *
     * @param source the option or configuration key the grid came from ({@code --c}, {@code moodtag.train.c-grid})
     */
    public static void checkCs(String source, List<Double> cs) {
        if (cs.isEmpty()) throw new IllegalArgumentException(source + " is empty: the C grid needs at least one C > 0");
        checkPositive(source, "C", cs);
        for (double c : cs)
            if (c > MAX_C)
                throw new IllegalArgumentException(source + " " + listed(cs) + ": C " + c + " is out of range: C must be > 0 and at most "
                        + (long) MAX_C + " (2^15, the largest C LIBSVM's grid search tries)");
    }

    /**
     * Refuses gamma scales that are empty or hold a scale that is not a finite number above 0, naming where they were
     * given: an RBF model with gamma <= 0 would train, and then be refused when its classifier loads.
     *
     * @param source the option or configuration key they came from ({@code --gamma-scales},
     *               {@code moodtag.train.gamma-scales})
     */
    public static void checkGammaScales(String source, List<Double> gammaScales) {
        if (gammaScales.isEmpty())
            throw new IllegalArgumentException(source + " is empty: the RBF kernel needs at least one gamma scale > 0");
        checkPositive(source, "gamma scale", gammaScales);
    }

    private static void checkPositive(String source, String what, List<Double> values) {
        for (Double v : values) {
            if (v == null || !(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(source + " " + listed(values) + ": " + what + " " + v
                        + " is not a finite number > 0");
            }
        }
    }

    private static String listed(List<Double> values) {
        return values.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    /** The best point wins ({@link Rule#BEST}). */
    public GridSearch(List<Double> cs, List<Double> gammaScales, int threads) {
        this(cs, gammaScales, threads, Rule.BEST);
    }

    /** How a point is chosen. */
    public enum Rule {
        /** The highest mean score (ties: the first in grid order, i.e. the smaller C). */
        BEST,
        /**
         * The one-standard-error rule (Breiman et al. 1984; Hastie et al., ESL 7.10): the smoothest point whose mean
         * score is within one standard error (over the validation splits) of the best point's. Smoothest is the
         * smallest gamma, then the smallest C. Validation splits from one corpus reward fitting that corpus; the rule
         * trades a little of that for a smoother model. With one split (a dev split) there is no standard error and it
         * is {@link #BEST}.
         */
        ONE_SE;

        public String id() {
            return dev.moodtag.support.Choice.spelling(this);
        }

        public static Rule parse(String s) {
            return dev.moodtag.support.Choice.parse("select-rule", s, Rule.class);
        }
    }

    /** One validation split: train on the first part, score on the second. Built from training rows only. */
    public record Split(double[][] trainX, int[] trainY, double[][] valX, int[] valY) {
    }

    /** One grid point, its mean score over the validation splits and the standard error of that mean (0 for one split). */
    public record Point(double c, double gamma, double score, double standardError) {
        public Point(double c, double gamma, double score) {
            this(c, gamma, score, 0);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "C=%g gamma=%.3g score=%.4f ± %.4f", c, gamma, score, standardError);
        }
    }

    public record Result(SvmParams best, double bestScore, List<Point> points) {
    }

    /**
     * Hears the search while it runs, from the threads that evaluate the grid points (so implementations must be
     * thread-safe): one LIBSVM fit on a large set can take minutes, and a caller that says nothing meanwhile looks hung.
     * Points are numbered from 1 in grid order.
     */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** How many LIBSVM fits the search will make (points × splits), before the first one. */
        default void planned(int fits) {
        }

        /** A fit of {@code point} of {@code points} on validation split {@code split} of {@code splits} starts on {@code rows} rows. */
        default void fitStarting(int point, int points, SvmParams params, int split, int splits, int rows) {
        }

        /** That fit is done and scored on its validation rows. */
        default void fitDone(int point, int points, SvmParams params, int split, int splits, double score) {
        }

        /** A point is scored: its mean over the splits. */
        default void pointScored(int point, int points, Point scored) {
        }
    }

    /**
     * @param score scores predictions against truth (higher is better), e.g. unweighted accuracy
     */
    public Result search(List<Split> splits, int numClasses, int dim, SvmParams base,
                         ToDoubleBiFunction<int[], int[]> score) {
        return search(splits, numClasses, dim, ClassifierTypes.LIBSVM, base, score, Listener.NONE);
    }

    public Result search(List<Split> splits, int numClasses, int dim, ClassifierType<SvmParams> type, SvmParams base,
                         ToDoubleBiFunction<int[], int[]> score) {
        return search(splits, numClasses, dim, type, base, score, Listener.NONE);
    }

    /**
     * @param type     what is fitted at each grid point (the same type as the final model)
     * @param listener hears every fit start and finish, for progress on long searches
     */
    public Result search(List<Split> splits, int numClasses, int dim, ClassifierType<SvmParams> type, SvmParams base,
                         ToDoubleBiFunction<int[], int[]> score, Listener listener) {
        if (splits.isEmpty()) throw new IllegalArgumentException("no validation splits");
        List<SvmParams> candidates = new ArrayList<>();
        for (double c : cs) {
            if (base.kernel() == SvmParams.Kernel.LINEAR) {
                candidates.add(base.withCGamma(c, base.gamma()).withProbability(false));
            } else {
                for (double g : gammaScales.isEmpty() ? List.of(1.0) : gammaScales)
                    candidates.add(base.withCGamma(c, g / dim).withProbability(false));
            }
        }
        if (candidates.size() == 1) {
            SvmParams only = candidates.get(0).withProbability(base.probability());
            return new Result(only, Double.NaN, List.of(new Point(only.c(), only.gamma(), Double.NaN)));
        }
        listener.planned(candidates.size() * splits.size());
        List<Point> points = new ParallelWork("moodtag-grid", "grid search interrupted", "grid search failed")
                .map(candidates, threads, (i, p) -> {
                    int point = i + 1, total = candidates.size();
                    double sum = 0;
                    double[] each = new double[splits.size()];
                    for (int k = 0; k < splits.size(); k++) {
                        Split s = splits.get(k);
                        listener.fitStarting(point, total, p, k + 1, splits.size(), s.trainY().length);
                        Classifier m = type.fit(s.trainX(), s.trainY(), numClasses, p);
                        double one = score.applyAsDouble(s.valY(), m.predict(s.valX()));
                        listener.fitDone(point, total, p, k + 1, splits.size(), one);
                        sum += one;
                        each[k] = one;
                    }
                    Point scored = new Point(p.c(), p.gamma(), sum / splits.size(), standardError(each));
                    listener.pointScored(point, total, scored);
                    return scored;
                });
        Point best = choose(points, rule);
        return new Result(base.withCGamma(best.c(), best.gamma()), best.score(), points);
    }

    /** The point {@code rule} picks; a point whose score is not a number never wins. */
    static Point choose(List<Point> points, Rule rule) {
        Point best = points.get(0);
        for (Point pt : points) if (pt.score() > best.score() || Double.isNaN(best.score())) best = pt; // first best wins ties: smaller C
        // Without a standard error (one split) the rule is the best point, ties included.
        if (rule == Rule.BEST || Double.isNaN(best.score()) || !(best.standardError() > 0)) return best;
        double floor = best.score() - best.standardError();
        Point smoothest = best;
        for (Point pt : points) {
            if (!(pt.score() >= floor)) continue;
            if (pt.gamma() < smoothest.gamma() || (pt.gamma() == smoothest.gamma() && pt.c() < smoothest.c())) smoothest = pt;
        }
        return smoothest;
    }

    /** Sample standard deviation over the splits / √splits; 0 for one split. */
    static double standardError(double[] scores) {
        int n = scores.length;
        if (n < 2) return 0;
        double mean = 0;
        for (double s : scores) mean += s / n;
        double ss = 0;
        for (double s : scores) ss += (s - mean) * (s - mean);
        return Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
    }
}
