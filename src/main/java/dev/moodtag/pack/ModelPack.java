package dev.moodtag.pack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A verified model pack: the encoders (and the optional voice-activity detector) that turn an utterance into
 * embeddings.
 *
 * @param manifest the manifest file; {@code dir} is the folder that holds it
 * @param vad         the voice-activity detector, if the pack has one
 * @param transcriber the speech-to-text model (kind {@code vosk}), if the pack has one
 */
public record ModelPack(String id, String version, String description, Path manifest, Path dir,
                        List<EncoderSpec> encoders, Optional<EncoderSpec> vad, Optional<EncoderSpec> transcriber) {

    public ModelPack {
        encoders = List.copyOf(encoders);
    }

    /** A pack without a speech-to-text model. */
    public ModelPack(String id, String version, String description, Path manifest, Path dir,
                     List<EncoderSpec> encoders, Optional<EncoderSpec> vad) {
        this(id, version, description, manifest, dir, encoders, vad, Optional.empty());
    }

    public Optional<EncoderSpec> encoder(String id) {
        return encoders.stream().filter(e -> e.id().equals(id)).findFirst();
    }
}
