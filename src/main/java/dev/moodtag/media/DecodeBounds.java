package dev.moodtag.media;

/**
 * What one call of {@link MediaDecoder#decode} may spend, beyond the decoder's own configured limits.
 *
 * @param utteranceSeconds decoded media longer than this is not one utterance: decoding stops with
 *                         {@link LongerThanUtterance} as soon as the decoded audio or video outgrows it, whatever the
 *                         container declares (the caller then streams it as a long recording)
 * @param time             checked while decoding, on every decoding thread
 */
public record DecodeBounds(double utteranceSeconds, TimeBudget time) {
    public static final DecodeBounds NONE = new DecodeBounds(Double.POSITIVE_INFINITY, TimeBudget.UNLIMITED);

    public DecodeBounds {
        if (!(utteranceSeconds > 0)) throw new IllegalArgumentException("utteranceSeconds must be > 0, not " + utteranceSeconds);
        if (time == null) throw new IllegalArgumentException("time budget is null");
    }
}
