package dev.moodtag.pack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A verified model pack: the encoders (and the optional voice-activity detector) that turn an utterance into
 * embeddings.
 *
 * @param manifest the manifest file; {@code dir} is the folder that holds it
 * @param vad      the voice-activity detector, if the pack has one
 */
public record ModelPack(String id, String version, String description, Path manifest, Path dir,
                        List<EncoderSpec> encoders, Optional<EncoderSpec> vad) {

    public ModelPack {
        encoders = List.copyOf(encoders);
    }

    public Optional<EncoderSpec> encoder(String id) {
        return encoders.stream().filter(e -> e.id().equals(id)).findFirst();
    }
}
