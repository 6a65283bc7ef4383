package dev.moodtag.train;

import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.media.Modality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The labelled samples an experiment runs on: one {@code float[][]} per utterance (one entry per block of
 * {@link #layout()}, null where missing), its class number, group and split.
 *
 * @param skippedLabels raw label → rows skipped because the label map leaves that label out
 * @param skippedRows   row id → why a row with a mapped label has no features at all (no face found, undecodable
 *                      media); such rows are in the table with an all-null sample when {@code featurelessScored},
 *                      and left out otherwise
 */
public record FeatureTable(FeatureLayout layout, List<String> classes, List<String> ids, List<float[][]> samples,
                           int[] labels, String[] groups, String[] splits, Map<String, Integer> skippedLabels,
                           Map<String, String> skippedRows, boolean featurelessScored) {

    public int size() {
        return ids.size();
    }

    /** Whether a sample has a vector in at least one block. */
    static boolean hasFeatures(float[][] sample) {
        for (float[] v : sample) if (v != null) return true;
        return false;
    }

    /**
     * Joins a manifest's rows, their encoder vectors (if any) and their precomputed blocks under a label map.
     *
     * @param encoderLayout blocks produced by encoders (empty when the manifest brings all its features)
     * @param encoded       row id → vectors in {@code encoderLayout} order
     * @param scoreFeatureless keep rows without any features: the experiment then scores them (as the training
     *                      majority class, the only honest answer without input) instead of leaving them out, so a
     *                      pipeline that finds no face in hard images is not rewarded for it
     */
    public static FeatureTable build(DatasetManifest manifest, LabelMap labelMap, FeatureLayout encoderLayout,
                                     Map<String, float[][]> encoded, Map<String, String> failed,
                                     boolean scoreFeatureless) {
        return build(manifest, labelMap, encoderLayout, encoded, failed, scoreFeatureless, Set.of());
    }

    /**
     * As {@link #build(DatasetManifest, LabelMap, FeatureLayout, Map, Map, boolean)}, with only the blocks of the given
     * modalities (all when empty). The restriction comes before the rows are judged, so a row whose only vectors are in
     * a modality left out is a row without features (listed, and scored or left out like any other), not a row that
     * silently reaches the folds with nothing in it.
     */
    public static FeatureTable build(DatasetManifest manifest, LabelMap labelMap, FeatureLayout encoderLayout,
                                     Map<String, float[][]> encoded, Map<String, String> failed,
                                     boolean scoreFeatureless, Set<Modality> modalities) {
        List<FeatureBlock> all = new ArrayList<>(encoderLayout.blocks());
        all.addAll(manifest.precomputed());
        FeatureLayout full = new FeatureLayout(all);
        int[] keep = modalities.isEmpty() ? IntStream.range(0, full.size()).toArray()
                : full.indicesOf(modalities);
        if (keep.length == 0 && !modalities.isEmpty())
            throw new IllegalArgumentException("none of the modalities " + modalities + " is in the data");
        FeatureLayout layout = full.select(keep);
        String noFeatures = modalities.isEmpty() ? "no features (no encoder produced a vector)"
                : "no features in the modalities asked for " + modalities;
        LabelMap map = labelMap.resolve(manifest.rows().stream().map(ManifestRow::label).toList());
        List<String> ids = new ArrayList<>();
        List<float[][]> samples = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> groups = new ArrayList<>(), splits = new ArrayList<>();
        Map<String, Integer> skippedLabels = new TreeMap<>();
        Map<String, String> skippedRows = new TreeMap<>();
        for (ManifestRow row : manifest.rows()) {
            var cls = map.classOf(row.label());
            if (cls.isEmpty()) {
                skippedLabels.merge(row.label().isEmpty() ? "(empty)" : row.label(), 1, Integer::sum);
                continue;
            }
            float[][] whole = new float[full.size()][];
            float[][] enc = encoded.get(row.id());
            int b = 0;
            for (; b < encoderLayout.size(); b++) whole[b] = enc == null ? null : enc[b];
            for (FeatureBlock p : manifest.precomputed()) whole[b++] = row.features().get(p.id());
            float[][] s = new float[keep.length][];
            for (int k = 0; k < keep.length; k++) s[k] = whole[keep[k]];
            if (!hasFeatures(s)) {
                skippedRows.put(row.id(), failed.getOrDefault(row.id(), noFeatures));
                if (!scoreFeatureless) continue;
            }
            ids.add(row.id());
            samples.add(s);
            labels.add(cls.get());
            groups.add(row.group());
            splits.add(row.split());
        }
        return new FeatureTable(layout, map.classes(), List.copyOf(ids), List.copyOf(samples),
                labels.stream().mapToInt(Integer::intValue).toArray(), groups.toArray(String[]::new),
                splits.toArray(String[]::new), skippedLabels, skippedRows, scoreFeatureless);
    }
}
