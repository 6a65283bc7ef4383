package dev.moodtag.encode.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a tokenized text that is longer than the encoder's window into windows that end on word boundaries, so a
 * long transcript is read whole instead of cut at the window. Windows are ranges of the text's own tokens (special
 * tokens excluded); each is encoded with its own [CLS] and [SEP] and the vectors are pooled weighted by the windows'
 * token counts, as the in-process embedding libraries do with long text.
 */
final class TextWindows {

    /** Tokens {@code [from, to)} of the text, special tokens not counted. */
    record Window(int from, int to) {
        int tokens() {
            return to - from;
        }
    }

    private TextWindows() {
    }

    /**
     * @param wordIds  the word each content token belongs to (from the tokenizer; a word split into sub-word tokens
     *                 repeats its id)
     * @param capacity the most content tokens a window may hold (the encoder's window less its special tokens)
     * @return at least one window; one covering everything when the text fits
     */
    static List<Window> split(long[] wordIds, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("a window must hold at least one token, not " + capacity);
        List<Window> windows = new ArrayList<>();
        int n = wordIds.length;
        int from = 0;
        while (from < n || windows.isEmpty()) {
            int to = Math.min(n, from + capacity);
            if (to < n) {
                int boundary = to;
                // Back off to where the word cut at the window's end begins; a word longer than a whole window is cut
                while (boundary > from && wordIds[boundary] == wordIds[boundary - 1]) boundary--;
                if (boundary > from) to = boundary;
            }
            windows.add(new Window(from, to));
            from = to;
        }
        return windows;
    }
}
