package dev.moodtag.transcribe;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code params} of the pack's {@code vosk} transcriber; an unknown or misspelt key refuses the pack, as for
 * every encoder kind.
 *
 * @param language the model's language, compared with {@code moodtag.transcribe.language} (default {@code en})
 * @param modelDir the folder, relative to the pack, that holds the model's files (required)
 */
@RegisterForReflection
public record VoskParams(String language, String modelDir) {
    public VoskParams {
        if (language == null || language.isBlank()) language = "en";
        if (modelDir == null || modelDir.isBlank()) throw new IllegalArgumentException("modelDir is required");
    }
}
