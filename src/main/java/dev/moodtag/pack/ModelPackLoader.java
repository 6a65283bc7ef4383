package dev.moodtag.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.media.Modality;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a pack manifest, resolves every model file and verifies its sha256. Any problem is a
 * {@link ModelPackException} that names the manifest, the encoder and the file, so the service refuses to start
 * rather than serve with a wrong or missing model. The format is described in {@code models/README.md}.
 */
public final class ModelPackLoader {

    public static final int FORMAT = 1;

    private final ObjectMapper json = new ObjectMapper();
    private final List<Path> searchPath;
    private final boolean verify;
    private final Map<String, String> precisionOverrides;
    private final Set<String> disabled;

    public ModelPackLoader(List<Path> searchPath, boolean verifyChecksums, Map<String, String> precisionOverrides,
                           Set<String> disabled) {
        this.searchPath = List.copyOf(searchPath);
        this.verify = verifyChecksums;
        this.precisionOverrides = Map.copyOf(precisionOverrides);
        this.disabled = Set.copyOf(disabled);
    }

    public static ModelPackLoader fromConfig(PackConfig config) {
        return new ModelPackLoader(config.searchPath().stream().map(Path::of).toList(), config.verifyChecksums(),
                config.precision(), new HashSet<>(config.disabled().orElse(List.of())));
    }

    public ModelPack load(Path manifest) {
        if (!Files.isRegularFile(manifest)) {
            throw new ModelPackException("model pack manifest " + manifest.toAbsolutePath() + " not found; set "
                    + "moodtag.pack.manifest (env MOODTAG_PACK_MANIFEST) to the pack's pack.json");
        }
        JsonNode root;
        try {
            root = json.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new ModelPackException("model pack manifest " + manifest + " is not valid JSON: " + e.getMessage(), e);
        }
        int format = root.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new ModelPackException("model pack manifest " + manifest + " has format " + format
                    + "; this moodtag reads format " + FORMAT);
        }
        Path dir = manifest.toAbsolutePath().getParent();
        List<Path> dirs = new ArrayList<>();
        dirs.add(dir);
        dirs.addAll(searchPath);
        String id = required(root, "id", manifest.toString());

        List<EncoderSpec> encoders = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode node : root.path("encoders")) {
            String encoderId = required(node, "id", "an encoder of " + manifest);
            if (!ids.add(encoderId)) throw new ModelPackException(manifest + ": encoder id '" + encoderId + "' is used twice");
            if (disabled.contains(encoderId)) continue;
            encoders.add(encoder(node, manifest, dirs));
        }
        if (encoders.isEmpty()) throw new ModelPackException(manifest + " lists no (enabled) encoders");
        Optional<EncoderSpec> vad = root.hasNonNull("vad") ? Optional.of(encoder(root.get("vad"), manifest, dirs))
                : Optional.empty();
        // The speech-to-text model: a component like the VAD, verified file by file like every model
        Optional<EncoderSpec> transcriber = root.hasNonNull("transcriber")
                && !disabled.contains(root.get("transcriber").path("id").asText())
                ? Optional.of(encoder(root.get("transcriber"), manifest, dirs)) : Optional.empty();
        return new ModelPack(id, root.path("version").asText(""), root.path("description").asText(""), manifest,
                dir, encoders, vad, transcriber);
    }

    private EncoderSpec encoder(JsonNode node, Path manifest, List<Path> dirs) {
        String id = required(node, "id", "an encoder of " + manifest);
        String where = manifest + ", encoder " + id;
        String kind = required(node, "kind", where);
        Modality modality;
        try {
            modality = Modality.valueOf(required(node, "modality", where).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelPackException(where + ": modality must be text, speech or video");
        }
        String precision = precisionOverrides.getOrDefault(id, node.path("precision").asText("fp32"));
        Map<String, ModelFile> files = new LinkedHashMap<>();
        node.path("files").fields().forEachRemaining(e -> files.put(e.getKey(),
                resolve(e.getKey(), chooseVariant(e.getValue(), precision, where + ", file " + e.getKey()), where, dirs)));
        int dim = node.path("dim").asInt(0);
        if (dim <= 0) throw new ModelPackException(where + ": 'dim' (the embedding length) must be a positive integer");
        return new EncoderSpec(id, modality, kind, files, strings(node.path("inputs")), strings(node.path("outputs")),
                json.convertValue(node.path("params").isObject() ? node.get("params") : json.createObjectNode(),
                        Map.class),
                dim, precision, node.path("licence").asText(""), node.path("source").asText(""));
    }

    /** A file entry is one object, or a list of precision variants from which the configured one is taken. */
    private static JsonNode chooseVariant(JsonNode entry, String precision, String where) {
        if (!entry.isArray()) return entry;
        for (JsonNode v : entry) {
            if (precision.equalsIgnoreCase(v.path("precision").asText())) return v;
        }
        if (entry.size() == 1) return entry.get(0);
        throw new ModelPackException(where + ": no variant with precision '" + precision + "'; the manifest offers "
                + entry.findValuesAsText("precision"));
    }

    private ModelFile resolve(String role, JsonNode entry, String where, List<Path> dirs) {
        String location = required(entry, "path", where + ", file " + role);
        String sha = entry.path("sha256").asText("").toLowerCase(Locale.ROOT);
        String precision = entry.path("precision").asText("n/a");
        if (sha.isEmpty()) throw new ModelPackException(where + ", file " + location + ": 'sha256' is required");
        ModelFile file;
        if (location.startsWith(ModelFile.CLASSPATH)) {
            file = new ModelFile(role, location, null, sha, precision);
        } else {
            Path found = null;
            for (Path d : dirs) {
                Path candidate = d.resolve(location);
                if (Files.isRegularFile(candidate)) {
                    found = candidate;
                    break;
                }
            }
            if (found == null) {
                throw new ModelPackException(where + ": model file " + location + " is missing. Looked in "
                        + dirs.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()
                        + ". Put the file there or add its folder to moodtag.pack.search-path"
                        + " (env MOODTAG_PACK_SEARCH_PATH).");
            }
            file = new ModelFile(role, location, found, sha, precision);
        }
        if (verify) {
            String actual = sha256(file);
            if (!actual.equals(sha)) {
                throw new ModelPackException(where + ": checksum mismatch for " + location
                        + (file.path() != null ? " (" + file.path().toAbsolutePath().normalize() + ")" : "")
                        + ": expected sha256 " + sha + ", found " + actual
                        + ". The file is corrupt or a different version; restore the file the pack was built with.");
            }
        }
        return file;
    }

    public static String sha256(ModelFile file) {
        try (InputStream in = file.open()) {
            return sha256(in);
        } catch (IOException e) {
            throw new ModelPackException("cannot read model file " + file.location() + ": " + e.getMessage(), e);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String required(JsonNode node, String field, String where) {
        String v = node.path(field).asText("");
        if (v.isBlank()) throw new ModelPackException(where + ": required field '" + field + "' is missing");
        return v;
    }
}
