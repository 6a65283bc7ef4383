package dev.moodtag.transcribe;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code params} of the pack's {@code vosk} transcriber; an unknown or misspelt key refuses the pack, as for
 * every encoder kind.
 *
 * @param language the model's language, compared with {@code moodtag.transcribe.language} (default {@code en})
 * @param modelDir the folder, relative to the pack, that holds the model's files (required)
 * @param keptRecognisers recognisers kept from one stream to the next (default 0: a fresh one per stream, so a
 *                 file's transcript never depends on what was recognised before it). A kept recogniser has its
 *                 decoding graph expanded already, about 3× less CPU per short utterance, but what it decoded before
 *                 changes its words and confidences on the next clip (German speech heard after other clips gave other
 *                 words, with dither off; on the gate's 347 tuning clips 15 transcripts and 2 verdicts differed), so
 *                 under concurrent load the same file could get another transcript and label: opt in only where
 *                 that is acceptable
 */
@RegisterForReflection
public record VoskParams(String language, String modelDir, Integer keptRecognisers) {
    public VoskParams {
        if (language == null || language.isBlank()) language = "en";
        if (modelDir == null || modelDir.isBlank()) throw new IllegalArgumentException("modelDir is required");
        if (keptRecognisers == null) keptRecognisers = 0;
        if (keptRecognisers < 0) throw new IllegalArgumentException("keptRecognisers must not be negative");
    }
}
