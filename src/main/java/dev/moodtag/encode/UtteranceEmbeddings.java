package dev.moodtag.encode;

import dev.moodtag.media.Modality;

import java.util.List;
import java.util.Optional;

/** Everything the encode stage made of one utterance, in pack order: what crosses into fusion. */
public record UtteranceEmbeddings(String source, List<EncoderResult> results, double millis) {

    public UtteranceEmbeddings {
        results = List.copyOf(results);
    }

    public Optional<EncoderResult> result(String encoderId) {
        return results.stream().filter(r -> r.encoder().id().equals(encoderId)).findFirst();
    }

    /** A modality counts as present when at least one of its encoders produced a vector. */
    public boolean hasModality(Modality m) {
        return results.stream().anyMatch(r -> r.modality() == m && r.present());
    }
}
