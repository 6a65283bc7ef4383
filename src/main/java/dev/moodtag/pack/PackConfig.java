package dev.moodtag.pack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the model pack's manifest and model files are found. */
@ConfigMapping(prefix = "moodtag.pack")
public interface PackConfig {

    /** The pack manifest (JSON). Relative paths resolve against the working directory. */
    @WithDefault("models/pack.json")
    String manifest();

    /**
     * Folders searched, in order, for each model file the manifest names by relative path. The folder that
     * holds the manifest is always searched first. The default also looks in {@code ../shared/models}, where
     * the development and CI machines keep the shared model files; images bake them into the pack folder.
     * {@code target/models} is where the build unpacks models that come as Maven artifacts (the Vosk speech-to-text
     * model), so tests and the CLI find them in a fresh clone after any {@code ./mvnw} build.
     */
    @WithDefault("models,target/models,../shared/models")
    List<String> searchPath();

    /** Verify every file's sha256 at load. Turning it off saves ~0.2 s per start; do so only on trusted images. */
    @WithDefault("true")
    boolean verifyChecksums();

    /** Per-encoder precision override (encoder id → {@code int8} or {@code fp32}); the manifest's choice otherwise. */
    Map<String, String> precision();

    /** Encoders to leave out (by id), e.g. to serve speech only on an audio box. */
    Optional<List<String>> disabled();
}
