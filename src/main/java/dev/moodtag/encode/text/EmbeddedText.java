package dev.moodtag.encode.text;

import java.util.Locale;

/**
 * A text's embedding and how it was read.
 *
 * @param windows how many encoder windows the text needed (1 when it fit)
 * @param tokens  the text's tokens, special tokens not counted
 */
public record EmbeddedText(float[] vector, int windows, int tokens, int windowTokens) {

    /** What the result records when the text did not fit one window; null when it did. */
    public String note() {
        return windows <= 1 ? null : String.format(Locale.ROOT,
                "%d windows: %d tokens read in windows of up to %d on word boundaries, pooled weighted by length",
                windows, tokens, windowTokens);
    }
}
