package dev.moodtag.pack;

import dev.moodtag.support.Sha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.moodtag.media.Modality;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.JsonSyntax;
import dev.moodtag.support.WholeNumber;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Reads a pack manifest, resolves every model file and verifies its sha256. Any problem is a
 * {@link ModelPackException} that names the manifest, the encoder and the file, so the service refuses to start
 * rather than serve with a wrong or missing model. The format is described in {@code models/README.md}.
 */
public final class ModelPackLoader {

    /**
     * The format of the manifests this moodtag writes and the newest it reads. 2: a file entry may give its
     * {@code size}, which a reader of format 1 refuses as an unknown field (since 2026-12-07; before, the manifests that
     * gave sizes said 1, and are read as they were).
     */
    public static final int FORMAT = 2;
    /** The oldest format this moodtag reads: 1, the same fields without {@code size}. */
    public static final int OLDEST_FORMAT = 1;
    /** A pack manifest is a few kB (the default pack's 8 kB). */
    static final int MAX_MANIFEST_BYTES = 1 << 20;

    private final ObjectMapper json = WholeNumber.boundStrictly(new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // a file role holds one entry or a list of precision variants
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY));
    private final List<Path> searchPath;
    private final boolean verify;
    /** Hashes only the files whose size the manifest does not give ({@link #unverified()}). */
    private final boolean unsizedOnly;
    private final Map<String, String> precisionOverrides;
    private final Set<String> disabled;

    public ModelPackLoader(List<Path> searchPath, boolean verifyChecksums, Map<String, String> precisionOverrides,
                           Set<String> disabled) {
        this(searchPath, verifyChecksums, false, precisionOverrides, disabled);
    }

    private ModelPackLoader(List<Path> searchPath, boolean verifyChecksums, boolean unsizedOnly,
                            Map<String, String> precisionOverrides, Set<String> disabled) {
        this.searchPath = List.copyOf(searchPath);
        this.verify = verifyChecksums;
        this.unsizedOnly = unsizedOnly;
        this.precisionOverrides = Map.copyOf(precisionOverrides);
        this.disabled = Set.copyOf(disabled);
    }

    public static ModelPackLoader fromConfig(PackConfig config) {
        return new ModelPackLoader(config.searchPath().stream().map(Path::of).toList(), config.verifyChecksums(),
                config.precision(), new HashSet<>(config.disabled().orElse(List.of())));
    }

    /**
     * This loader without the checksum verification: the manifest is still read and bound and every file still looked
     * up and its size compared with the manifest's, so a missing, truncated or malformed pack is still refused, without
     * reading the models (about 130 MB hashed at every verified load: 0.35-0.6 s more of a cold command here, where
     * the sizes take a stat per file). A file whose size the manifest does not give is hashed, so that a truncated
     * one is said for any pack. For what needs the pack's identity or its layout only, never for what runs its models:
     * a file of the right size whose bytes differ is found where the models load.
     */
    public ModelPackLoader unverified() {
        return new ModelPackLoader(searchPath, false, verify, precisionOverrides, disabled);
    }

    /**
     * Loads, then binds every entry's parameters to its kind's record: a misspelt or unknown key, or a kind this build
     * does not implement, refuses the pack here, before any model is loaded.
     */
    public ModelPack load(Path manifest, EncoderKindCatalogue kinds) {
        ModelPack pack = load(manifest);
        EncoderParameters.check(pack, kinds);
        return pack;
    }

    public ModelPack load(Path manifest) {
        return verified(located(manifest));
    }

    /**
     * The manifest read and bound, every file looked up and its length compared with the manifest's {@code size}: all
     * of {@link #load} but the hashing, which {@link #verified} does. An {@link #unverified()} loader hashes the files
     * whose size the manifest does not give here, and leaves the others unhashed in the located pack, so that a
     * verifying loader then hashes each file once.
     */
    public LocatedPack located(Path manifest) {
        // A folder, a FIFO, a link to nowhere or a name too long was "not found", which sent the user looking for a
        // file that is there
        Optional<LocalFailures.PathFault> unreadable = LocalFailures.notAReadableFile(manifest);
        if (unreadable.isPresent()) throw manifestUnreadable(manifest, unreadable.get().words(), null);
        byte[] bytes;
        try {
            bytes = boundedBytes(manifest, MAX_MANIFEST_BYTES, "model pack manifest", "a pack manifest is a few kB");
        } catch (IOException e) {
            // gone or replaced since the look above; was "is not valid JSON: " and the bare path
            throw manifestUnreadable(manifest, LocalFailures.inWords(e, manifest), e);
        }
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (IOException e) {
            throw new ModelPackException("model pack manifest " + manifest + " is not valid JSON: "
                    + (e instanceof JsonProcessingException syntax ? JsonSyntax.inWords(syntax) : e.getMessage()), e);
        }
        checkFormat(root.path("format"), manifest);
        PackManifest bound;
        try {
            bound = json.treeToValue(root, PackManifest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ModelPackException("model pack manifest " + manifest + ": unknown field '" + e.getPropertyName()
                    + "' at " + at(e) + "; allowed there: " + e.getKnownPropertyIds(), e);
        } catch (JsonProcessingException e) {
            throw new ModelPackException("model pack manifest " + manifest + ": field " + at(e) + " is malformed: "
                    + e.getOriginalMessage(), e);
        }
        Path dir = manifest.toAbsolutePath().getParent();
        List<Path> dirs = new ArrayList<>();
        dirs.add(dir);
        dirs.addAll(searchPath);
        String id = required(bound.id(), "id", manifest.toString());

        List<Check> checks = new ArrayList<>();
        List<EncoderSpec> encoders = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (PackManifest.Entry entry : bound.encoders() == null ? List.<PackManifest.Entry>of() : bound.encoders()) {
            if (entry == null) throw new ModelPackException(manifest + ": an encoder entry is null");
            String encoderId = required(entry.id(), "id", "an encoder of " + manifest);
            if (!ids.add(encoderId)) throw new ModelPackException(manifest + ": encoder id '" + encoderId + "' is used twice");
            if (disabled.contains(encoderId)) continue;
            encoders.add(encoder(entry, manifest, dirs, checks));
        }
        if (encoders.isEmpty()) throw new ModelPackException(manifest + " lists no (enabled) encoders");
        Optional<EncoderSpec> vad = bound.vad() != null ? Optional.of(encoder(bound.vad(), manifest, dirs, checks))
                : Optional.empty();
        // The speech-to-text model: a component like the VAD, verified file by file like every model
        PackManifest.Entry asr = bound.transcriber();
        Optional<EncoderSpec> transcriber = asr != null
                && !disabled.contains(required(asr.id(), "id", "the transcriber of " + manifest))
                ? Optional.of(encoder(asr, manifest, dirs, checks)) : Optional.empty();
        ModelPack pack = new ModelPack(id, Objects.requireNonNullElse(bound.version(), ""),
                Objects.requireNonNullElse(bound.description(), ""), manifest, dir, encoders, vad, transcriber);
        if (!unsizedOnly) return new LocatedPack(pack, checks);
        verify(checks.stream().filter(c -> c.bytes() == null).toList());
        return new LocatedPack(pack, checks.stream().filter(c -> c.bytes() != null).toList());
    }

    /**
     * The located pack, its files not hashed yet verified against their sha256 where this loader verifies checksums
     * (all of them, for a pack {@link #located} by a loader like this one).
     */
    public ModelPack verified(LocatedPack located) {
        if (verify) verify(located.unhashed());
        return located.pack();
    }

    /**
     * A whole number from {@link #OLDEST_FORMAT} to {@link #FORMAT}, as written ({@link WholeNumber#format}): it was read
     * as an int, so {@code "1"}, {@code 1.5}, {@code true} and 4294967297 (2^32 + 1) were all format 1, and a format 2
     * manifest was told apart from one of format 1 by nothing but the number it gave.
     */
    private static void checkFormat(JsonNode format, Path manifest) {
        WholeNumber.format(format, "format", OLDEST_FORMAT, FORMAT, "model pack manifest " + manifest, ModelPackException::new);
    }

    private static ModelPackException manifestUnreadable(Path manifest, String words, Exception cause) {
        return new ModelPackException("model pack manifest " + manifest + " cannot be read: " + words + "; set "
                + "moodtag.pack.manifest (env MOODTAG_PACK_MANIFEST) to the pack's pack.json", cause);
    }

    private EncoderSpec encoder(PackManifest.Entry entry, Path manifest, List<Path> dirs, List<Check> checks) {
        String id = required(entry.id(), "id", "an encoder of " + manifest);
        String where = manifest + ", encoder " + id;
        String kind = required(entry.kind(), "kind", where);
        Modality modality;
        try {
            modality = Modality.valueOf(required(entry.modality(), "modality", where).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelPackException(where + ": modality must be text, speech or video");
        }
        String precision = precisionOverrides.getOrDefault(id, Objects.requireNonNullElse(entry.precision(), "fp32"));
        Map<String, ModelFile> files = new LinkedHashMap<>();
        if (entry.files() != null) entry.files().forEach((role, variants) -> files.put(role,
                resolve(role, chooseVariant(variants, precision, where + ", file " + role), where, dirs, checks)));
        if (entry.dim() <= 0) throw new ModelPackException(where + ": 'dim' (the embedding length) must be a positive integer");
        return new EncoderSpec(id, modality, kind, files, present(entry.inputs(), "inputs", where),
                present(entry.outputs(), "outputs", where), present(entry.params(), "params", where), entry.dim(), precision, Objects.requireNonNullElse(entry.licence(), ""),
                Objects.requireNonNullElse(entry.source(), ""));
    }

    /** A file role holds one entry, or a list of precision variants from which the configured one is taken. */
    private static PackManifest.FileEntry chooseVariant(List<PackManifest.FileEntry> variants, String precision, String where) {
        if (variants == null || variants.isEmpty() || variants.contains(null))
            throw new ModelPackException(where + ": needs a {\"path\", \"sha256\"} entry or a list of them");
        for (PackManifest.FileEntry v : variants) {
            if (precision.equalsIgnoreCase(v.precision())) return v;
        }
        if (variants.size() == 1) return variants.get(0);
        throw new ModelPackException(where + ": no variant with precision '" + precision + "'; the manifest offers "
                + variants.stream().map(PackManifest.FileEntry::precision).toList());
    }

    private static ModelFile resolve(String role, PackManifest.FileEntry entry, String where, List<Path> dirs,
                                     List<Check> checks) {
        String location = required(entry.path(), "path", where + ", file " + role);
        String sha = Objects.requireNonNullElse(entry.sha256(), "").toLowerCase(Locale.ROOT);
        String precision = Objects.requireNonNullElse(entry.precision(), "n/a");
        if (sha.isEmpty()) throw new ModelPackException(where + ", file " + location + ": 'sha256' is required");
        ModelFile file;
        if (location.startsWith(ModelFile.CLASSPATH)) {
            file = new ModelFile(role, location, null, sha, precision);
        } else {
            Path found = null;
            // What is in the file's place where it is not simply missing (a folder, a FIFO, a link to nowhere, a file as
            // its folder, a name too long): "is missing" sent the user looking for a file that is there
            Set<String> inTheWay = new LinkedHashSet<>();
            for (Path d : dirs) {
                Path candidate = d.resolve(location);
                Optional<LocalFailures.PathFault> fault = LocalFailures.notAReadableFile(candidate);
                if (fault.isEmpty()) {
                    found = candidate;
                    break;
                }
                if (!fault.get().fault().missing()) inTheWay.add(fault.get().words());
            }
            if (found == null) {
                throw new ModelPackException(where + ": model file " + location + (inTheWay.isEmpty() ? " is missing"
                        : " cannot be read: " + String.join("; ", inTheWay)) + ". Looked in "
                        + dirs.stream().map(p -> p.toAbsolutePath().normalize().toString()).distinct().toList()
                        + ". Put the file there or add its folder to moodtag.pack.search-path"
                        + " (env MOODTAG_PACK_SEARCH_PATH).");
            }
            file = new ModelFile(role, location, found, sha, precision);
            checkSize(found, entry.size(), where + ", file " + location);
        }
        checks.add(new Check(where, file, location.startsWith(ModelFile.CLASSPATH) ? null : entry.size()));
        return file;
    }

    /**
     * A model file whose length is not the manifest's {@code size} (where it gives one): a copy cut short (a full
     * disk, an interrupted download or sync) or another version. A stat, where the checksum reads the whole file.
     */
    private static void checkSize(Path found, Long size, String where) {
        if (size == null) return;
        if (size < 0) throw new ModelPackException(where + ": 'size' must be the file's length in bytes, not " + size);
        long actual;
        try {
            actual = Files.size(found);
        } catch (IOException e) {
            throw new ModelPackException(where + ": cannot read the size of " + found.toAbsolutePath().normalize() + ": "
                    + LocalFailures.inWords(e, found), e);
        }
        if (actual != size)
            throw new ModelPackException(where + " (" + found.toAbsolutePath().normalize() + ") has " + actual
                    + " bytes, the manifest says " + size + (actual < size ? ": truncated" : ": another file")
                    + ". The file is corrupt or a different version; restore the file the pack was built with.");
    }

    /**
     * A model file to verify, with where the manifest names it and the size it gives ({@code bytes}, null where it
     * gives none).
     */
    record Check(String where, ModelFile file, Long bytes) {

        /** Classpath files (read out of a compressed jar) count as the largest. */
        long size() {
            try {
                return file.path() == null ? Long.MAX_VALUE : Files.size(file.path());
            } catch (IOException e) {
                return Long.MAX_VALUE; // reading it will say why
            }
        }

        void expect(String actual) {
            if (actual.equals(file.sha256())) return;
            throw new ModelPackException(where + ": checksum mismatch for " + file.location()
                    + (file.path() != null ? " (" + file.path().toAbsolutePath().normalize() + ")" : "")
                    + ": expected sha256 " + file.sha256() + ", found " + actual
                    + ". The file is corrupt or a different version; restore the file the pack was built with.");
        }
    }

    /**
     * Hashes every file of the pack on as many threads as there are cores (at least two, so that reading one file
     * overlaps hashing another), largest first. Hashing about 110 MB one file after another (the Vosk model is 68 MB)
     * was a serial step of every start, with nothing else to do until the pack was known good. A failure is reported
     * for the first file in manifest order whichever thread finished first, so the same broken pack always gives the
     * same message.
     */
    private static void verify(List<Check> checks) {
        int threads = Math.min(checks.size(), Math.max(2, Runtime.getRuntime().availableProcessors()));
        if (threads < 2) {
            checks.forEach(c -> c.expect(sha256(c.file())));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "moodtag-pack-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Check, Future<String>> hashes = new IdentityHashMap<>();
            checks.stream().sorted(Comparator.comparingLong(Check::size).reversed())
                    .forEach(c -> hashes.put(c, pool.submit(() -> sha256(c.file()))));
            for (Check c : checks) c.expect(await(hashes.get(c)));
        } finally {
            pool.shutdownNow();
        }
    }

    private static String await(Future<String> hash) {
        try {
            return hash.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new ModelPackException("verifying the model pack: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelPackException("interrupted while verifying the model pack", e);
        }
    }

    public static String sha256(ModelFile file) {
        try (InputStream in = file.open()) {
            return Sha256.of(in);
        } catch (IOException e) {
            // a file gone or replaced since the pack was loaded was said as its bare path
            throw new ModelPackException("cannot read model file " + file.location() + ": "
                    + (file.path() != null ? LocalFailures.inWords(e, file.path()) : e.getMessage()), e);
        }
    }


    /**
     * The bytes of a JSON file moodtag reads whole at start (a pack manifest, a classifier file), at most {@code max}:
     * one far larger is not such a file (a model or an archive given by mistake, or tampering), and parsed whole into
     * a tree, whatever its size, one of gigabytes would exhaust the heap instead of getting a message. Read, not sized first: a file that grows meanwhile
     * is bounded too.
     *
     * @param what  the file's kind, for the message ("model pack manifest")
     * @param usual what such a file usually weighs, for the message
     * @throws ModelPackException naming the file, when it holds more
     * @throws IOException        when it cannot be read
     */
    public static byte[] boundedBytes(Path file, int max, String what, String usual) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max)
            throw new ModelPackException(what + " " + file + " holds more than " + max + " bytes (" + Files.size(file)
                    + " bytes); " + usual + ": it is not one, or it is damaged");
        return bytes;
    }

    /** The map, empty when absent; a null value is refused (it would mean "the default" only by accident). */
    private static <V> Map<String, V> present(Map<String, V> m, String field, String where) {
        if (m == null) return Map.of();
        m.forEach((k, v) -> {
            if (v == null) throw new ModelPackException(where + ": '" + field + "." + k + "' is null; give a value or leave it out");
        });
        return m;
    }

    private static String at(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) return "the top";
        return m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String required(String value, String field, String where) {
        String v = value == null ? "" : value;
        if (v.isBlank()) throw new ModelPackException(where + ": required field '" + field + "' is missing");
        return v;
    }
}
