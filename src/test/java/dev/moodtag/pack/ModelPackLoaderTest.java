package dev.moodtag.pack;

import dev.moodtag.support.Sha256;

import dev.moodtag.media.Modality;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.PathsInTheWay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelPackLoaderTest {

    @TempDir
    Path tmp;

    private static final String ONE_FILE = """
            {"format": 1, "id": "t", "encoders": [{"id": "e", "modality": "speech", "kind": "k", "dim": 4,
              "precision": "%s",
              "files": {"model": %s}}]}""";

    private Path manifest(String precision, String files) throws IOException {
        Path m = tmp.resolve("pack.json");
        Files.writeString(m, ONE_FILE.formatted(precision, files));
        return m;
    }

    private Path modelFile(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static ModelPackLoader loader() {
        return new ModelPackLoader(List.of(), true, Map.of(), Set.of());
    }

    @Test
    void defaultPackLoadsAndVerifiesEveryFile() {
        ModelPack pack = Fixtures.defaultPack();
        assertEquals("moodtag-default", pack.id());
        assertTrue(pack.encoder("text-bge-small").isPresent());
        EncoderSpec text = pack.encoder("text-bge-small").orElseThrow();
        assertEquals(Modality.TEXT, text.modality());
        // A file of the pack (target/models/text, unpacked by the build), not a class-path resource: a jar entry is
        // inflated at every read, twice per start (verified, then loaded)
        assertFalse(text.file("model").onClasspath());
        assertTrue(text.file("model").path().endsWith(Path.of("text", "bge-small-en-v1.5-q.onnx")), text.file("model").path().toString());
        assertTrue(Files.isRegularFile(text.file("model").path()));
        assertEquals(384, text.dim());
        assertTrue(pack.vad().isPresent());
    }

    @Test
    void aClasspathModelIsVerifiedLikeAFile() throws IOException {
        // Packs may still name a model shipped inside a jar; the default pack no longer does, so this covers it
        String probe = "classpath:onnx/cuda-probe.onnx";
        String sha = "01b17ac59b09a9a50a63c6d3a4e3c500ce93ac1709de32c02ac3c42bd48e8847";
        ModelPack pack = loader().load(manifest("fp32", "{\"path\": \"" + probe + "\", \"sha256\": \"" + sha + "\"}"));
        ModelFile file = pack.encoder("e").orElseThrow().file("model");
        assertTrue(file.onClasspath());
        assertEquals(sha, ModelPackLoader.sha256(file));

        String wrong = "1".repeat(64);
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(
                manifest("fp32", "{\"path\": \"" + probe + "\", \"sha256\": \"" + wrong + "\"}")));
        assertTrue(e.getMessage().contains("checksum mismatch for " + probe), e.getMessage());
    }

    @Test
    void aMissingFileNamesEachFolderLookedInOnce() throws IOException {
        Path m = manifest("fp32", "{\"path\": \"absent.onnx\", \"sha256\": \"" + "0".repeat(64) + "\"}");
        // The pack's own folder is also on the search path, as in the edge unit's settings
        ModelPackLoader loader = new ModelPackLoader(List.of(tmp, tmp.resolve("other")), true, Map.of(), Set.of());
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader.load(m));
        String folder = tmp.toAbsolutePath().normalize().toString();
        assertEquals(1, e.getMessage().split(java.util.regex.Pattern.quote(folder + ","), -1).length - 1, e.getMessage());
        assertTrue(e.getMessage().contains("model file absent.onnx is missing"), e.getMessage());
    }

    @Test
    void checksumMismatchRefusesToLoadAndNamesTheFile() throws IOException {
        modelFile("m.onnx", "not the model the pack was built with");
        String wrong = "0".repeat(64);
        Path m = manifest("fp32", "{\"path\": \"m.onnx\", \"sha256\": \"" + wrong + "\"}");
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(m));
        assertTrue(e.getMessage().contains("checksum mismatch for m.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains(wrong), e.getMessage());
    }

    @Test
    void filesAreHashedSideBySideButTheFirstCorruptOneInManifestOrderIsNamed() throws IOException {
        // A large corrupt file first and a tiny corrupt one last: the tiny one finishes hashing first, every time
        Files.write(tmp.resolve("big.onnx"), new byte[8 << 20]);
        String good = Sha256.of("fine");
        modelFile("good.onnx", "fine");
        modelFile("small.onnx", "x");
        Path m = tmp.resolve("pack.json");
        Files.writeString(m, """
                {"format": 1, "id": "t", "encoders": [
                  {"id": "a", "modality": "speech", "kind": "k", "dim": 4, "files": {"model": {"path": "good.onnx", "sha256": "%s"}}},
                  {"id": "b", "modality": "speech", "kind": "k", "dim": 4, "files": {"model": {"path": "big.onnx", "sha256": "%s"}}},
                  {"id": "c", "modality": "speech", "kind": "k", "dim": 4, "files": {"model": {"path": "small.onnx", "sha256": "%s"}}}]}"""
                .formatted(good, "1".repeat(64), "2".repeat(64)));
        for (int i = 0; i < 5; i++) {
            ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(m));
            assertTrue(e.getMessage().contains("encoder b: checksum mismatch for big.onnx"), e.getMessage());
        }
        Files.writeString(m, Files.readString(m).replace("1".repeat(64), Sha256.of(tmp.resolve("big.onnx"))));
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(m));
        assertTrue(e.getMessage().contains("encoder c: checksum mismatch for small.onnx"), e.getMessage());
    }

    @Test
    void missingModelFileRefusesToLoadAndSaysWhereItLooked() throws IOException {
        Path m = manifest("fp32", "{\"path\": \"nowhere/m.onnx\", \"sha256\": \"" + "a".repeat(64) + "\"}");
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(m));
        assertTrue(e.getMessage().contains("model file nowhere/m.onnx is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("moodtag.pack.search-path"), e.getMessage());
    }

    /**
     * A pack manifest is a few kB: one of megabytes is not a pack.json (a model file or an archive given by mistake,
     * or tampering), and is refused by its size, naming it, before it is parsed. It was read whole into a JSON tree
     * whatever its size, so one of gigabytes would exhaust the heap at start (found by a review; before, the 2 MB of
     * valid JSON here loaded).
     */
    @Test
    void aManifestOfMegabytesIsRefusedByItsSizeNamingIt() throws IOException {
        Path model = modelFile("m.onnx", "weights");
        Path m = manifest("fp32", "{\"path\": \"m.onnx\", \"sha256\": \"" + Sha256.of(model) + "\"}");
        loader().load(m);
        String json = Files.readString(m);
        Files.writeString(m, json.replaceFirst("\"id\": \"t\"", "\"id\": \"t\", \"description\": \"" + "x".repeat(2 << 20) + "\""));
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(m));
        assertTrue(e.getMessage().contains(m.toString()) && e.getMessage().contains("bytes"), e.getMessage());
    }

    /**
     * A manifest or model file that cannot be read is said in words, naming the path at fault: a folder, a FIFO, a link
     * to nowhere or a name too long in the manifest's place was "not found" and in a model file's "is missing", which
     * sent the user looking for a file that is there, and a file gone after the load was said by its bare path. Only a
     * file simply not there is still "is missing" (permission cases cannot be made as root).
     */
    @Test
    void aManifestOrModelFileThatCannotBeReadIsSaidInWords() throws Exception {
        Path aFile = modelFile("a-file", "x");
        PathsInTheWay in = PathsInTheWay.under(tmp);
        Path loop = in.loop(), dangling = in.dangling(), fifo = in.fifo(), folder = in.folder();
        String overlong = "n".repeat(256);
        String abs = tmp.toAbsolutePath().normalize().toString();
        // the name (relative to the pack's folder), and what the message must say
        Map<String, String> grid = new java.util.LinkedHashMap<>();
        grid.put("absent", "no such file or folder: " + abs + "/absent");
        grid.put("no-folder/m", "no such folder: " + abs + "/no-folder");
        grid.put("folder", abs + "/folder is a folder, where a file is expected");
        grid.put("fifo", abs + "/fifo is not a regular file (a FIFO, socket or device)");
        grid.put("dangling", abs + "/dangling is a link that leads nowhere");
        grid.put("loop-a", abs + "/loop-a is a link that leads nowhere");
        grid.put("loop-a/m", abs + "/loop-a is a link that leads nowhere");
        grid.put("a-file/m", "not a folder: " + abs + "/a-file is a file in the way");
        grid.put(overlong, "name too long: the name " + "n".repeat(40) + "… has 256 bytes; file systems take at most 255");
        grid.put("folder/" + overlong, "name too long: the name " + "n".repeat(40) + "…");

        List<String> wrong = new java.util.ArrayList<>();
        int cases = 0;
        for (var c : grid.entrySet()) {
            cases++;
            ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(tmp.resolve(c.getKey())));
            if (!e.getMessage().contains("model pack manifest") || !e.getMessage().contains(c.getValue())
                    || !e.getMessage().contains("moodtag.pack.manifest"))
                wrong.add("manifest " + c.getKey() + ": " + e.getMessage());
            cases++;
            Path m = manifest("fp32", "{\"path\": \"" + c.getKey() + "\", \"sha256\": \"" + "0".repeat(64) + "\"}");
            ModelPackException f = assertThrows(ModelPackException.class, () -> loader().load(m));
            // simply not there: "is missing", as before; anything in its place is said
            String words = c.getValue().startsWith("no such") ? "model file " + c.getKey() + " is missing" : c.getValue();
            if (!f.getMessage().contains(words) || !f.getMessage().contains("moodtag.pack.search-path"))
                wrong.add("model file " + c.getKey() + ": " + f.getMessage());
        }
        // a model file gone, or a folder put in its place, after the pack was loaded unverified
        Path model = modelFile("m.onnx", "weights");
        ModelFile file = loader().unverified().load(manifest("fp32", "{\"path\": \"m.onnx\", \"sha256\": \""
                + Sha256.of(model) + "\"}")).encoder("e").orElseThrow().file("model");
        Files.delete(model);
        cases++;
        ModelPackException gone = assertThrows(ModelPackException.class, () -> ModelPackLoader.sha256(file));
        if (!gone.getMessage().equals("cannot read model file m.onnx: no such file or folder: " + abs + "/m.onnx"))
            wrong.add("gone: " + gone.getMessage());
        Files.createDirectories(model);
        cases++;
        ModelPackException replaced = assertThrows(ModelPackException.class, () -> ModelPackLoader.sha256(file));
        if (!replaced.getMessage().equals("cannot read model file m.onnx: " + abs + "/m.onnx is a folder, where a file is expected"))
            wrong.add("a folder in its place: " + replaced.getMessage());
        assertTrue(Files.isRegularFile(aFile) && Files.isSymbolicLink(dangling) && Files.isDirectory(folder));
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases + " wrong:\n" + String.join("\n", wrong)
                .replace(overlong, "<256 n>"));
    }

    @Test
    void missingManifestAndBadJsonAreClearErrors() throws IOException {
        ModelPackException missing = assertThrows(ModelPackException.class,
                () -> loader().load(tmp.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("moodtag.pack.manifest"), missing.getMessage());
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{ not json");
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(bad));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void precisionVariantIsChosenByManifestOrOverride() throws IOException {
        Path a = modelFile("a.int8.onnx", "int8 bytes");
        Path b = modelFile("a.onnx", "fp32 bytes");
        String variants = "[{\"path\": \"a.int8.onnx\", \"precision\": \"int8\", \"sha256\": \"" + sha(a) + "\"},"
                + " {\"path\": \"a.onnx\", \"precision\": \"fp32\", \"sha256\": \"" + sha(b) + "\"}]";
        Path m = manifest("int8", variants);
        EncoderSpec viaManifest = loader().load(m).encoders().get(0);
        assertEquals("int8", viaManifest.precision());
        assertEquals("a.int8.onnx", viaManifest.file("model").location());

        EncoderSpec overridden = new ModelPackLoader(List.of(), true, Map.of("e", "fp32"), Set.of())
                .load(m).encoders().get(0);
        assertEquals("fp32", overridden.precision());
        assertEquals("a.onnx", overridden.file("model").location());

        ModelPackException e = assertThrows(ModelPackException.class,
                () -> new ModelPackLoader(List.of(), true, Map.of("e", "fp16"), Set.of()).load(m));
        assertTrue(e.getMessage().contains("no variant with precision 'fp16'"), e.getMessage());
    }

    @Test
    void filesAreFoundOnTheSearchPathAndDisabledEncodersAreLeftOut() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path f = elsewhere.resolve("m.onnx");
        Files.writeString(f, "bytes");
        Path m = manifest("fp32", "{\"path\": \"m.onnx\", \"sha256\": \"" + sha(f) + "\"}");
        ModelPack pack = new ModelPackLoader(List.of(elsewhere), true, Map.of(), Set.of()).load(m);
        assertEquals(f, pack.encoders().get(0).file("model").path());

        ModelPackException none = assertThrows(ModelPackException.class,
                () -> new ModelPackLoader(List.of(elsewhere), true, Map.of(), Set.of("e")).load(m));
        assertTrue(none.getMessage().contains("no (enabled) encoders"), none.getMessage());
        assertFalse(pack.vad().isPresent());
    }

    /**
     * The default pack copied with one model cut short (a full disk, an interrupted sync): the manifest's sizes say it
     * where the pack is read without hashing (status, publish), in a stat per file (here 5 ms warm against 72 ms for
     * every file hashed; in a fresh JVM 0.1-0.2 s against 0.6-0.7 s).
     * Before, that read looked the files up only, and the truncated pack passed. A file without a size in the manifest
     * is hashed there; one of the right size whose bytes differ is left to the verified load where the models load.
     */
    @Test
    void aTruncatedModelIsSaidByTheReadThatDoesNotHashAndAFileWithoutASizeIsHashedThere() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("pack"));
        Path m = Files.copy(Fixtures.DEFAULT_MANIFEST, copy.resolve("pack.json"));
        Path original = Fixtures.defaultPack().vad().orElseThrow().file("model").path();
        Path cut = Files.createDirectories(copy.resolve("speech")).resolve("silero_vad_v5.onnx");
        byte[] bytes = Files.readAllBytes(original);
        ModelPackLoader verified = new ModelPackLoader(Fixtures.SEARCH_PATH, true, Map.of(), Set.of());

        // timings on the intact default pack: what status and publish pay for each way
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) verified.unverified().load(m);
        long t1 = System.nanoTime();
        for (int i = 0; i < 3; i++) verified.load(m);
        long t2 = System.nanoTime();
        System.out.printf("default pack: sizes compared %.0f ms, every file hashed %.0f ms (mean of 3, warm)%n",
                (t1 - t0) / 3e6, (t2 - t1) / 3e6);

        for (int keep : new int[]{0, 1, bytes.length / 2, bytes.length - 1}) {
            Files.write(cut, java.util.Arrays.copyOf(bytes, keep));
            for (ModelPackLoader l : List.of(verified.unverified(), verified)) {
                ModelPackException e = assertThrows(ModelPackException.class, () -> l.load(m), keep + " bytes kept");
                assertTrue(e.getMessage().contains("file speech/silero_vad_v5.onnx (" + cut.toAbsolutePath().normalize()
                        + ") has " + keep + " bytes, the manifest says " + bytes.length + ": truncated"), e.getMessage());
            }
        }
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length + 1));
        assertTrue(assertThrows(ModelPackException.class, () -> verified.unverified().load(m)).getMessage()
                .contains(": another file"));

        // a pack whose manifest gives no size: the file is hashed by the read that does not hash the others
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.writeString(m, Files.readString(m).replace(", \"size\": " + bytes.length, ""));
        assertTrue(assertThrows(ModelPackException.class, () -> verified.unverified().load(m)).getMessage()
                .contains("checksum mismatch for speech/silero_vad_v5.onnx"));
        // ... unless checksums are off altogether (moodtag.pack.verify-checksums=false: trusted images)
        new ModelPackLoader(Fixtures.SEARCH_PATH, false, Map.of(), Set.of()).unverified().load(m);

        // the right size, other bytes: only the hash tells, where the models load
        byte[] flipped = bytes.clone();
        flipped[flipped.length / 2] ^= 1;
        Files.copy(Fixtures.DEFAULT_MANIFEST, m, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(cut, flipped);
        verified.unverified().load(m);
        assertTrue(assertThrows(ModelPackException.class, () -> verified.load(m)).getMessage()
                .contains("checksum mismatch for speech/silero_vad_v5.onnx"));

        Files.writeString(m, Files.readString(m).replace("\"size\": " + bytes.length, "\"size\": -1"));
        assertTrue(assertThrows(ModelPackException.class, () -> verified.unverified().load(m)).getMessage()
                .contains("'size' must be the file's length in bytes, not -1"));
    }

    private static String sha(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            return dev.moodtag.support.Sha256.of(in);
        }
    }
}
