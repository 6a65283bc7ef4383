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
 *                 can still change its confidences on the next clip: on the gate's 347 tuning clips every transcript
 *                 and verdict matched a fresh recogniser's, and 2 German clips' confidences did not (the third and the
 *                 seventh digit of the mean). Under concurrent load the same file could then get other confidences in
 *                 its result, and a clip at the threshold another verdict: opt in only where that is acceptable
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
