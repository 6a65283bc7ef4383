package dev.moodtag.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.support.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifest's format number: {@code size} in a file entry is refused as an unknown field by a reader of format 1,
 * so a manifest that gives sizes is format 2. This reader reads both, format 1 with sizes too (the packs written on
 * 2026-12-07 before the number was bumped), and refuses a newer number, or one that is not a whole number, naming
 * the manifest and what it reads.
 */
class PackFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MODEL = "a model of 23 bytes....".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    /** How a file entry gives its size. */
    private enum Size {
        NONE(""), RIGHT(", \"size\": " + MODEL.length), SHORT(", \"size\": " + (MODEL.length + 1));

        final String json;

        Size(String json) {
            this.json = json;
        }
    }

    private Path manifest(String format, Size size) throws IOException {
        Path m = Files.createTempFile(tmp, "pack", ".json");
        Files.writeString(m, """
                {%s"id": "t", "version": "1", "encoders": [{"id": "e", "modality": "speech", "kind": "k", "dim": 4,
                  "files": {"model": {"path": "m.onnx", "sha256": "%s"%s}}}]}"""
                .formatted(format == null ? "" : "\"format\": " + format + ", ", Sha256.of(MODEL),
                        size.json));
        return m;
    }

    /** What a cell's load gives: "loads", or the refusal's message. */
    private static String outcome(ModelPackLoader loader, Path m) {
        try {
            ModelPack pack = loader.load(m);
            return pack.id().equals("t") ? "loads" : "loaded as " + pack.id();
        } catch (ModelPackException e) {
            return e.getMessage();
        }
    }

    @Test
    void formatsOneAndTwoAreReadWithOrWithoutSizesAndAnyOtherNumberIsRefusedNamingIt() throws IOException {
        Files.write(tmp.resolve("m.onnx"), MODEL);
        ModelPackLoader verified = new ModelPackLoader(List.of(), true, Map.of(), Set.of());
        // absent, null and the other values that are no whole number; then the numbers around the readable ones
        List<String> notAWholeNumber = List.of("<absent>", "null", "\"1\"", "\"2\"", "1.0", "1.5", "2.5", "true", "[1]",
                "{\"v\": 1}", "1e0");
        List<String> tooOld = List.of("0", "-1", "-2147483648", "-4294967295");
        List<String> newer = List.of("3", "99", "2147483647", "2147483649", "4294967297", "4294967298",
                "100000000000000000000000000001");
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (Size size : Size.values()) {
            for (ModelPackLoader loader : List.of(verified, verified.unverified())) {
                String how = (loader == verified ? "verified" : "unverified") + ", size " + size;
                for (String f : List.of("1", "2")) {
                    String got = outcome(loader, manifest(f, size));
                    cells++;
                    boolean right = size == Size.SHORT
                            ? got.contains("has " + MODEL.length + " bytes, the manifest says " + (MODEL.length + 1))
                            : got.equals("loads");
                    if (!right) wrong.add("format " + f + ", " + how + ": " + got);
                }
                for (String f : notAWholeNumber) {
                    Path m = manifest(f.equals("<absent>") ? null : f, size);
                    String got = outcome(loader, m);
                    cells++;
                    if (!got.equals("model pack manifest " + m + ": 'format' must be a whole number (this moodtag reads "
                            + "formats 1 to 2), not " + (f.equals("<absent>") ? "missing" : JSON.readTree(f).toString())))
                        wrong.add("format " + f + ", " + how + ": " + got);
                }
                for (String f : tooOld) {
                    Path m = manifest(f, size);
                    String got = outcome(loader, m);
                    cells++;
                    if (!got.equals("model pack manifest " + m + " has format " + f + ", which no moodtag wrote; this "
                            + "moodtag reads formats 1 to 2")) wrong.add("format " + f + ", " + how + ": " + got);
                }
                for (String f : newer) {
                    Path m = manifest(f, size);
                    String got = outcome(loader, m);
                    cells++;
                    if (!got.equals("model pack manifest " + m + " has format " + f + ", newer than this moodtag reads "
                            + "formats 1 to 2: it was made for a newer moodtag, which reads it"))
                        wrong.add("format " + f + ", " + how + ": " + got);
                }
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
    }

    /**
     * An encoder's {@code dim} and a file's {@code size} are whole numbers as written, as the format is: the number
     * loads, the same number as text, as a fraction, in exponent form or as a boolean is refused naming the field.
     * Bound with Jackson's defaults, "4", 4.0, 4.5 and 4e0 were all dim 4, and a size of 23.9 was 23 bytes, which
     * the 23-byte file matched.
     */
    @Test
    void anEncodersDimAndAFilesSizeAreWholeNumbersAsWrittenOrRefusedNamingTheField() throws IOException {
        Files.write(tmp.resolve("m.onnx"), MODEL);
        ModelPackLoader verified = new ModelPackLoader(List.of(), true, Map.of(), Set.of());
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        int n = MODEL.length;
        for (String key : List.of("dim", "size")) {
            int right = key.equals("dim") ? 4 : n;
            for (String v : List.of(right + "", "\"" + right + "\"", right + ".0", right + ".5", right + ".9",
                    right / 10.0 + "e1", "true", "\"\"")) {
                Path m = Files.createTempFile(tmp, "pack", ".json");
                Files.writeString(m, """
                        {"format": 2, "id": "t", "version": "1", "encoders": [{"id": "e", "modality": "speech", "kind": "k",
                          "dim": %s, "files": {"model": {"path": "m.onnx", "sha256": "%s", "size": %s}}}]}"""
                        .formatted(key.equals("dim") ? v : "4", Sha256.of(MODEL), key.equals("size") ? v : n + ""));
                for (ModelPackLoader loader : List.of(verified, verified.unverified())) {
                    String got = outcome(loader, m);
                    cells++;
                    boolean ok = v.equals(right + "") ? got.equals("loads")
                            : got.startsWith("model pack manifest " + m + ": field encoders[0].") && got.contains(key + " is malformed: ");
                    if (!ok) wrong.add(key + " " + v + (loader == verified ? ", verified: " : ", unverified: ") + got);
                }
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
    }

    /**
     * Every pack manifest here that gives a size says format 2 or later (a reader of format 1 refuses it, and ought to
     * say so by its number), and what the loader writes as its format is what it reads.
     */
    @Test
    void everyManifestThatGivesASizeSaysFormatTwo() throws IOException {
        assertEquals(2, ModelPackLoader.FORMAT);
        List<Path> manifests = new ArrayList<>(List.of(Path.of("models", "pack.json")));
        try (DirectoryStream<Path> packs = Files.newDirectoryStream(Path.of("models", "packs"), "*.json")) {
            packs.forEach(manifests::add);
        }
        List<String> wrong = new ArrayList<>();
        for (Path m : manifests) {
            JsonNode root = JSON.readTree(m.toFile());
            if (Files.readString(m).contains("\"size\"") && root.path("format").asInt() < 2)
                wrong.add(m + " gives sizes under format " + root.path("format"));
        }
        assertEquals(List.of(), wrong);
        assertTrue(Files.readString(Path.of("bench", "export_paper_models.py")).contains("\"format\": " + ModelPackLoader.FORMAT),
                "bench/export_paper_models.py writes sizes, so format " + ModelPackLoader.FORMAT);
    }
}
