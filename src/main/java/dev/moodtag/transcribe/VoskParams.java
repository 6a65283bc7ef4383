package dev.moodtag.transcribe;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code params} of the pack's {@code vosk} transcriber; an unknown or misspelt key refuses the pack, as for
 * every encoder kind.
 *
 * @param language the model's language, compared with {@code moodtag.transcribe.language} (default {@code en})
 * @param modelDir the folder, relative to the pack, that holds the model's files (required)
 * @param keptRecognisers recognisers kept from one stream to the next (default: one per core). A kept recogniser has
 *                 its decoding graph expanded already, about 3× less CPU per short utterance, but what it decoded
 *                 before can move a borderline clip's confidences and words (on the gate's 347 tuning clips, 15
 *                 transcripts and 2 verdicts differed from fresh recognisers); 0 gives every stream a fresh one, so a
 *                 file's transcript never depends on what was recognised before it
 */
@RegisterForReflection
public record VoskParams(String language, String modelDir, Integer keptRecognisers) {
    public VoskParams {
        if (language == null || language.isBlank()) language = "en";
        if (modelDir == null || modelDir.isBlank()) throw new IllegalArgumentException("modelDir is required");
        if (keptRecognisers == null) keptRecognisers = Runtime.getRuntime().availableProcessors();
        if (keptRecognisers < 0) throw new IllegalArgumentException("keptRecognisers must not be negative");
    }
}
