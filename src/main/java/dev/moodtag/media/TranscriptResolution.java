package dev.moodtag.media;

import java.util.Optional;

/**
 * A transcript, or why there is none. An unreadable sidecar resolves to a missing transcript with its reason: the text
 * modality is missing, the audio and video of the object are still used.
 *
 * @param transcript null when missing (a blank transcript counts as missing)
 * @param whyMissing null when a transcript is present
 */
public record TranscriptResolution(Transcript transcript, String whyMissing) {

    public TranscriptResolution {
        if ((transcript == null) == (whyMissing == null))
            throw new IllegalArgumentException("either a transcript or why there is none");
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
