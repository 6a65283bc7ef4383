package dev.moodtag.train;

import dev.moodtag.fuse.StandardScaler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Per-corpus or per-speaker feature standardisation, as the cross-corpus speech literature uses it: each block of a
 * row is standardised with the mean and spread of that block over all rows of the row's corpus (or speaker). It
 * uses no labels, but it does use the held-out corpus's own feature statistics (unsupervised adaptation), and a
 * served utterance has no corpus or speaker statistics at all: figures measured with it are what a deployment that
 * collects per-speaker statistics could reach, not what the shipped classifier does. Export refuses it.
 */
public enum GroupNormalisation {
    NONE(g -> g), CORPUS(FoldScheme::corpusOf), SPEAKER(g -> g);

    private final Function<String, String> key;

    GroupNormalisation(Function<String, String> key) {
        this.key = key;
    }

    /** The table with every present block standardised within its row's corpus or speaker. */
    public FeatureTable apply(FeatureTable t) {
        if (this == NONE) return t;
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < t.size(); i++) {
            if (t.groups()[i] == null || t.groups()[i].isEmpty())
                throw new IllegalArgumentException(this + " normalisation needs a group on every row; row " + t.ids().get(i) + " has none");
            byKey.computeIfAbsent(key.apply(t.groups()[i]), k -> new ArrayList<>()).add(i);
        }
        List<float[][]> out = t.samples().stream().map(float[][]::clone).toList(); // blocks replaced, never written
        for (List<Integer> rows : byKey.values()) {
            for (int b = 0; b < t.layout().size(); b++) {
                final int block = b;
                int dim = t.layout().block(b).dim();
                StandardScaler s = StandardScaler.fit(rows.stream().map(i -> t.samples().get(i)[block]).toList(), dim);
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
        return new FeatureTable(t.layout(), t.classes(), t.ids(), out, t.labels(), t.groups(), t.splits(),
                t.skippedLabels(), t.skippedRows(), t.featurelessScored());
    }
}
