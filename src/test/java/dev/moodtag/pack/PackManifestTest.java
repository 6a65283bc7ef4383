package dev.moodtag.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.classify.ClassifierLayoutException;
import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.fuse.EncoderFingerprint;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.JsonFuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pack.json} bound to records: unknown fields are named, malformed ones refused, nothing else escapes. */
class PackManifestTest {

    private static final Path SHIPPED = Path.of("models", "pack.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static ModelPackLoader loader() {
        return new ModelPackLoader(List.of(Fixtures.MODELS, Path.of("models").toAbsolutePath()), false, Map.of(), Set.of());
    }

    private Path write(JsonNode root) throws IOException {
        Path m = Files.createTempFile(tmp, "pack", ".json");
        JSON.writeValue(m.toFile(), root);
        return m;
    }

    private static ObjectNode shipped() throws IOException {
        return (ObjectNode) JSON.readTree(SHIPPED.toFile());
    }

    @Test
    void theShippedPackBindsToTheSameSpecsAndFingerprintsAsBefore() {
        Fixtures.shared("models");
        ModelPack pack = Fixtures.defaultPack();
        // Fingerprints key the shipped classifier; they come out as they did when the manifest was walked as a tree.
        assertEquals(List.of("text-bge-small", "speech-oww-embedding", "speech-functionals", "video-face-expression"),
                pack.encoders().stream().map(EncoderSpec::id).toList());
        assertEquals(Integer.valueOf(256), pack.encoder("text-bge-small").orElseThrow().params().get("maxTokens"));
        assertEquals(16, EncoderFingerprint.of(pack, pack.encoders().get(0)).length());
    }

    @Test
    void theShippedClassifierIsRefusedUnderAnotherVoiceActivityDetectorNamingTheSpeechBlocksOnly() throws IOException {
        Fixtures.shared("models");
        Path classifier = Path.of("models", "classifier");
        ModelPackLoader withText = new ModelPackLoader(List.of(Fixtures.MODELS, Fixtures.BUILT_MODELS,
                Path.of("models").toAbsolutePath()), false, Map.of(), Set.of());
        ClassifierStore.load(classifier, withText.load(write(shipped())));
        // A lower detector threshold gives the speech encoders other regions, hence other vectors, than the shipped
        // classifier was trained on. Before, the encoders' fingerprints left the detector out and it loaded.
        ObjectNode lower = shipped();
        ((ObjectNode) lower.get("vad").get("params")).put("threshold", 0.4);
        ClassifierLayoutException e = assertThrows(ClassifierLayoutException.class,
                () -> ClassifierStore.load(classifier, withText.load(write(lower))));
        assertTrue(e.getMessage().contains("block 'speech-oww-embedding'") && e.getMessage().contains("block 'speech-functionals'")
                && !e.getMessage().contains("block 'text-bge-small'") && !e.getMessage().contains("block 'video-face-expression'"),
                e.getMessage());
    }

    @Test
    void misspeltFieldsAtEveryLevelAreRefusedNamingThem() throws IOException {
        Fixtures.shared("models");
        ObjectNode top = shipped();
        top.set("encodrs", top.remove("encoders"));
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader().load(write(top)));
        assertTrue(e.getMessage().contains("'encodrs'"), e.getMessage());

        ObjectNode entry = shipped();
        ((ObjectNode) entry.withArray("encoders").get(1)).put("precison", "int8");
        e = assertThrows(ModelPackException.class, () -> loader().load(write(entry)));
        assertTrue(e.getMessage().contains("'precison'") && e.getMessage().contains("encoders[1]"), e.getMessage());

        ObjectNode file = shipped();
        ObjectNode model = (ObjectNode) file.withArray("encoders").get(0).get("files").get("model");
        model.set("sha265", model.remove("sha256"));
        e = assertThrows(ModelPackException.class, () -> loader().load(write(file)));
        assertTrue(e.getMessage().contains("'sha265'"), e.getMessage());
    }

    /**
     * Every field of the shipped manifest, at every depth, removed, nulled or given a value of the wrong shape: the
     * pack loads or is refused with a ModelPackException, never anything else.
     */
    @Test
    void everyFieldRemovedNulledOrMistypedLoadsOrIsRefusedCleanly() throws Exception {
        Fixtures.shared("models");
        int refused = JsonFuzz.refusals(PackManifestTest::shipped, Set.of(), ModelPackException.class,
                variant -> loader().load(write(variant)));
        assertTrue(refused > 100, "only " + refused + " refusals");
    }
}
