package dev.moodtag.classify;

import java.util.Locale;

/**
 * What a part's input blocks were standardised over before its own scalers. {@link #UTTERANCE}: nothing (the raw
 * vector of one utterance, what every part had before). {@link #RECORDING}: each block standardised over the
 * segments of the recording the utterance belongs to (the part was trained with {@code --normalise speaker}: each
 * speaker's rows over that speaker's rows). A recording part cannot score a lone utterance; a timeline uses it in
 * place of the utterance part that reads the same blocks when the recording passes its guard.
 */
public enum StandardisedOver {
    UTTERANCE, RECORDING;

    /** The spelling in {@code classifier.json}; absent there means {@link #UTTERANCE}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StandardisedOver parse(String s) {
        if (s == null) return UTTERANCE;
        for (StandardisedOver v : values()) if (v.id().equals(s)) return v;
        throw new IllegalArgumentException("standardisedOver must be utterance or recording, not '" + s + "'");
    }
}
