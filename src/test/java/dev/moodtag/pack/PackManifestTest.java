package dev.moodtag.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.fuse.EncoderFingerprint;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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
        assertEquals(16, EncoderFingerprint.of(pack.encoders().get(0)).length());
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
    void everyFieldRemovedNulledOrMistypedLoadsOrIsRefusedCleanly() throws IOException {
        Fixtures.shared("models");
        List<String> paths = new ArrayList<>();
        collect(shipped(), "", paths);
        int refused = 0;
        for (String path : paths) {
            for (String mutation : List.of("remove", "null", "string", "object", "array", "number")) {
                ObjectNode root = shipped();
                mutate(root, path, mutation);
                Path m = write(root);
                try {
                    loader().load(m);
                } catch (ModelPackException e) {
                    refused++;
                } catch (RuntimeException e) {
                    throw new AssertionError(path + " " + mutation + " escaped as " + e, e);
                }
            }
        }
        assertTrue(refused > 100, "only " + refused + " refusals over " + paths.size() + " fields");
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(prefix + "/" + i);
                collect(node.get(i), prefix + "/" + i, out);
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.add(prefix + "/" + f.getKey());
            if (f.getValue().isContainerNode()) collect(f.getValue(), prefix + "/" + f.getKey(), out);
        }
    }

    private static void mutate(ObjectNode root, String path, String mutation) {
        int cut = path.lastIndexOf('/');
        JsonNode parent = cut == 0 ? root : root.at(path.substring(0, cut));
        String name = path.substring(cut + 1);
        JsonNode value = switch (mutation) {
            case "null" -> JSON.nullNode();
            case "string" -> JSON.getNodeFactory().textNode("x");
            case "object" -> JSON.createObjectNode();
            case "array" -> JSON.createArrayNode();
            case "number" -> JSON.getNodeFactory().numberNode(-1);
            default -> null;
        };
        if (parent instanceof ArrayNode a) {
            int i = Integer.parseInt(name);
            if (value == null) a.remove(i);
            else a.set(i, value);
        } else if (value == null) {
            ((ObjectNode) parent).remove(name);
        } else {
            ((ObjectNode) parent).set(name, value);
        }
    }
}
