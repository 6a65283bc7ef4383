package dev.moodtag.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.support.Sha256;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.JsonFuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code classifier.json} bound to records: the shipped file still loads, mistakes are named, nothing else escapes. */
class ClassifierFileTest {

    private static final Path SHIPPED = Path.of("models", "classifier");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A copy of the shipped classifier folder with its JSON replaced. */
    private Path copyWith(JsonNode root) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "clf");
        try (var files = Files.list(SHIPPED)) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        JSON.writeValue(dir.resolve(ClassifierStore.FILE).toFile(), root);
        return dir;
    }

    /**
     * The shipped JSON beside tiny LIBSVM models: reading the shipped support vectors a few hundred times would make
     * the fuzz grid slow, and the model files are not what it tests.
     */
    private Path withTinyModels(JsonNode root) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "clf");
        for (JsonNode part : shipped().path("parts")) {
            TINY.save(dir.resolve(part.path("model").asText()));
            // The training rows as shipped: the variants that leave them be load them, checked
            if (part.path("rows").path("file").isTextual())
                Files.copy(SHIPPED.resolve(part.path("rows").path("file").asText()), dir.resolve(part.path("rows").path("file").asText()));
        }
        // The shipped models' hashes become the tiny ones' (where the variant left them as they were), so the grid
        // tests what it mutates and not the hash check on every variant
        for (JsonNode part : root.path("parts"))
            if (part instanceof ObjectNode p && p.path("sha256").isTextual() && p.path("model").isTextual()
                    && Files.isRegularFile(dir.resolve(p.path("model").asText())) && SHIPPED_HASHES.contains(p.path("sha256").asText()))
                p.put("sha256", Sha256.of(dir.resolve(p.path("model").asText())));
        JSON.writeValue(dir.resolve(ClassifierStore.FILE).toFile(), root);
        return dir;
    }

    private static final Set<String> SHIPPED_HASHES = shippedHashes();

    private static Set<String> shippedHashes() {
        try {
            Set<String> hashes = new java.util.HashSet<>();
            shipped().path("parts").forEach(p -> hashes.add(p.path("sha256").asText()));
            return hashes;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final SvmClassifier TINY = SvmClassifier.train(new double[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}},
            new int[]{0, 1, 0, 1}, 2, new SvmParams(SvmParams.Kernel.LINEAR, 1, 0, false, SvmParams.ClassWeighting.NONE));

    private static ObjectNode shipped() throws IOException {
        return (ObjectNode) JSON.readTree(SHIPPED.resolve(ClassifierStore.FILE).toFile());
    }

    @Test
    void aClassifierWrittenBeforeTypesExistedStillLoadsAgainstTheShippedPackAndRoundTrips() throws IOException {
        Fixtures.shared("models");
        // The format before part types: the shipped per-utterance LIBSVM (speech) part alone, its "type" field
        // removed (parts for recordings came later still, so such a file has none).
        ObjectNode legacy = shipped();
        com.fasterxml.jackson.databind.node.ArrayNode untyped = legacy.putArray("parts");
        for (JsonNode part : shipped().path("parts")) {
            if (!part.path("type").asText().equals("libsvm") || part.has("standardisedOver")) continue;
            untyped.add(((ObjectNode) part.deepCopy()).without(List.of("type", "sha256")));
        }
        assertEquals(1, untyped.size(), "the shipped classifier has one per-utterance LIBSVM part");
        ClassifierStore.Stored stored = ClassifierStore.load(copyWith(legacy), Fixtures.defaultPack());
        stored.classifier().parts().forEach(p -> assertEquals("libsvm", p.model().type()));

        Path again = tmp.resolve("again");
        ClassifierStore.save(again, stored.classifier(), Map.of("from", "test"));
        assertEquals("libsvm", JSON.readTree(again.resolve(ClassifierStore.FILE).toFile()).path("parts").get(0).path("type").asText());
        EmotionClassifier back = ClassifierStore.load(again).classifier();
        Random random = new Random(3);
        for (int i = 0; i < 20; i++) {
            float[][] sample = new float[back.layout().size()][];
            for (int b = 0; b < sample.length; b++) {
                if (random.nextInt(4) == 0) continue; // a missing modality now and then
                sample[b] = new float[back.layout().block(b).dim()];
                for (int j = 0; j < sample[b].length; j++) sample[b][j] = (float) random.nextGaussian();
            }
            EmotionClassifier.Prediction a = stored.classifier().predict(sample), c = back.predict(sample);
            assertEquals(a.label(), c.label());
            if (a.probabilities() != null) assertArrayEquals(a.probabilities(), c.probabilities(), 1e-12);
        }
    }

    @Test
    void anUnknownOrMisspeltFieldIsRefusedNamingIt() throws IOException {
        ObjectNode top = shipped();
        top.set("mdoe", top.remove("mode"));
        ModelPackException e = assertThrows(ModelPackException.class, () -> ClassifierStore.load(copyWith(top)));
        assertTrue(e.getMessage().contains("'mdoe'"), e.getMessage());

        ObjectNode nested = shipped();
        ((ObjectNode) nested.path("parts").get(0).path("params")).put("kernal", "rbf");
        e = assertThrows(ModelPackException.class, () -> ClassifierStore.load(copyWith(nested)));
        assertTrue(e.getMessage().contains("'kernal'") && e.getMessage().contains("parts[0].params"), e.getMessage());
    }

    @Test
    void aPartOfATypeThisBuildDoesNotReadIsRefusedNotServedAsLibsvm() throws IOException {
        ObjectNode root = shipped();
        ((ObjectNode) root.path("parts").get(0)).put("type", "linear");
        ModelPackException e = assertThrows(ModelPackException.class, () -> ClassifierStore.load(copyWith(root)));
        assertTrue(e.getMessage().contains("'linear'") && e.getMessage().contains("libsvm"), e.getMessage());
    }

    /**
     * A part's model file that is not the one the classifier was exported with (another part's, another export's, or
     * cut short by a copy) is refused at load, naming the file. Before, each loaded: another model of the same
     * classes gives labels nobody trained, and the result's classifier hash (of {@code classifier.json}) still
     * named the export.
     */
    @Test
    void aModelFileSwappedOrCutShortIsRefusedNamingIt() throws IOException {
        SvmClassifier other = SvmClassifier.train(new double[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new int[]{1, 0, 1, 0}, 2,
                new SvmParams(SvmParams.Kernel.LINEAR, 1, 0, true, SvmParams.ClassWeighting.NONE));
        EmotionClassifier clf = twoPartClassifier();
        Path dir = tmp.resolve("export");
        ClassifierStore.save(dir, clf, Map.of("from", "test"));
        ClassifierStore.load(dir); // as exported

        Path part1 = dir.resolve("svm-1.model.gz");
        byte[] exported = Files.readAllBytes(part1);
        other.save(part1);
        ModelPackException swapped = assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir));
        assertTrue(swapped.getMessage().contains("parts[1]") && swapped.getMessage().contains(part1.toString())
                && swapped.getMessage().contains(Sha256.of(exported)), swapped.getMessage());

        Files.copy(dir.resolve("svm-0.model.gz"), part1, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir), "part 0's model copied over part 1's");

        Files.write(part1, java.util.Arrays.copyOf(exported, exported.length - 8)); // the gzip trailer lost
        assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir), "cut short");

        Files.write(part1, exported);
        assertEquals(clf.predict(new float[][]{{0.2f, 0.9f}, {0.7f, 0.1f}}).label(),
                ClassifierStore.load(dir).classifier().predict(new float[][]{{0.2f, 0.9f}, {0.7f, 0.1f}}).label());
    }

    /** A part without a recorded hash (a file exported before hashes were) loads, unchecked. */
    @Test
    void aPartWithoutARecordedHashStillLoads() throws IOException {
        Path dir = tmp.resolve("legacy");
        ClassifierStore.save(dir, twoPartClassifier(), Map.of("from", "test"));
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve(ClassifierStore.FILE).toFile());
        root.path("parts").forEach(p -> ((ObjectNode) p).remove("sha256"));
        JSON.writeValue(dir.resolve(ClassifierStore.FILE).toFile(), root);
        // unchecked, so even another part's model loads
        Files.copy(dir.resolve("svm-0.model.gz"), dir.resolve("svm-1.model.gz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(2, ClassifierStore.load(dir).classifier().parts().size());
    }

    /** Late fusion of two one-block LIBSVM parts with probabilities. */
    private static EmotionClassifier twoPartClassifier() {
        double[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.1, 0.1}, {0.1, 0.9}, {0.9, 0.1}, {0.9, 0.9}};
        int[] y = {0, 1, 0, 1, 0, 1, 0, 1};
        SvmParams params = new SvmParams(SvmParams.Kernel.LINEAR, 1, 0, true, SvmParams.ClassWeighting.NONE);
        dev.moodtag.fuse.FeatureLayout layout = new dev.moodtag.fuse.FeatureLayout(List.of(
                new dev.moodtag.fuse.FeatureBlock("a", dev.moodtag.media.Modality.SPEECH, 2, dev.moodtag.fuse.FeatureBlock.PRECOMPUTED),
                new dev.moodtag.fuse.FeatureBlock("b", dev.moodtag.media.Modality.VIDEO, 2, dev.moodtag.fuse.FeatureBlock.PRECOMPUTED)));
        List<float[][]> samples = new java.util.ArrayList<>();
        for (double[] row : x) samples.add(new float[][]{{(float) row[0], (float) row[1]}, {(float) row[1], (float) row[0]}});
        int[] all = java.util.stream.IntStream.range(0, x.length).toArray();
        return new EmotionClassifier(FusionMode.LATE, List.of("neutral", "happy"), layout,
                List.of(FusedSvm.train(layout, samples, all, y, 2, new int[]{0}, false, params),
                        FusedSvm.train(layout, samples, all, y, 2, new int[]{1}, false, params)), new double[]{1, 1});
    }

    /**
     * Every field of the shipped file, at every depth down to the parts, removed, set to null, or given a value of
     * the wrong shape: the file loads or is refused with a ModelPackException, never anything else.
     */
    /**
     * A classifier file is tens of kB (the shipped one 64 kB): one of over 64 MB is refused by its size, naming it,
     * before it is parsed. It was read whole into a JSON tree whatever its size, so one of gigabytes (tampering, or a
     * model file copied over it) would exhaust the heap at start (found by a review; before, the 70 MB here loaded).
     */
    @Test
    void aClassifierFileOfTensOfMegabytesIsRefusedByItsSizeNamingIt() throws IOException {
        ObjectNode root = shipped();
        // in strings of 10 kB: Jackson refuses one string over 20 MB, not a document of any size
        var notes = root.putObject("training").putArray("notes");
        for (int i = 0; i < 7_000; i++) notes.add("x".repeat(10_000));
        Path dir = copyWith(root);
        ModelPackException e = assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve(ClassifierStore.FILE).toString()) && e.getMessage().contains("bytes"),
                e.getMessage());
    }

    @Test
    void everyFieldRemovedNulledOrMistypedLoadsOrIsRefusedCleanly() throws Exception {
        int refused = JsonFuzz.refusals(ClassifierFileTest::shipped, Set.of("training"), ModelPackException.class,
                variant -> ClassifierStore.load(withTinyModels(variant)));
        assertTrue(refused > 30, "only " + refused + " refusals");
    }
}
