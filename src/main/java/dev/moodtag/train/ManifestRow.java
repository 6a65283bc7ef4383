package dev.moodtag.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One utterance of a dataset manifest. Paths are already resolved against the manifest's folder.
 *
 * @param media      role ({@code media}, {@code audio}, {@code video}, {@code image}) → file; may be empty for a
 *                   text-only or precomputed-feature row
 * @param transcript inline transcript, or null
 * @param transcriptFile a plain-text transcript file, or null
 * @param group      speaker / session / identity, or empty
 * @param split      {@code train}, {@code dev}, {@code test}, or empty
 * @param features   precomputed block id → values (only for manifests with feature columns)
 */
public record ManifestRow(String id, Map<String, Path> media, String transcript, Path transcriptFile, String label,
                          String group, String split, Map<String, float[]> features) {

    public ManifestRow {
        media = Map.copyOf(media);
        features = Map.copyOf(features);
    }

    public Optional<String> inlineTranscript() {
        return Optional.ofNullable(transcript).filter(t -> !t.isBlank());
    }

    /** True when encoders have something to read for this row (media or a transcript). */
    public boolean hasEncoderInput() {
        return !media.isEmpty() || inlineTranscript().isPresent() || transcriptFile != null;
    }
}
