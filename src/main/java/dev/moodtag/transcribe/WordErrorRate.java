package dev.moodtag.transcribe;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Word error rate: the word-level edit distance (substitutions + deletions + insertions) between a hypothesis and a
 * reference, over the reference's word count. Both are normalised first the way ASR evaluations usually are: lower
 * case, punctuation other than in-word apostrophes and hyphens removed, whitespace collapsed.
 */
public final class WordErrorRate {
    private WordErrorRate() {
    }

    /** The words of {@code text} after normalisation. */
    public static List<String> words(String text) {
        if (text == null) return List.of();
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'')
                .replaceAll("[^\\p{L}\\p{N}'\\-]+", " ")
                .replaceAll("(?<![\\p{L}\\p{N}])['\\-]+|['\\-]+(?![\\p{L}\\p{N}])", " ")
                .strip();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    /** Edit operations needed to turn the hypothesis's words into the reference's. */
    public static int edits(String reference, String hypothesis) {
        List<String> ref = words(reference), hyp = words(hypothesis);
        int[] prev = new int[hyp.size() + 1], cur = new int[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) prev[j] = j;
        for (int i = 1; i <= ref.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= hyp.size(); j++) {
                int sub = prev[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[hyp.size()];
    }

    /** Edits over reference words; NaN for an empty reference. */
    public static double of(String reference, String hypothesis) {
        int n = words(reference).size();
        return n == 0 ? Double.NaN : edits(reference, hypothesis) / (double) n;
    }
}
