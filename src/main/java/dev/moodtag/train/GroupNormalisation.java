package dev.moodtag.train;

import dev.moodtag.fuse.StandardScaler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Per-corpus or per-speaker feature standardisation, as the cross-corpus speech literature uses it: each block of a
 * row is standardised with the mean and spread of that block over all rows of the row's corpus (or speaker). It
 * uses no labels, but it does use the held-out corpus's own feature statistics (unsupervised adaptation), and a
 * served utterance has no corpus or speaker statistics at all: figures measured with it are what a deployment that
 * collects per-speaker statistics could reach, not what the shipped classifier does. Export refuses it.
 *
 * <p>{@link #SPEAKER_SKEWED} asks what that is worth when the statistics come from a recording that is mostly one
 * emotion (an interview held in one mood), which is what per-recording standardisation of a timeline would meet:
 * training rows are standardised as with {@link #SPEAKER}, and each test speaker's rows with statistics weighted so
 * that one emotion makes up {@value #DOMINANT_SHARE} of them, the emotion rotating from speaker to speaker. It is a
 * simulation that reads the test labels to build the skew; it says how badly skew hurts, nothing more.
 */
public enum GroupNormalisation {
    NONE(g -> g), CORPUS(FoldScheme::corpusOf), SPEAKER(g -> g), SPEAKER_SKEWED(g -> g);

    /** The share of the statistics' weight that the dominant emotion carries under {@link #SPEAKER_SKEWED}. */
    public static final double DOMINANT_SHARE = 0.8;

    private final Function<String, String> key;

    GroupNormalisation(Function<String, String> key) {
        this.key = key;
    }

    /** As given on the command line: {@code none}, {@code corpus}, {@code speaker}, {@code speaker-skewed}. */
    public static GroupNormalisation parse(String s) {
        for (GroupNormalisation g : values()) if (g.option().equals(s.trim().toLowerCase(Locale.ROOT))) return g;
        throw new IllegalArgumentException("--normalise must be one of "
                + Arrays.stream(values()).map(GroupNormalisation::option).toList() + ", not '" + s + "'");
    }

    /** The spelling {@link #parse} reads. */
    public String option() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What the report says was done to the features. */
    public String described() {
        return switch (this) {
            case NONE -> "features not standardised per group";
            case CORPUS, SPEAKER -> "features standardised per " + option() + " over all its rows, test rows included"
                    + " (label-free; not available when serving a single utterance)";
            case SPEAKER_SKEWED -> "features standardised per speaker; each test speaker's statistics weighted so that"
                    + " one emotion (rotating over speakers, read from the test labels) makes up "
                    + Math.round(100 * DOMINANT_SHARE) + " % of them: a simulation of a recording held in one mood";
        };
    }

    /** The table with every present block standardised within its row's corpus or speaker. */
    public FeatureTable apply(FeatureTable t) {
        if (this == NONE) return t;
        Map<String, List<Integer>> byKey = rowsByKey(t);
        List<float[][]> out = t.samples().stream().map(float[][]::clone).toList(); // blocks replaced, never written
        for (List<Integer> rows : byKey.values()) standardise(t, rows, null, out);
        return with(t, out);
    }

    /**
     * The table the test rows are read from: {@link #apply}'s, except under {@link #SPEAKER_SKEWED}, where each
     * speaker's statistics over-weight one emotion (speakers in name order take the classes in turn; a speaker
     * without rows of its turn's class takes the next class it has).
     */
    public FeatureTable forTesting(FeatureTable t, FeatureTable applied) {
        if (this != SPEAKER_SKEWED) return applied;
        List<float[][]> out = t.samples().stream().map(float[][]::clone).toList();
        int k = t.classes().size(), turn = 0;
        for (List<Integer> rows : new TreeMap<>(rowsByKey(t)).values()) {
            int[] perClass = new int[k];
            for (int i : rows) perClass[t.labels()[i]]++;
            int dominant = turn++ % k;
            while (perClass[dominant] == 0) dominant = (dominant + 1) % k;
            int others = rows.size() - perClass[dominant];
            // Weight w on the dominant rows: w n_d / (w n_d + n_o) = share. A speaker with one class only keeps 1.
            double w = others == 0 ? 1 : DOMINANT_SHARE * others / ((1 - DOMINANT_SHARE) * perClass[dominant]);
            double[] weights = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) weights[r] = t.labels()[rows.get(r)] == dominant ? w : 1;
            standardise(t, rows, weights, out);
        }
        return with(t, out);
    }

    private Map<String, List<Integer>> rowsByKey(FeatureTable t) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < t.size(); i++) {
            if (t.groups()[i] == null || t.groups()[i].isEmpty())
                throw new IllegalArgumentException(this + " normalisation needs a group on every row; row " + t.ids().get(i) + " has none");
            byKey.computeIfAbsent(key.apply(t.groups()[i]), k -> new ArrayList<>()).add(i);
        }
        return byKey;
    }

    /** Standardises every block of {@code rows} with their own statistics, weighted when {@code weights} is given. */
    private static void standardise(FeatureTable t, List<Integer> rows, double[] weights, List<float[][]> out) {
        for (int b = 0; b < t.layout().size(); b++) {
            final int block = b;
            int dim = t.layout().block(b).dim();
            List<float[]> vectors = rows.stream().map(i -> t.samples().get(i)[block]).toList();
            StandardScaler s = weights == null ? StandardScaler.fit(vectors, dim)
                    : StandardScaler.fitWeighted(vectors, weights, dim);
            double[] z = new double[dim];
            for (int i : rows) {
                float[] v = t.samples().get(i)[b];
                if (v == null) continue;
                s.transform(v, z, 0);
                float[] f = new float[dim];
                for (int j = 0; j < dim; j++) f[j] = (float) z[j];
                out.get(i)[b] = f;
            }
        }
    }

    private static FeatureTable with(FeatureTable t, List<float[][]> samples) {
        return new FeatureTable(t.layout(), t.classes(), t.ids(), samples, t.labels(), t.groups(), t.splits(),
                t.skippedLabels(), t.skippedRows(), t.featurelessScored());
    }
}
