package dev.moodtag.media;

import java.nio.file.Path;

/** The decode stage: one media file (plus an optional transcript) in, one {@link Utterance} out. */
public interface MediaDecoder {

    /**
     * Decodes audio to 16 kHz mono float PCM and samples video frames, streaming through the file.
     *
     * @param transcript inline transcript, or null to look for a sidecar beside the file
     * @throws MediaException with a {@link MediaException.Kind} when the file cannot be used
     */
    Utterance decode(Path file, Transcript transcript);
}
