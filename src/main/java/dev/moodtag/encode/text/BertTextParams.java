package dev.moodtag.encode.text;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/**
 * The {@code params} of a {@code bert-text} encoder; an unknown key refuses the pack.
 *
 * @param pooling   {@code cls} (default) or {@code mean} (attention-masked) pooling of the last hidden state
 * @param normalize L2-normalise the pooled vector (default true)
 * @param maxTokens the encoder's window in tokens, [CLS] and [SEP] included (default 256); a longer text is read in
 *                  several windows
 */
@RegisterForReflection
public record BertTextParams(String pooling, Boolean normalize, Integer maxTokens) {
    public BertTextParams {
        pooling = pooling == null ? "cls" : pooling.toLowerCase(Locale.ROOT);
        if (!pooling.equals("cls") && !pooling.equals("mean"))
            throw new IllegalArgumentException("pooling must be cls or mean, not " + pooling);
        if (normalize == null) normalize = true;
        if (maxTokens == null) maxTokens = 256;
        if (maxTokens < 3) throw new IllegalArgumentException("maxTokens must be >= 3 (room for [CLS], [SEP] and one "
                + "token of text), not " + maxTokens);
    }

    public boolean meanPooling() {
        return pooling.equals("mean");
    }
}
