package dev.moodtag.media;

import java.util.Map;
import java.util.Optional;

/**
 * One recorded utterance as the decode stage hands it to the encoders. A modality that is absent
 * is not an error: {@link #missing()} says why it is absent (no audio stream, no transcript, ...).
 *
 * @param source a name for logs and results (file name or object key), never a credential
 */
public record Utterance(String source, AudioTrack audio, VideoTrack video, Transcript transcript,
                        Map<Modality, String> missing) {

    public Utterance {
        if (source == null) throw new IllegalArgumentException("source must not be null");
        missing = Map.copyOf(missing);
    }

    public Optional<AudioTrack> audioTrack() {
        return Optional.ofNullable(audio);
    }

    public Optional<VideoTrack> videoTrack() {
        return Optional.ofNullable(video).filter(v -> !v.isEmpty());
    }

    public Optional<Transcript> transcriptText() {
        return Optional.ofNullable(transcript).filter(t -> !t.isBlank());
    }

    /** Why the given modality is absent, or empty when it is present. */
    public Optional<String> whyMissing(Modality modality) {
        return Optional.ofNullable(missing.get(modality));
    }
}
