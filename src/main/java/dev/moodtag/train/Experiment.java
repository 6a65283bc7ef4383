package dev.moodtag.train;

import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.FusedSvm;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.classify.LateFusionWeights;
import dev.moodtag.classify.SvmParams;
import dev.moodtag.fuse.EarlyFusion;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.label.RecordingGuard;
import dev.moodtag.media.Modality;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-validation of the classifier on a {@link FeatureTable}: for each modality (or block) subset of the ablation and each
 * outer fold, everything that learns from data (the scalers, the grid search over C and gamma, the class weights)
 * sees the fold's training rows only; the test rows are touched once, for the prediction.
 */
public final class Experiment {

    private static final Logger LOG = Logger.getLogger(Experiment.class);

    private final ExperimentSettings settings;
    private final TrainingProgress progress;

    /** Silent: nothing is said while it runs. */
    public Experiment(ExperimentSettings settings) {
        this(settings, TrainingProgress.SILENT);
    }

    public Experiment(ExperimentSettings settings, TrainingProgress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * One outer fold's outcome. {@code params} is the grid search's choice for each part (one per modality in late
     * fusion); {@code selection} says on what it was chosen ({@link Selection}).
     */
    public record FoldResult(String fold, int trainRows, int testRows, List<String> params, Selection selection,
                             Metrics metrics, Map<String, Metrics> byCorpus, Calibration calibration,
                             Map<String, Calibration> calibrationByCorpus,
                             @JsonIgnore List<RowPrediction> predictions) {
    }

    /**
     * What the fold's classifier served for one test row, as the product would publish it: the label (the training
     * majority where no block of the subset is present) and the class probabilities, null where it served none.
     * Written per row to {@code predictions-<subset>.csv}, not to report.json, whose size would follow the rows.
     */
    public record RowPrediction(String id, String group, int truth, int predicted, double[] probabilities) {
    }

    /**
     * Where C and gamma were chosen for a fold: on the given dev split, on inner folds of the fold's training rows
     * (grouped when every training row has a group and there are enough groups, else stratified), or nowhere (the
     * grid has one point).
     */
    public record Selection(Kind kind, int innerFolds, int validationRows) {
        public enum Kind { DEV_SPLIT, INNER_GROUPED, INNER_STRATIFIED, FIXED }

        @Override
        public String toString() {
            return switch (kind) {
                case DEV_SPLIT -> "the dev split";
                case INNER_GROUPED -> innerFolds + " inner grouped folds of each outer training set";
                case INNER_STRATIFIED -> innerFolds + " inner stratified folds of each outer training set";
                case FIXED -> "no search (one grid point)";
            };
        }
    }

    /** The classifier and where its C and gamma were chosen. */
    private record Fitted(EmotionClassifier classifier, Selection selection) {
    }

    /**
     * One modality subset over all folds. {@code pooled} is computed from the confusion matrices summed over folds;
     * {@code pooledByCorpus} the same per corpus (empty unless every row's group is written corpus:speaker and there
     * are several corpora): a pooled figure over unequal corpora hides which one a change helps.
     * {@code calibration} and {@code calibrationByCorpus} are the same for the probabilities the folds' classifiers
     * served for their test rows.
     */
    public record SubsetResult(String subset, List<String> blocks, List<FoldResult> folds, MetricSummary wa,
                               MetricSummary ua, MetricSummary macroF1, MetricSummary weightedF1, Metrics pooled,
                               Map<String, Metrics> pooledByCorpus, Calibration calibration,
                               Map<String, Calibration> calibrationByCorpus) {
    }

    /**
     * @param rows                the rows of the table
     * @param testRowsSharedGroup test rows, over all outer folds, whose group (speaker) is also among that fold's
     *                            training rows: 0 for grouped folds; a given split or stratified folds may have many
     */
    public record Result(String protocol, FusionMode mode, List<String> classes, int rows, int testRowsSharedGroup,
                         List<SubsetResult> subsets) {
        public SubsetResult full() {
            return subsets.get(subsets.size() - 1);
        }
    }

    public Result run(FeatureTable input, FoldScheme scheme) {
        FeatureTable table = settings.normalisation().apply(input);
        FeatureTable tested = settings.normalisation().forTesting(input, table);
        List<Fold> folds = scheme.folds(table.labels(), table.groups(), table.splits());
        requireTrainable(table, folds, scheme);
        FeatureLayout layout = table.layout();
        Map<String, int[]> subsets = new LinkedHashMap<>(); // label → layout positions
        switch (settings.ablation()) {
            case NONE -> subsets.put(code(EnumSet.copyOf(layout.modalities()), layout), allBlocks(layout));
            case MODALITIES -> subsets(layout.modalities()).forEach(s ->
                    subsets.put(code(EnumSet.copyOf(s), layout), layout.indicesOf(EnumSet.copyOf(s))));
            case BLOCKS -> subsets(java.util.stream.IntStream.range(0, layout.size()).boxed().toList()).forEach(s ->
                    subsets.put(s.stream().map(b -> layout.block(b).modality().code() + "(" + layout.block(b).id() + ")")
                            .collect(Collectors.joining("+")), s.stream().mapToInt(Integer::intValue).toArray()));
        }
        progress.planned(plannedFits(subsets.values(), folds, layout));
        List<SubsetResult> out = new ArrayList<>();
        for (Map.Entry<String, int[]> subset : subsets.entrySet()) {
            long t0 = System.nanoTime();
            List<FoldResult> fr = new ArrayList<>();
            for (int f = 0; f < folds.size(); f++) {
                String where = "fold " + (f + 1) + "/" + folds.size() + " " + subset.getKey();
                FoldResult r = runFold(input, table, tested, subset.getValue(), folds.get(f), where);
                progress.foldDone(where, r);
                fr.add(r);
            }
            List<Metrics> ms = fr.stream().map(FoldResult::metrics).toList();
            SubsetResult r = new SubsetResult(subset.getKey(),
                    Arrays.stream(subset.getValue()).mapToObj(b -> layout.block(b).id()).toList(), fr,
                    MetricSummary.over(ms, Metrics::wa), MetricSummary.over(ms, Metrics::ua),
                    MetricSummary.over(ms, Metrics::macroF1), MetricSummary.over(ms, Metrics::weightedF1),
                    Metrics.of(Metrics.sum(ms.stream().map(Metrics::confusion).toList(), table.classes().size())),
                    pooledByCorpus(fr, table.classes().size()),
                    Calibration.pooled(fr.stream().map(FoldResult::calibration).toList()), calibrationByCorpus(fr));
            LOG.infof("%-12s %d fold(s) in %.0f s: WA %s  UA %s  macro-F1 %s  weighted-F1 %s", r.subset(), folds.size(),
                    (System.nanoTime() - t0) / 1e9, r.wa().percent(), r.ua().percent(), r.macroF1().percent(),
                    r.weightedF1().percent());
            out.add(r);
        }
        return new Result(scheme.describe(), settings.mode(), table.classes(), table.size(),
                testRowsSharedGroup(folds, table.groups()), out);
    }

    /** Test rows, over the folds, whose non-empty group is among the same fold's training rows. */
    static int testRowsSharedGroup(List<Fold> folds, String[] groups) {
        int shared = 0;
        for (Fold f : folds) {
            Set<String> trained = new HashSet<>();
            for (int i : f.train()) if (groups[i] != null && !groups[i].isEmpty()) trained.add(groups[i]);
            for (int i : f.test()) if (groups[i] != null && trained.contains(groups[i])) shared++;
        }
        return shared;
    }

    /**
     * Refuses, before any fit, a fold that has nothing to test or whose training rows with features hold fewer than
     * two classes: a classifier cannot be trained on one class, and a fold scheme that makes such folds does not fit
     * the data (too few rows, classes or groups).
     */
    private static void requireTrainable(FeatureTable table, List<Fold> folds, FoldScheme scheme) {
        if (folds.isEmpty()) throw new IllegalArgumentException("fold scheme " + scheme.describe() + " made no fold");
        for (Fold f : folds) {
            String fold = "fold " + (f.index() + 1) + " of " + folds.size() + " (" + f.name() + ", " + scheme.describe() + ")";
            if (f.test().length == 0) throw new IllegalArgumentException(fold + " has no test rows");
            long classes = Arrays.stream(present(table, f.train(), allBlocks(table.layout())))
                    .map(i -> table.labels()[i]).distinct().count();
            if (classes < 2)
                throw new IllegalArgumentException(fold + ": its training rows with features hold " + classes
                        + " class(es); a classifier needs two or more (too few rows, classes or groups for this fold scheme)");
        }
    }

    /** LIBSVM fits the run will make, for the ETA: per fold and part, the grid (points × splits) and the final fit. */
    private int plannedFits(java.util.Collection<int[]> subsets, List<Fold> folds, FeatureLayout layout) {
        GridSearch g = settings.grid();
        int points = settings.base().kernel() == SvmParams.Kernel.LINEAR ? g.cs().size()
                : g.cs().size() * Math.max(1, g.gammaScales().size());
        int fits = 0;
        for (int[] blocks : subsets) {
            int parts = settings.mode() == FusionMode.EARLY ? 1
                    : (int) Arrays.stream(blocks).mapToObj(b -> layout.block(b).modality()).distinct().count();
            for (Fold f : folds) {
                int splits = f.validation().length > 0 ? 1 : settings.innerFolds();
                // A guarded normalisation fits a first-pass model beside each fold's.
                fits += parts * ((points > 1 ? points * splits : 0) + 1) * (settings.normalisation().guarded() ? 2 : 1);
            }
        }
        return fits;
    }

    /**
     * Trains on {@code table}'s rows and predicts {@code tested}'s (the same table but under a skewed normalisation).
     * Under a guarded normalisation, each test speaker is served as a timeline serves a recording: a model trained on
     * {@code input} (not standardised) labels the speaker's rows first, and the standardised model's labels replace
     * those only where {@link RecordingGuard#DEFAULT} passes them.
     */
    private FoldResult runFold(FeatureTable input, FeatureTable table, FeatureTable tested, int[] blocks, Fold fold,
                               String where) {
        Fitted fitted = fit(table, blocks, fold.train(), fold.validation(), where);
        EmotionClassifier clf = fitted.classifier();
        int majority = majority(table.labels(), fold.train(), table.classes().size());
        int[] truth = new int[fold.test().length], pred = new int[fold.test().length];
        // What the product would publish for each test row: null where it publishes no probabilities
        double[][] served = new double[fold.test().length][];
        for (int k = 0; k < fold.test().length; k++) {
            int i = fold.test()[k];
            truth[k] = table.labels()[i];
            EmotionClassifier.Prediction p = clf.predict(tested.samples().get(i));
            pred[k] = p.label() < 0 ? majority : p.label(); // no block of this subset present: fall back to the training majority
            served[k] = p.label() < 0 ? null : p.probabilities();
        }
        if (settings.normalisation().guarded()) guard(input, blocks, fold, where, majority, pred, served);
        List<String> params = clf.parts().stream().map(p -> p.model().type() + " " + p.params()).toList();
        Map<String, int[]> corpora = corpusPositions(table.groups(), fold.test());
        int k = table.classes().size();
        List<RowPrediction> rows = new ArrayList<>(fold.test().length);
        for (int r = 0; r < fold.test().length; r++) {
            int i = fold.test()[r];
            rows.add(new RowPrediction(table.ids().get(i), table.groups()[i], truth[r], pred[r], served[r]));
        }
        return new FoldResult(fold.name(), fold.train().length, fold.test().length, params, fitted.selection(),
                Metrics.of(truth, pred, k), byCorpus(corpora, rs -> Metrics.of(pick(truth, rs), pick(pred, rs), k)),
                Calibration.of(truth, served), byCorpus(corpora, rs -> Calibration.of(pick(truth, rs),
                Arrays.stream(rs).mapToObj(r -> served[r]).toArray(double[][]::new))), rows);
    }

    /**
     * The positions among {@code test} of each corpus's rows, by corpus name; empty when the table's groups do not
     * all name a corpus or name only one.
     */
    static Map<String, int[]> corpusPositions(String[] groups, int[] test) {
        boolean named = Arrays.stream(groups).allMatch(FoldScheme::namesCorpus);
        if (!named || Arrays.stream(groups).map(FoldScheme::corpusOf).distinct().count() < 2) return Map.of();
        Map<String, List<Integer>> positions = new java.util.TreeMap<>();
        for (int r = 0; r < test.length; r++)
            positions.computeIfAbsent(FoldScheme.corpusOf(groups[test[r]]), c -> new ArrayList<>()).add(r);
        Map<String, int[]> out = new LinkedHashMap<>();
        positions.forEach((corpus, rs) -> out.put(corpus, rs.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** One measure per corpus, of that corpus's positions. */
    private static <T> Map<String, T> byCorpus(Map<String, int[]> corpora, java.util.function.Function<int[], T> measure) {
        Map<String, T> out = new LinkedHashMap<>();
        corpora.forEach((corpus, rs) -> out.put(corpus, measure.apply(rs)));
        return out;
    }

    private static Map<String, Calibration> calibrationByCorpus(List<FoldResult> folds) {
        Map<String, List<Calibration>> parts = new java.util.TreeMap<>();
        for (FoldResult f : folds)
            f.calibrationByCorpus().forEach((corpus, c) -> parts.computeIfAbsent(corpus, x -> new ArrayList<>()).add(c));
        Map<String, Calibration> out = new LinkedHashMap<>();
        parts.forEach((corpus, cs) -> out.put(corpus, Calibration.pooled(cs)));
        return out;
    }

    private static Map<String, Metrics> pooledByCorpus(List<FoldResult> folds, int k) {
        Map<String, List<int[][]>> confusions = new java.util.TreeMap<>();
        for (FoldResult f : folds)
            f.byCorpus().forEach((corpus, m) -> confusions.computeIfAbsent(corpus, c -> new ArrayList<>()).add(m.confusion()));
        Map<String, Metrics> out = new LinkedHashMap<>();
        confusions.forEach((corpus, cms) -> out.put(corpus, Metrics.of(Metrics.sum(cms, k))));
        return out;
    }

    /** Replaces {@code pred} (the standardised model's) with a first-pass model's for the test speakers the guard stops. */
    private void guard(FeatureTable input, int[] blocks, Fold fold, String where, int majority, int[] pred,
                       double[][] served) {
        EmotionClassifier firstPass = fit(input, blocks, fold.train(), fold.validation(), where + " first pass").classifier();
        Map<Integer, Integer> position = new java.util.HashMap<>();
        for (int k = 0; k < fold.test().length; k++) position.put(fold.test()[k], k);
        double[] weights = settings.normalisation().testWeights(input);
        int standardised = 0, speakers = 0;
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> speaker : settings.normalisation().groups(input).entrySet()) {
            List<Integer> rows = speaker.getValue().stream().filter(position::containsKey).toList();
            if (rows.isEmpty()) continue;
            speakers++;
            List<EmotionClassifier.Prediction> firstPredictions = rows.stream()
                    .map(i -> firstPass.predict(input.samples().get(i))).toList();
            int[] first = firstPredictions.stream().mapToInt(EmotionClassifier.Prediction::label).toArray();
            RecordingGuard.Verdict v = RecordingGuard.DEFAULT.judge(first,
                    rows.stream().mapToDouble(i -> weights[i]).toArray(), input.classes());
            if (v.standardised()) {
                standardised++;
                continue;
            }
            kept.add(speaker.getKey() + " (" + v.reason() + ")");
            for (int r = 0; r < rows.size(); r++) {
                pred[position.get(rows.get(r))] = first[r] < 0 ? majority : first[r];
                served[position.get(rows.get(r))] = first[r] < 0 ? null : firstPredictions.get(r).probabilities();
            }
        }
        LOG.infof("%s: %d of %d test speakers standardised over their rows; first pass kept for %s", where, standardised,
                speakers, kept.isEmpty() ? "none" : String.join(", ", kept));
    }

    /**
     * Trains the classifier on the given blocks (layout positions) and rows, choosing C and gamma on
     * {@code validation} when given, else on inner folds of {@code train}. Late fusion makes one part per modality
     * among the blocks. This is also how the exported classifier is trained.
     */
    public EmotionClassifier fit(FeatureTable table, int[] blocks, int[] train, int[] validation) {
        progress.planned(plannedFits(List.of(blocks), List.of(new Fold(0, "all", train, new int[0], validation)), table.layout()));
        return fit(table, blocks, train, validation, "final model").classifier();
    }

    /** {@code where} names the fit in progress messages. */
    private Fitted fit(FeatureTable table, int[] blocks, int[] train, int[] validation, String where) {
        FeatureLayout layout = table.layout();
        int k = table.classes().size();
        List<int[]> partBlocks = new ArrayList<>();
        if (settings.mode() == FusionMode.EARLY) {
            partBlocks.add(blocks.clone());
        } else {
            for (Modality m : layout.modalities()) {
                int[] mine = Arrays.stream(blocks).filter(b -> layout.block(b).modality() == m).toArray();
                if (mine.length > 0) partBlocks.add(mine);
            }
        }
        List<FusedSvm> parts = new ArrayList<>();
        Selection selection = null;
        for (int[] part : partBlocks) {
            String partName = where + (partBlocks.size() > 1 ? " " + layout.block(part[0]).modality().code() : "");
            Choice chosen = choose(table, train, validation, part, partName);
            selection = chosen.selection();
            SvmParams p = chosen.params().withProbability(settings.mode() == FusionMode.LATE || settings.base().probability());
            int[] rows = balanced(table, train);
            progress.finalFitStarting(partName, rows.length, p);
            parts.add(FusedSvm.train(layout, table.samples(), rows, table.labels(), k, part, settings.balanceBlocks(),
                    settings.classifier().type(), p));
            progress.finalFitDone(partName);
        }
        double[] w = new double[parts.size()];
        Arrays.fill(w, 1.0);
        if (settings.mode() == FusionMode.LATE && parts.size() > 1
                && settings.fusionWeights() == ExperimentSettings.FusionWeights.LEARNED) {
            w = learnWeights(table, partBlocks, parts, train, validation);
        }
        return new Fitted(new EmotionClassifier(settings.mode(), table.classes(), layout, parts, w), selection);
    }

    /**
     * Late-fusion weights from out-of-fold probabilities inside {@code train}: each part is refitted (with the
     * parameters its grid search chose) on the inner training rows and scores the inner validation rows, so every
     * probability the weights learn from comes from a model that did not see that row; test rows are never used.
     */
    private double[] learnWeights(FeatureTable table, List<int[]> partBlocks, List<FusedSvm> parts, int[] train,
                                  int[] validation) {
        int k = table.classes().size();
        List<double[][]> probs = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        for (int[][] split : innerSplits(table, train, validation)) {
            double[][][] scored = new double[split[1].length][parts.size()][];
            for (int p = 0; p < parts.size(); p++) {
                int[] tr = present(table, balanced(table, split[0]), partBlocks.get(p));
                if (tr.length == 0) continue;
                FusedSvm inner = FusedSvm.train(table.layout(), table.samples(), tr, table.labels(), k, partBlocks.get(p),
                        settings.balanceBlocks(), settings.classifier().type(), parts.get(p).params());
                for (int r = 0; r < split[1].length; r++) {
                    float[][] sample = table.samples().get(split[1][r]);
                    if (inner.accepts(sample)) scored[r][p] = inner.model().probabilities(inner.fusion().transform(sample));
                }
            }
            for (int r = 0; r < split[1].length; r++) {
                probs.add(scored[r]);
                truth.add(table.labels()[split[1][r]]);
            }
        }
        double[] w = LateFusionWeights.learn(probs, truth.stream().mapToInt(Integer::intValue).toArray(), k, parts.size());
        LOG.infof("late-fusion weights learned from %d out-of-fold row(s): %s", probs.size(), Arrays.toString(w));
        return w;
    }

    /**
     * The validation splits model selection uses inside {@code train}: the given validation rows, else inner folds
     * of the training rows (grouped when every row has a group and there are enough groups).
     *
     * @return {innerTrain, innerValidation} pairs of row positions
     */
    private List<int[][]> innerSplits(FeatureTable table, int[] train, int[] validation) {
        List<int[][]> splits = new ArrayList<>();
        if (validation.length > 0) {
            splits.add(new int[][]{train, validation});
            return splits;
        }
        int[] labels = pick(table.labels(), train);
        String[] groups = Arrays.stream(train).mapToObj(i -> table.groups()[i]).toArray(String[]::new);
        FoldScheme inner = innerGrouped(table, train) ? new FoldScheme.GroupedKFold(settings.innerFolds(), settings.seed())
                : new FoldScheme.StratifiedKFold(settings.innerFolds(), settings.seed());
        for (Fold f : inner.folds(labels, groups, new String[train.length]))
            splits.add(new int[][]{remap(train, f.train()), remap(train, f.test())});
        return splits;
    }

    private record Choice(SvmParams params, Selection selection) {
    }

    /** Inner folds are grouped when every training row has a group and there are enough groups. */
    private boolean innerGrouped(FeatureTable table, int[] train) {
        String[] groups = Arrays.stream(train).mapToObj(i -> table.groups()[i]).toArray(String[]::new);
        return Arrays.stream(groups).allMatch(g -> g != null && !g.isEmpty())
                && Arrays.stream(groups).distinct().count() >= settings.innerFolds();
    }

    private Choice choose(FeatureTable table, int[] train, int[] validation, int[] blocks, String where) {
        List<int[][]> splits = innerSplits(table, train, validation);
        Selection selection = validation.length > 0 ? new Selection(Selection.Kind.DEV_SPLIT, 0, validation.length)
                : new Selection(innerGrouped(table, train) ? Selection.Kind.INNER_GROUPED : Selection.Kind.INNER_STRATIFIED,
                        settings.innerFolds(), 0);
        FeatureLayout layout = table.layout();
        int k = table.classes().size();
        List<GridSearch.Split> prepared = new ArrayList<>();
        for (int[][] s : splits) {
            int[] tr = present(table, balanced(table, subsample(s[0], table.labels(), settings.gridMaxSamples(), settings.seed())), blocks);
            int[] va = present(table, s[1], blocks);
            if (tr.length == 0 || va.length == 0) continue;
            EarlyFusion f = EarlyFusion.fit(layout, table.samples(), tr, blocks, settings.balanceBlocks()); // refitted per inner fold
            prepared.add(new GridSearch.Split(f.transform(table.samples(), tr), pick(table.labels(), tr),
                    f.transform(table.samples(), va), pick(table.labels(), va)));
        }
        // gamma is searched as a multiple of 1/(expected squared distance scale): the dimension, or the number of
        // blocks when each block is balanced to unit expected squared norm
        int dim = settings.balanceBlocks() ? blocks.length : Arrays.stream(blocks).map(b -> layout.block(b).dim()).sum();
        if (prepared.isEmpty())
            throw new IllegalArgumentException(where + ": its " + train.length + " training rows leave no inner "
                    + "validation split with features on both sides: too few rows or groups for the grid search");
        GridSearch.Result r = settings.grid().search(prepared, k, dim, settings.classifier().type(), settings.base(),
                (t, p) -> settings.score(t, p, k), progress.grid(where, settings.selectBy()));
        if (r.points().size() == 1) selection = new Selection(Selection.Kind.FIXED, 0, 0);
        LOG.infof("grid search over %d split(s) for blocks %s: best %s (score %.4f)", prepared.size(),
                Arrays.stream(blocks).mapToObj(b -> layout.block(b).id()).toList(), r.best(), r.bestScore());
        LOG.debugf("grid: %s", r.points());
        return new Choice(r.best(), selection);
    }

    /** Every non-empty subset of the items, smallest first, in item order within a size. */
    static <T> List<List<T>> subsets(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        int n = items.size();
        for (int size = 1; size <= n; size++) {
            for (int mask = 1; mask < (1 << n); mask++) {
                if (Integer.bitCount(mask) != size) continue;
                List<T> s = new ArrayList<>();
                for (int j = 0; j < n; j++) if ((mask & (1 << j)) != 0) s.add(items.get(j));
                out.add(s);
            }
        }
        return out;
    }

    static int[] allBlocks(FeatureLayout layout) {
        return java.util.stream.IntStream.range(0, layout.size()).toArray();
    }

    /** {@code A+V}, with the block ids when a modality has precomputed blocks, e.g. {@code V(au)+A(mfcc)}. */
    static String code(Set<Modality> subset, FeatureLayout layout) {
        return subset.stream().map(m -> m.code() + "(" + layout.blocks().stream().filter(b -> b.modality() == m)
                .map(b -> b.id()).collect(Collectors.joining(",")) + ")").collect(Collectors.joining("+"));
    }

    private static int[] pick(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int k = 0; k < rows.length; k++) out[k] = values[rows[k]];
        return out;
    }

    private static int[] remap(int[] rows, int[] positions) {
        int[] out = new int[positions.length];
        for (int k = 0; k < positions.length; k++) out[k] = rows[positions[k]];
        return out;
    }

    /** The rows a fit trains on, after the inner folds are drawn from {@code rows} (copies stay on one side). */
    private int[] balanced(FeatureTable table, int[] rows) {
        return settings.balance().apply(rows, table.labels(), table.groups(), settings.seed());
    }

    private static int[] present(FeatureTable t, int[] rows, int[] blocks) {
        return Arrays.stream(rows).filter(i -> Arrays.stream(blocks).anyMatch(b -> t.samples().get(i)[b] != null)).toArray();
    }

    /** At most {@code max} rows, the same fraction of each class, chosen with the seed (all rows when max ≤ 0). */
    static int[] subsample(int[] rows, int[] labels, int max, long seed) {
        if (max <= 0 || rows.length <= max) return rows;
        int[] folds = FoldScheme.StratifiedKFold.assign(pick(labels, rows), (int) Math.ceil(rows.length / (double) max), seed);
        return java.util.stream.IntStream.range(0, rows.length).filter(k -> folds[k] == 0).map(k -> rows[k]).toArray();
    }

    private static int majority(int[] labels, int[] rows, int k) {
        int[] c = new int[k];
        for (int i : rows) c[labels[i]]++;
        int best = 0;
        for (int j = 1; j < k; j++) if (c[j] > c[best]) best = j;
        return best;
    }
}
