package dev.moodtag.media;

import java.nio.file.Path;

/**
 * What a {@link TranscriptSource} may draw on for one utterance.
 *
 * @param media   the media file (the sidecar search looks beside it; a recogniser would listen to it); may be null
 *                for a text-only training row
 * @param given   a transcript the caller already has (inline text); null when none was given
 * @param sidecar an explicit transcript file (a manifest's {@code transcript_file}); null to search beside {@code media}
 */
public record TranscriptRequest(Path media, Transcript given, Path sidecar) {

    /** The transcript of a media file: {@code given} when not null, else whatever the chain finds. */
    public static TranscriptRequest of(Path media, Transcript given) {
        return new TranscriptRequest(media, given, null);
    }

    /** The transcript a media file has without any given: its sidecar (or, later, speech-to-text). */
    public static TranscriptRequest beside(Path media) {
        return new TranscriptRequest(media, null, null);
    }
}
