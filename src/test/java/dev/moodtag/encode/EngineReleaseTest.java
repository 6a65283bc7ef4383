package dev.moodtag.encode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.encode.speech.SileroVadParams;
import dev.moodtag.encode.speech.SileroVad;
import dev.moodtag.encode.text.BertTextEncoder;
import dev.moodtag.encode.text.BertTextParams;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.support.Sha256;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the engine had already built is released when a later encoder of the pack fails to build. */
class EngineReleaseTest {

    @TempDir
    Path tmp;

    @Test
    void encodersAndTheDetectorBuiltBeforeAFailingEncoderAreClosed() throws Exception {
        Fixtures.shared("models");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Path.of("models/pack.json").toFile());
        ArrayNode encoders = root.withArray("encoders");
        // The text encoder builds; the speech encoder after it has a corrupt model file (checksum matching, so
        // the pack loads and the failure is ONNX Runtime's, as with a truncated download verified by a bad manifest).
        byte[] garbage = "not an ONNX model".getBytes();
        Files.write(tmp.resolve("broken.onnx"), garbage);
        ObjectNode speech = (ObjectNode) encoders.get(1);
        ObjectNode file = json.createObjectNode().put("path", "broken.onnx").put("sha256", Sha256.of(garbage))
                .put("precision", "fp32");
        ((ObjectNode) speech.get("files")).set("mel", file);
        ((ObjectNode) speech.get("files")).set("embedding", file);
        ArrayNode kept = json.createArrayNode().add(encoders.get(0)).add(speech);
        root.set("encoders", kept);
        Path manifest = tmp.resolve("pack.json");
        json.writeValue(manifest.toFile(), root);
        ModelPack pack = new ModelPackLoader(Fixtures.SEARCH_PATH, true, Map.of(), Set.of()).load(manifest);

        List<BertTextEncoder> texts = new ArrayList<>();
        List<SpeechActivityDetector> detectors = new ArrayList<>();
        EncoderKinds kinds = new EncoderKinds(List.of(
                new EncoderKind<Encoder>(BertTextEncoder.KIND, BertTextParams.class, (s, c) -> {
                    BertTextEncoder e = new BertTextEncoder(s, c);
                    texts.add(e);
                    return e;
                }),
                EncoderKinds.BUILT_IN.encoder(pack.encoders().get(1))),
                List.of(new EncoderKind<SpeechActivityDetector>(SileroVad.KIND, SileroVadParams.class, (s, c) -> {
                    SileroVad v = new SileroVad(s, c.onnx());
                    detectors.add(v);
                    return v;
                })));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EmbeddingEngine(pack, Fixtures.onnxCpu(), kinds, false));
        assertTrue(e.getMessage().contains("cannot load model"), e.getMessage());
        assertEquals(1, texts.size());
        assertEquals(1, detectors.size());
        // Closed sessions refuse to run: nothing of the half-built engine is left holding native memory.
        assertThrows(IllegalStateException.class, () -> texts.get(0).embed("kids are talking by the door"));
        AudioTrack second = new AudioTrack(new float[AudioTrack.RATE], AudioTrack.RATE, 0);
        assertThrows(IllegalStateException.class, () -> detectors.get(0).speechRegions(second));
    }

}
