package dev.moodtag.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How rows are split into folds. Grouped schemes never put one group (speaker, session, actor, identity) on both
 * sides of a fold: with acted corpora, a speaker-dependent split mostly measures speaker recognition.
 */
public sealed interface FoldScheme {

    List<Fold> folds(int[] labels, String[] groups, String[] splits);

    String describe();

    /**
     * Parses {@code grouped:K}, {@code logo} (leave one group out), {@code corpus} (leave one corpus out, every
     * corpus once), {@code corpus:NAME} (train on the other corpora, test on NAME), {@code stratified:K}, {@code split} (the
     * manifest's train/dev/test column), or {@code auto}: the given split when the manifest has test rows, else
     * leave-one-group-out up to 12 groups, grouped 5-fold above, stratified 5-fold without groups.
     */
    static FoldScheme parse(String spec, long seed, String[] groups, String[] splits) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            if (Arrays.stream(splits).anyMatch("test"::equals)) return new GivenSplit();
            long g = Arrays.stream(groups).filter(x -> x != null && !x.isEmpty()).distinct().count();
            if (g > 1 && Arrays.stream(groups).allMatch(x -> x != null && !x.isEmpty()))
                return g <= 12 ? new LeaveOneGroupOut() : new GroupedKFold(5, seed);
            return new StratifiedKFold(5, seed);
        }
        if (s.equals("logo") || s.equals("loso")) return new LeaveOneGroupOut();
        if (s.equals("corpus")) return new LeaveOneCorpusOut("");
        if (s.startsWith("corpus:")) {
            // "corpus:" held out every corpus in turn, as "corpus" does: a name left out is a typo, not a choice
            if (s.length() == "corpus:".length())
                throw new IllegalArgumentException("fold scheme '" + spec + "': corpus:NAME needs the corpus to test on");
            return new LeaveOneCorpusOut(s.substring("corpus:".length()));
        }
        if (s.equals("split")) return new GivenSplit();
        String[] kv = s.split(":", -1);
        // The name first: "given:" was told its K is no whole number
        if (!kv[0].equals("grouped") && !kv[0].equals("stratified"))
            throw new IllegalArgumentException("unknown fold scheme '" + spec
                    + "'; use auto, grouped:K, logo, corpus, corpus:NAME, stratified:K or split");
        // "grouped:3:9" was 3-fold grouped, its rest unread
        if (kv.length > 2)
            throw new IllegalArgumentException("fold scheme '" + spec + "': one K only (grouped:K, stratified:K)");
        int k;
        try {
            k = kv.length > 1 ? Integer.parseInt(kv[1]) : 5;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fold scheme '" + spec + "': K must be a whole number");
        }
        // One fold would test on everything and train on nothing
        if (k < 2) throw new IllegalArgumentException("fold scheme '" + spec + "': K must be at least 2");
        return kv[0].equals("grouped") ? new GroupedKFold(k, seed) : new StratifiedKFold(k, seed);
    }

    /**
     * Refuses a {@code spec} that {@link #parse} refuses whatever the data (an unknown scheme, a K that is no whole number
     * or below 2): known from the option alone, before any manifest is read or any feature extracted.
     *
     * @throws IllegalArgumentException naming the scheme and what is wrong with it
     */
    static void checkSpelling(String spec) {
        parse(spec, 0, new String[0], new String[0]);
    }

    /**
     * K folds of whole groups, balanced by row count: groups are shuffled with the seed (so equal-size groups are
     * not dealt out in name order, which would e.g. put all odd = male RAVDESS actors in one fold), then sorted by
     * size, largest first, each going to the fold with the fewest rows so far.
     */
    record GroupedKFold(int k, long seed) implements FoldScheme {
        public List<Fold> folds(int[] labels, String[] groups, String[] splits) {
            Map<String, List<Integer>> byGroup = byGroup(groups);
            if (byGroup.size() < k)
                throw new IllegalArgumentException("grouped:" + k + " needs at least " + k + " groups; the data has " + byGroup.size());
            List<String> names = new ArrayList<>(byGroup.keySet());
            names.sort(Comparator.naturalOrder());
            java.util.Collections.shuffle(names, new Random(seed));
            names.sort(Comparator.comparingInt((String g) -> byGroup.get(g).size()).reversed()); // stable
            int[] load = new int[k];
            List<List<String>> foldGroups = new ArrayList<>();
            for (int f = 0; f < k; f++) foldGroups.add(new ArrayList<>());
            for (String g : names) {
                int f = 0;
                for (int j = 1; j < k; j++) if (load[j] < load[f]) f = j;
                foldGroups.get(f).add(g);
                load[f] += byGroup.get(g).size();
            }
            List<Fold> out = new ArrayList<>();
            for (int f = 0; f < k; f++) {
                List<String> held = foldGroups.get(f);
                held.sort(Comparator.naturalOrder());
                out.add(byHeldOutGroups(f, "groups " + String.join(",", held), groups, held));
            }
            return out;
        }

        public String describe() {
            return k + "-fold grouped (no group on both sides; seed " + seed + ")";
        }
    }

    /** One fold per group (leave-one-speaker-out when groups are speakers). */
    record LeaveOneGroupOut() implements FoldScheme {
        public List<Fold> folds(int[] labels, String[] groups, String[] splits) {
            List<String> names = new ArrayList<>(byGroup(groups).keySet());
            names.sort(Comparator.naturalOrder());
            List<Fold> out = new ArrayList<>();
            for (int f = 0; f < names.size(); f++) out.add(byHeldOutGroups(f, "group " + names.get(f), groups, List.of(names.get(f))));
            return out;
        }

        public String describe() {
            return "leave-one-group-out";
        }
    }

    /** The group of a speaker of a pooled dataset: {@code corpus:speaker}. */
    static String corpusGroup(String corpus, String speaker) {
        return corpus + ":" + speaker;
    }

    /** The corpus part of a {@code corpus:speaker} group. */
    static String corpusOf(String group) {
        if (!namesCorpus(group)) throw new IllegalArgumentException("group '" + group
                + "' names no corpus; corpus folds need groups written corpus:speaker");
        return group.substring(0, group.indexOf(':'));
    }

    /** Whether {@code group} is written {@code corpus:speaker}, with a corpus before the colon. */
    static boolean namesCorpus(String group) {
        return group != null && group.indexOf(':') > 0;
    }

    /**
     * Cross-corpus folds: train on every other corpus, test on the held-out one (the corpus is the part of the group
     * before the colon, {@code corpus:speaker}). The grid search's inner folds then stay grouped by speaker inside
     * the training corpora. Speakers are never shared between corpora, so no speaker is on both sides either.
     *
     * @param only the corpus to hold out; empty = one fold per corpus
     */
    record LeaveOneCorpusOut(String only) implements FoldScheme {
        public List<Fold> folds(int[] labels, String[] groups, String[] splits) {
            List<String> corpora = Arrays.stream(groups).map(FoldScheme::corpusOf).distinct().sorted().toList();
            if (corpora.size() < 2) throw new IllegalArgumentException("corpus folds need at least two corpora; the data has " + corpora);
            if (!only.isEmpty() && !corpora.contains(only))
                throw new IllegalArgumentException("corpus folds: no corpus '" + only + "' in the data; it has " + corpora);
            List<Fold> out = new ArrayList<>();
            for (String c : only.isEmpty() ? corpora : List.of(only)) {
                out.add(new Fold(out.size(), "test corpus " + c,
                        IntStream.range(0, groups.length).filter(i -> !corpusOf(groups[i]).equals(c)).toArray(),
                        IntStream.range(0, groups.length).filter(i -> corpusOf(groups[i]).equals(c)).toArray(), new int[0]));
            }
            return out;
        }

        public String describe() {
            return only.isEmpty() ? "leave-one-corpus-out (train on the other corpora, test on each corpus in turn)"
                    : "cross-corpus: train on the other corpora, test on " + only;
        }
    }

    /** K folds with each class spread evenly (rows of a class shuffled with the seed, then dealt round-robin). */
    record StratifiedKFold(int k, long seed) implements FoldScheme {
        public List<Fold> folds(int[] labels, String[] groups, String[] splits) {
            int[] fold = assign(labels, k, seed);
            List<Fold> out = new ArrayList<>();
            for (int f = 0; f < k; f++) {
                final int ff = f;
                out.add(new Fold(f, "fold " + (f + 1), IntStream.range(0, labels.length).filter(i -> fold[i] != ff).toArray(),
                        IntStream.range(0, labels.length).filter(i -> fold[i] == ff).toArray(), new int[0]));
            }
            return out;
        }

        /** Fold number of each row. */
        static int[] assign(int[] labels, int k, long seed) {
            Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
            for (int i = 0; i < labels.length; i++) byClass.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
            Random rnd = new Random(seed);
            int[] fold = new int[labels.length];
            int next = 0; // continue the round-robin across classes so small classes do not all start at fold 0
            for (int c : byClass.keySet().stream().sorted().toList()) {
                List<Integer> rows = byClass.get(c);
                java.util.Collections.shuffle(rows, rnd);
                for (int r : rows) fold[r] = next++ % k;
            }
            return fold;
        }

        public String describe() {
            return k + "-fold stratified (seed " + seed + ")";
        }
    }

    /**
     * The manifest's split column: train on {@code train}, choose hyper-parameters on {@code dev}, report on
     * {@code test} (the MELD protocol).
     */
    record GivenSplit() implements FoldScheme {
        public List<Fold> folds(int[] labels, String[] groups, String[] splits) {
            // A row in none of the three would be neither trained nor tested, silently: "val" or a blank is refused.
            int[] elsewhere = IntStream.range(0, splits.length).filter(i -> splits[i] == null
                    || !List.of("train", "dev", "test").contains(splits[i].toLowerCase(Locale.ROOT))).toArray();
            if (elsewhere.length > 0)
                throw new IllegalArgumentException("folds from the given split (the manifest's split column, chosen by"
                        + " --folds split or auto) put every row in train, dev or test; " + elsewhere.length + " row(s)"
                        + " are in none of them, the first (row " + elsewhere[0] + ") with split '"
                        + (splits[elsewhere[0]] == null ? "" : splits[elsewhere[0]]) + "'");
            int[] train = rows(splits, "train"), dev = rows(splits, "dev"), test = rows(splits, "test");
            if (train.length == 0 || test.length == 0)
                throw new IllegalArgumentException("folds from the given split (the manifest's split column, chosen by --folds split or auto) need rows with split=train and split=test");
            return List.of(new Fold(0, "official test split", train, test, dev));
        }

        private static int[] rows(String[] splits, String name) {
            return IntStream.range(0, splits.length).filter(i -> name.equalsIgnoreCase(splits[i])).toArray();
        }

        public String describe() {
            return "official test split";
        }
    }

    private static Map<String, List<Integer>> byGroup(String[] groups) {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == null || groups[i].isEmpty())
                throw new IllegalArgumentException("row " + i + " has no group; grouped folds need a group on every row");
            m.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
        }
        return m;
    }

    private static Fold byHeldOutGroups(int index, String name, String[] groups, List<String> held) {
        java.util.Set<String> h = new java.util.HashSet<>(held);
        return new Fold(index, name, IntStream.range(0, groups.length).filter(i -> !h.contains(groups[i])).toArray(),
                IntStream.range(0, groups.length).filter(i -> h.contains(groups[i])).toArray(), new int[0]);
    }
}
