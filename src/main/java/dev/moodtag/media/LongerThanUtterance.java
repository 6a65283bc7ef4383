package dev.moodtag.media;

/**
 * The media outgrew one utterance while it was being decoded (the configured {@code moodtag.media.max-duration} or
 * the caller's {@link DecodeBounds#utteranceSeconds()}): a {@link Kind#LIMIT_EXCEEDED} that a caller able to stream
 * long recordings answers by streaming the file instead.
 */
public final class LongerThanUtterance extends MediaException {
    private final double decodedSeconds;

    LongerThanUtterance(String file, double decodedSeconds, double limitSeconds) {
        super(Kind.LIMIT_EXCEEDED, file, String.format(
                "it lasts at least %.1f s, longer than the limit of %.1f s for one utterance", decodedSeconds, limitSeconds));
        this.decodedSeconds = decodedSeconds;
    }

    /** How much had been decoded (or was declared) when the limit was crossed. */
    public double decodedSeconds() {
        return decodedSeconds;
    }
}
