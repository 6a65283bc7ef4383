package dev.moodtag.train;

import dev.moodtag.fuse.GroupStandardiser;
import dev.moodtag.label.RecordingGuard;

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
 * uses no labels, but it does use the held-out corpus's own feature statistics (unsupervised adaptation). A lone
 * served utterance has no such statistics; a timeline has its recording's, so {@link #SPEAKER} exports parts that
 * only a timeline's second pass uses ({@link dev.moodtag.label.RecordingRelabeller}); the others are not exported.
 * The guarded variants score each test speaker as that second pass would, guard included.
 *
 * <p>{@link #SPEAKER_SKEWED} asks what that is worth when the statistics come from a recording that is mostly one
 * emotion (an interview held in one mood), which is what per-recording standardisation of a timeline would meet:
 * training rows are standardised as with {@link #SPEAKER}, and each test speaker's rows with statistics weighted so
 * that one emotion makes up {@value #DOMINANT_SHARE} of them, the emotion rotating from speaker to speaker. It is a
 * simulation that reads the test labels to build the skew; it says how badly skew hurts, nothing more.
 */
public enum GroupNormalisation {
    NONE(g -> g), CORPUS(FoldScheme::corpusOf), SPEAKER(g -> g), SPEAKER_SKEWED(g -> g), SPEAKER_GUARDED(g -> g),
    SPEAKER_SKEWED_GUARDED(g -> g);

    /** The share of the statistics' weight that the dominant emotion carries under {@link #SPEAKER_SKEWED}. */
    public static final double DOMINANT_SHARE = 0.8;

    private final Function<String, String> key;

    GroupNormalisation(Function<String, String> key) {
        this.key = key;
    }

    /**
     * As given on the command line: {@code none}, {@code corpus}, {@code speaker}, {@code speaker-skewed},
     * {@code speaker-guarded}, {@code speaker-skewed-guarded}.
     */
    public static GroupNormalisation parse(String s) {
        return dev.moodtag.support.Choice.parse("--normalise", s, GroupNormalisation.class);
    }

    /** The spelling {@link #parse} reads. */
    public String option() {
        return dev.moodtag.support.Choice.spelling(this);
    }

    /** What the report says was done to the features. */
    public String described() {
        return switch (this) {
            case NONE -> "features not standardised per group";
            case CORPUS -> "features standardised per corpus over all its rows, test rows included"
                    + " (label-free; not available when serving)";
            case SPEAKER -> "features standardised per speaker over all its rows, test rows included"
                    + " (label-free; served only where a timeline standardises over its recording, never for a lone utterance)";
            case SPEAKER_SKEWED -> skewedDescription();
            case SPEAKER_GUARDED -> "features standardised per speaker, each test speaker as a timeline serves a recording:"
                    + guardDescription();
            case SPEAKER_SKEWED_GUARDED -> skewedDescription() + "; each test speaker then as a timeline serves a recording:"
                    + guardDescription();
        };
    }

    private static String skewedDescription() {
        return "features standardised per speaker; each test speaker's statistics weighted so that"
                + " one emotion (rotating over speakers, read from the test labels) makes up "
                + Math.round(100 * DOMINANT_SHARE) + " % of them: a simulation of a recording held in one mood";
    }

    private static String guardDescription() {
        RecordingGuard g = RecordingGuard.DEFAULT;
        return " a first-pass model trained without standardisation labels the speaker's rows, and the standardised"
                + " model's labels replace them only when the guard passes (at least " + g.minSegments() + " rows, no"
                + " first-pass label over " + Math.round(100 * g.maxDominantShare()) + " % of them)";
    }

    /** Whether test speakers' statistics over-weight one emotion ({@link #SPEAKER_SKEWED}). */
    public boolean skewed() {
        return this == SPEAKER_SKEWED || this == SPEAKER_SKEWED_GUARDED;
    }

    /** Whether each test speaker goes through {@link RecordingGuard} as a timeline's recording does. */
    public boolean guarded() {
        return this == SPEAKER_GUARDED || this == SPEAKER_SKEWED_GUARDED;
    }

    /** The table with every present block standardised within its row's corpus or speaker. */
    public FeatureTable apply(FeatureTable t) {
        if (this == NONE) return t;
        Map<String, List<Integer>> byKey = groups(t);
        List<float[][]> out = new ArrayList<>(t.samples()); // rows replaced, never written
        for (List<Integer> rows : byKey.values()) standardise(t, rows, null, out);
        return with(t, out);
    }

    /**
     * The table the test rows are read from: {@link #apply}'s, except under {@link #SPEAKER_SKEWED}, where each
     * speaker's statistics over-weight one emotion (speakers in name order take the classes in turn; a speaker
     * without rows of its turn's class takes the next class it has).
     */
    public FeatureTable forTesting(FeatureTable t, FeatureTable applied) {
        if (!skewed()) return applied;
        List<float[][]> out = new ArrayList<>(t.samples());
        double[] weights = testWeights(t);
        for (List<Integer> rows : groups(t).values())
            standardise(t, rows, rows.stream().mapToDouble(i -> weights[i]).toArray(), out);
        return with(t, out);
    }

    /**
     * The weight each row has in its speaker's test statistics: 1, except under the skewed variants, where the rows
     * of the speaker's dominant emotion weigh w so that w n_d / (w n_d + n_o) = {@link #DOMINANT_SHARE}.
     */
    public double[] testWeights(FeatureTable t) {
        double[] weights = new double[t.size()];
        Arrays.fill(weights, 1);
        if (!skewed()) return weights;
        int k = t.classes().size(), turn = 0;
        for (List<Integer> rows : new TreeMap<>(groups(t)).values()) {
            int[] perClass = new int[k];
            for (int i : rows) perClass[t.labels()[i]]++;
            int dominant = turn++ % k;
            while (perClass[dominant] == 0) dominant = (dominant + 1) % k;
            int others = rows.size() - perClass[dominant];
            // A speaker with one class only keeps 1.
            double w = others == 0 ? 1 : DOMINANT_SHARE * others / ((1 - DOMINANT_SHARE) * perClass[dominant]);
            for (int i : rows) if (t.labels()[i] == dominant) weights[i] = w;
        }
        return weights;
    }

    /** The rows of each corpus or speaker, by key, in first-row order. */
    Map<String, List<Integer>> groups(FeatureTable t) {
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
        int[] all = java.util.stream.IntStream.range(0, t.layout().size()).toArray();
        List<float[][]> done = GroupStandardiser.standardise(rows.stream().map(i -> t.samples().get(i)).toList(), all, weights);
        for (int r = 0; r < rows.size(); r++) out.set(rows.get(r), done.get(r));
    }

    private static FeatureTable with(FeatureTable t, List<float[][]> samples) {
        return new FeatureTable(t.layout(), t.classes(), t.ids(), samples, t.labels(), t.groups(), t.splits(),
                t.skippedLabels(), t.skippedRows(), t.featurelessScored());
    }
}
