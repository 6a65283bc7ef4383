package dev.moodtag.media;

import java.util.Optional;

/**
 * A transcript, or why there is none. An unreadable sidecar resolves to a missing transcript with its reason: the text
 * modality is missing, the audio and video of the object are still used.
 *
 * @param transcript null when missing (a blank transcript counts as missing)
 * @param whyMissing null when a transcript is present
 * @param heardWords the words a recogniser heard, whether its gate kept them (the transcript) or not (why missing): a
 *                   recording's segments are judged together too ({@link HeardTranscripts#refuseRecording}); 0 where
 *                   nothing was recognised
 */
public record TranscriptResolution(Transcript transcript, String whyMissing, int heardWords) {

    public TranscriptResolution {
        if ((transcript == null) == (whyMissing == null))
            throw new IllegalArgumentException("either a transcript or why there is none");
        if (heardWords < 0) throw new IllegalArgumentException("heard words must be at least 0, not " + heardWords);
    }

    public TranscriptResolution(Transcript transcript, String whyMissing) {
        this(transcript, whyMissing, 0);
    }

    /** The same resolution, from a recogniser that heard {@code words} words. */
    public TranscriptResolution heard(int words) {
        return new TranscriptResolution(transcript, whyMissing, words);
    }

    public static TranscriptResolution of(Transcript transcript) {
        return transcript.isBlank()
                ? new TranscriptResolution(null, "the " + transcript.origin() + " transcript is blank")
                : new TranscriptResolution(transcript, null);
    }

    public static TranscriptResolution missing(String why) {
        return new TranscriptResolution(null, why);
    }

    public Optional<Transcript> present() {
        return Optional.ofNullable(transcript);
    }
}
