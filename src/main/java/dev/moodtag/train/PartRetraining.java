package dev.moodtag.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.classify.ClassifierKind;
import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.FusedSvm;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.classify.SvmParams;
import dev.moodtag.classify.TrainingRows;
import dev.moodtag.fuse.EarlyFusion;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.support.ShownText;
import dev.moodtag.support.TrueOrFalse;
import dev.moodtag.support.WholeNumber;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A part trained again on the rows it shipped with ({@link TrainingRows}) and rows added to them, by the code
 * {@code moodtag train --export} trained it with ({@link Experiment#fit}: the part's scalers, block weights, balanced
 * class weights, probability estimates and the grid search over inner folds grouped by the rows' groups), under the
 * settings recorded with the rows. The rows are already what the trainer received (standardised per speaker), so
 * they are not standardised again.
 */
public final class PartRetraining {
    private PartRetraining() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The classifier with each part that reads speech standardised over a recording carrying the rows it was trained
     * on: {@code applied}'s {@code train} rows, restricted to the part's blocks.
     */
    static EmotionClassifier attach(EmotionClassifier clf, FeatureTable applied, int[] train, ExperimentSettings settings) {
        List<FusedSvm> parts = new ArrayList<>();
        for (FusedSvm p : clf.parts()) {
            if (p.over() != dev.moodtag.classify.StandardisedOver.RECORDING) {
                parts.add(p);
                continue;
            }
            int[] blocks = p.fusion().blocks();
            List<float[][]> samples = new ArrayList<>();
            for (int i : train) {
                float[][] s = new float[blocks.length][];
                for (int b = 0; b < blocks.length; b++) s[b] = applied.samples().get(i)[blocks[b]];
                samples.add(s);
            }
            parts.add(p.withRows(new TrainingRows(
                    Arrays.stream(blocks).mapToObj(b -> applied.layout().block(b).id()).toList(),
                    Arrays.stream(blocks).map(b -> applied.layout().block(b).dim()).toArray(), samples,
                    Arrays.stream(train).map(i -> applied.labels()[i]).toArray(),
                    Arrays.stream(train).mapToObj(i -> applied.groups()[i]).toList(), JSON.valueToTree(settings))));
        }
        return new EmotionClassifier(clf.mode(), clf.classes(), clf.layout(), parts, clf.weights());
    }

    /**
     * The part of {@code clf} at {@code k} trained again on its shipped rows and {@code added} (samples of {@code clf}'s
     * whole layout) labelled {@code addedLabels} (class numbers), all in one group of their own (named
     * {@code <first row's corpus>:pseudo}, as bench/self_train.py names it, so the grid search's grouped inner folds
     * keep them together); the new part reads the same layout positions of {@code clf} and is standardised over what
     * the old one was.
     *
     * @throws IllegalStateException when the part ships no rows
     */
    public static FusedSvm retrain(EmotionClassifier clf, int k, List<float[][]> added, int[] addedLabels,
                                   TrainingProgress progress) {
        FusedSvm part = clf.parts().get(k);
        TrainingRows rows = part.rows();
        if (rows == null) throw new IllegalStateException("part " + k + " ships no training rows");
        if (added.size() != addedLabels.length) throw new IllegalArgumentException("one label per added sample");
        int[] blocks = part.fusion().blocks();
        int n = rows.size() + added.size();
        List<float[][]> samples = new ArrayList<>(rows.samples());
        for (float[][] a : added) {
            float[][] s = new float[blocks.length][];
            for (int b = 0; b < blocks.length; b++) s[b] = a[blocks[b]];
            samples.add(s);
        }
        String first = rows.groups().get(0);
        String addedGroup = (FoldScheme.namesCorpus(first) ? FoldScheme.corpusOf(first) : "added") + ":pseudo";
        int[] labels = IntStream.concat(Arrays.stream(rows.labels()), Arrays.stream(addedLabels)).toArray();
        String[] groups = new String[n];
        for (int i = 0; i < n; i++) groups[i] = i < rows.size() ? rows.groups().get(i) : addedGroup;
        List<String> ids = IntStream.range(0, n).mapToObj(i -> (i < rows.size() ? "row-" : "added-") + i).toList();
        FeatureLayout layout = clf.layout().select(blocks);
        FeatureTable table = new FeatureTable(layout, clf.classes(), ids, samples, labels, groups, new String[n],
                Map.of(), Map.of(), false);
        ExperimentSettings settings = settings(rows.settings());
        EmotionClassifier fitted = new Experiment(settings, progress).fit(table, Experiment.allBlocks(layout),
                IntStream.range(0, n).toArray(), new int[0]);
        FusedSvm trained = fitted.parts().get(0);
        // Back into the classifier's layout: the same positions the shipped part read
        EarlyFusion fusion = new EarlyFusion(clf.layout(), blocks, trained.fusion().scalers(), trained.fusion().blockWeights());
        return new FusedSvm(fusion, trained.model(), trained.params(), part.over());
    }

    /**
     * Why a part cannot be trained again: it ships no rows, or the settings recorded with them do not read back (a
     * hand-edited {@code classifier.json}); empty when it can. Asked before a batch is read for it, so a batch is not
     * picked over for a retraining that would fail.
     */
    public static Optional<String> problem(FusedSvm part) {
        if (part.rows() == null) return Optional.of("ships no training rows (exported before moodtag train --export wrote "
                + "them; export it again)");
        try {
            settings(part.rows().settings());
            return Optional.empty();
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.of("ships training rows whose recorded settings do not read back (" + e.getMessage() + ")");
        }
    }

    /**
     * The settings {@code moodtag train} recorded with the rows, with the rows taken as they are: they were
     * standardised per speaker before they were recorded, and a retraining evaluates nothing. Its counts and seed are
     * whole numbers as written ({@link WholeNumber}): read with asInt, a missing {@code gridMaxSamples} was 0 (all rows),
     * a missing seed 0, {@code "5"} and 5.9 five inner folds, and 2^32 + 5 five as well. Its switches are JSON booleans
     * ({@link TrueOrFalse#of}): read with asBoolean, {@code "true"} and 1 were true, and {@code "yes"}, null or a missing
     * {@code balanceBlocks} false. The base C and gamma are numbers as {@link #number} reads them (moodtag train writes
     * C 1 and gamma 0; the grid search replaces both): read with asDouble, {@code true} was C 1.
     */
    static ExperimentSettings settings(JsonNode s) {
        JsonNode base = s.path("base"), grid = s.path("grid");
        List<Double> cs = positives(grid, "cs", GridSearch.MAX_C), gammas = positives(grid, "gammaScales", Double.MAX_VALUE);
        SvmParams params = new SvmParams(named(SvmParams.Kernel.class, base.path("kernel")),
                number(base.get("c"), "base.c", false, GridSearch.MAX_C), number(base.get("gamma"), "base.gamma", true, Double.MAX_VALUE),
                TrueOrFalse.of(base.get("probability"), "base.probability", IllegalArgumentException::new),
                named(SvmParams.ClassWeighting.class, base.path("weighting")));
        GridSearch search = new GridSearch(cs, gammas, grid.has("threads")
                ? (int) WholeNumber.within(grid.get("threads"), "grid.threads", 1, TrainThreads.MAX_THREADS, IllegalArgumentException::new) : 1,
                grid.has("rule") ? named(GridSearch.Rule.class, grid.path("rule")) : GridSearch.Rule.BEST);
        return new ExperimentSettings(named(FusionMode.class, s.path("mode")), params, search,
                (int) WholeNumber.within(s.path("innerFolds"), "innerFolds", 2, ExperimentSettings.MAX_INNER_FOLDS,
                        IllegalArgumentException::new),
                (int) WholeNumber.within(s.path("gridMaxSamples"), "gridMaxSamples", 0, Integer.MAX_VALUE, IllegalArgumentException::new),
                named(SelectBy.class, s.path("selectBy")), TrueOrFalse.of(s.get("balanceBlocks"), "balanceBlocks", IllegalArgumentException::new), ExperimentSettings.Ablation.NONE,
                WholeNumber.within(s.path("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE, IllegalArgumentException::new),
                named(ClassifierKind.class, s.path("classifier")),
                named(ExperimentSettings.FusionWeights.class, s.path("fusionWeights")), GroupNormalisation.NONE,
                s.has("balance") ? named(SampleBalance.class, s.path("balance")) : SampleBalance.NONE);
    }

    /**
     * The list of numbers at {@code grid.<key>}, each a JSON number, finite, above 0 and at most {@code max} (for C,
     * {@link GridSearch#MAX_C}, as {@code moodtag train} allows: a retraining is a training, and a C past it fits for as
     * long as it takes). Read with asDouble, {@code true} and {@code "1"} were 1, {@code null} 0 (said as 'C 0.0'), and a
     * gamma-scale list that was missing or no list was none, so an RBF part was trained again at scale 1 alone.
     */
    private static List<Double> positives(JsonNode grid, String key, double max) {
        JsonNode list = grid.get(key);
        if (list == null || !list.isArray())
            throw new IllegalArgumentException("'grid." + key + "' must be a list of numbers, not "
                    + (list == null ? "missing" : ShownText.shortened(list.toString(), 80)));
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) values.add(number(list.get(i), "grid." + key + "[" + i + "]", false, max));
        return values;
    }

    /**
     * The number {@code v} at {@code key} is: a JSON number, finite, above 0 (at least 0 where {@code zeroAllowed}) and
     * at most {@code max}; refused as "'base.c' must be a finite number above 0 and at most 32768, not true".
     */
    private static double number(JsonNode v, String key, boolean zeroAllowed, double max) {
        double d = v != null && v.isNumber() ? v.doubleValue() : Double.NaN;
        if (!(zeroAllowed ? d >= 0 : d > 0) || !Double.isFinite(d) || d > max)
            throw new IllegalArgumentException("'" + key + "' must be a finite number " + (zeroAllowed ? "at least 0" : "above 0")
                    + (max < Double.MAX_VALUE ? " and at most " + (long) max : "") + ", not "
                    + (v == null || v.isMissingNode() ? "missing" : ShownText.shortened(v.toString(), 80)));
        return d;
    }

    private static <E extends Enum<E>> E named(Class<E> type, JsonNode v) {
        if (!v.isTextual()) throw new IllegalArgumentException("the rows' training settings lack a " + type.getSimpleName());
        return Enum.valueOf(type, v.asText().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
