package dev.moodtag.pack;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * {@code pack.json} as records, bound by Jackson with unknown fields refused (a misspelt {@code "precison"} would
 * otherwise leave the default in place). {@link ModelPackLoader} resolves and verifies what they name. The format is
 * described in {@code models/README.md}.
 */
@RegisterForReflection(targets = {PackManifest.class, PackManifest.Entry.class, PackManifest.FileEntry.class})
public record PackManifest(int format, String id, String version, String description, Entry vad, List<Entry> encoders,
                           Entry transcriber) {

    /**
     * One encoder (or the voice-activity detector).
     *
     * @param files     role → one file, or a list of precision variants (read as a list either way)
     * @param params    kind-specific, bound later to the kind's own record ({@link EncoderParameters})
     * @param precision the variant to run (default {@code fp32}); {@code moodtag.pack.precision} overrides it
     */
    public record Entry(String id, String modality, String kind,
                        Map<String, List<FileEntry>> files,
                        Map<String, String> inputs, Map<String, String> outputs, Map<String, Object> params, int dim,
                        String precision, String licence, String source) {
    }

    /**
     * @param precision {@code int8}, {@code fp32}; absent for tokenizers and configuration
     * @param size      the file's length in bytes, optional (format 2, and read in format 1 too): compared where the
     *                  pack is read without hashing its files (status, publish), so a truncated file is said there too
     */
    public record FileEntry(String path, String sha256, String precision, Long size) {
    }
}
