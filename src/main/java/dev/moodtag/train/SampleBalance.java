package dev.moodtag.train;

import dev.moodtag.support.Choice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How the training rows of a fit are sampled. Pooled corpora are unequal (EmoDB gives 339 speech rows to RAVDESS's
 * 672, and their class mixes differ), so a pooled model learns the larger corpus's way of showing an emotion more
 * than the other's; the cross-corpus literature balances the corpora so that each counts alike. Class weights alone
 * cannot: they balance classes over the pooled rows, not within each corpus.
 *
 * <p>{@link #CORPUS_CLASS} replicates rows so that every (corpus, class) cell of the fit's training rows holds as
 * many rows as the largest cell: each row of a cell of n rows is taken ⌊T / n⌋ times, and T mod n of them once more,
 * chosen with the seed. LIBSVM has per-class weights but no per-row ones; replicating a row is what a row weight
 * would do to the SVM's hinge loss. Only training rows are replicated (the final fit, each inner grid-search fit and
 * each inner fit of the late-fusion weights), after the inner folds are drawn, so a copy never lands on both sides of
 * a validation split. The corpus is the part of the group before the colon ({@code corpus:speaker}).
 */
public enum SampleBalance {
    /** The rows as they are. */
    NONE,
    /** Every (corpus, class) cell replicated up to the largest cell. */
    CORPUS_CLASS;

    public static SampleBalance parse(String s) {
        return Choice.parse("--balance", s, SampleBalance.class);
    }

    public String id() {
        return Choice.spelling(this);
    }

    /** What the report says. */
    public String described() {
        return this == NONE ? "rows as they are"
                : "training rows replicated so that every (corpus, class) cell counts as much as the largest cell of the fit";
    }

    /**
     * Refuses, before any feature is extracted, rows this balance cannot place: under {@link #CORPUS_CLASS} every
     * row's group must name its corpus.
     */
    void requireCorpora(List<ManifestRow> rows) {
        if (this == NONE) return;
        for (ManifestRow r : rows) {
            if (!FoldScheme.namesCorpus(r.group()))
                throw new IllegalArgumentException("--balance " + id() + " needs every row's group written corpus:speaker;"
                        + " row " + r.id() + " has group '" + (r.group() == null ? "" : r.group()) + "'");
        }
    }

    /**
     * The rows a fit trains on: {@code rows} itself under {@link #NONE}; under {@link #CORPUS_CLASS}, every row at
     * least once and each cell topped up to the largest, in the order of {@code rows} (a row's copies side by side).
     *
     * @throws IllegalArgumentException a row whose group names no corpus
     */
    public int[] apply(int[] rows, int[] labels, String[] groups, long seed) {
        if (this == NONE || rows.length == 0) return rows;
        Map<String, List<Integer>> cells = new LinkedHashMap<>(); // positions in rows, per cell
        for (int k = 0; k < rows.length; k++)
            cells.computeIfAbsent(FoldScheme.corpusOf(groups[rows[k]]) + '\u0000' + labels[rows[k]], c -> new ArrayList<>()).add(k);
        int largest = cells.values().stream().mapToInt(List::size).max().orElse(0);
        int[] copies = new int[rows.length];
        Random random = new Random(seed);
        for (List<Integer> cell : cells.values()) {
            int n = cell.size();
            for (int k : cell) copies[k] = largest / n;
            List<Integer> shuffled = new ArrayList<>(cell);
            java.util.Collections.shuffle(shuffled, random);
            for (int extra = 0; extra < largest % n; extra++) copies[shuffled.get(extra)]++;
        }
        int[] out = new int[largest * cells.size()];
        int at = 0;
        for (int k = 0; k < rows.length; k++)
            for (int c = 0; c < copies[k]; c++) out[at++] = rows[k];
        return out;
    }
}
