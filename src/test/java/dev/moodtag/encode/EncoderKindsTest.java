package dev.moodtag.encode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every encoder kind's parameters bind to its record at pack load; mistakes name the key and the encoder. */
class EncoderKindsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every manifest this repository ships or tests with. */
    private static final List<Path> PACKS = List.of(Path.of("models/pack.json"), Path.of("models/packs/face-crops.json"),
            Path.of("src/test/resources/packs/speech.json"), Path.of("src/test/resources/packs/video.json"),
            Path.of("src/test/resources/packs/videomae-placeholder.json"),
            Path.of("src/test/resources/packs/wav2vec2-placeholder.json"));

    @TempDir
    Path tmp;

    /** Checksums are not what is tested here; the manifests are copied away from their folder. */
    private static ModelPackLoader loader(Path original) {
        return new ModelPackLoader(List.of(original.toAbsolutePath().getParent(), Fixtures.MODELS, Fixtures.BUILT_MODELS, Path.of("models")),
                false, Map.of(), Set.of());
    }

    private Path write(ObjectNode manifest) throws IOException {
        Path m = Files.createTempFile(tmp, "pack", ".json");
        JSON.writeValue(m.toFile(), manifest);
        return m;
    }

    @Test
    void everyShippedAndTestPackBindsItsParameters() {
        Fixtures.shared("models");
        for (Path p : PACKS) {
            ModelPack pack = loader(p).load(p, EncoderKinds.BUILT_IN);
            assertTrue(pack.encoders().size() >= 1, p.toString());
        }
    }

    @Test
    void aMisspeltParameterRefusesThePackAtLoadNamingTheKeyAndTheEncoder() throws IOException {
        Fixtures.shared("models");
        Path original = Path.of("models/pack.json");
        ObjectNode root = (ObjectNode) JSON.readTree(original.toFile());
        ObjectNode face = (ObjectNode) root.withArray("encoders").get(3);
        assertEquals("video-face-expression", face.path("id").asText());
        ObjectNode params = (ObjectNode) face.get("params");
        params.set("scoreTreshold", params.remove("scoreThreshold"));
        Path m = write(root);
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader(original).load(m, EncoderKinds.BUILT_IN));
        assertTrue(e.getMessage().contains("'scoreTreshold'"), e.getMessage());
        assertTrue(e.getMessage().contains("video-face-expression"), e.getMessage());
        assertTrue(e.getMessage().contains("scoreThreshold"), "lists the keys it takes: " + e.getMessage());
        // The loader without the catalogue (tools) still loads it; the engine refuses before loading any model.
        ModelPack unchecked = loader(original).load(m);
        ModelPackException fromEngine = assertThrows(ModelPackException.class,
                () -> new EmbeddingEngine(unchecked, Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false));
        assertTrue(fromEngine.getMessage().contains("'scoreTreshold'"), fromEngine.getMessage());
    }

    /**
     * A fuzz grid over every key of every shipped pack: each key misspelt three ways, and each value replaced by values
     * of the wrong shape. Every variant is refused with the key named; nothing is silently defaulted.
     */
    @Test
    void everyMisspellingAndWrongTypeOfEveryShippedKeyIsRefused() throws IOException {
        Fixtures.shared("models");
        int variants = 0;
        for (Path p : PACKS) {
            ModelPack pack = loader(p).load(p);
            List<EncoderSpec> specs = new ArrayList<>(pack.encoders());
            pack.vad().ifPresent(specs::add);
            for (EncoderSpec spec : specs) {
                Class<?> type = pack.vad().map(v -> v == spec).orElse(false)
                        ? EncoderKinds.BUILT_IN.detectorParameters(spec.kind()).orElseThrow()
                        : EncoderKinds.BUILT_IN.encoderParameters(spec.kind()).orElseThrow();
                for (String key : spec.params().keySet()) {
                    for (String wrong : List.of(key + "s", key.substring(1), key.toUpperCase(java.util.Locale.ROOT) + "_")) {
                        Map<String, Object> params = new LinkedHashMap<>(spec.params());
                        params.put(wrong, params.remove(key));
                        ModelPackException e = assertThrows(ModelPackException.class,
                                () -> EncoderParameters.bind(withParams(spec, params), type), spec.id() + " " + wrong);
                        assertTrue(e.getMessage().contains("'" + wrong + "'") && e.getMessage().contains(spec.id()),
                                e.getMessage());
                        variants++;
                    }
                    for (Object bad : List.of(Map.of("x", 1), List.of(Map.of()), "not-a-value")) {
                        Map<String, Object> params = new LinkedHashMap<>(spec.params());
                        params.put(key, bad);
                        if (bad.equals("not-a-value") && spec.params().get(key) instanceof String) continue;
                        ModelPackException e = assertThrows(ModelPackException.class,
                                () -> EncoderParameters.bind(withParams(spec, params), type), spec.id() + " " + key + "=" + bad);
                        assertTrue(e.getMessage().contains(spec.id()), e.getMessage());
                        assertTrue(e.getMessage().contains(key) || e.getMessage().contains(String.valueOf(bad)), e.getMessage());
                        variants++;
                    }
                }
            }
        }
        assertTrue(variants > 100, "grid too small: " + variants);
    }

    @Test
    void everyKindBindsEmptyParametersToItsDocumentedDefaultsAndAcceptsAVersion() {
        Fixtures.shared("models");
        EncoderSpec any = Fixtures.defaultPack().encoders().get(0);
        for (String kind : EncoderKinds.BUILT_IN.encoderKinds()) {
            Class<?> type = EncoderKinds.BUILT_IN.encoderParameters(kind).orElseThrow();
            EncoderParameters.bind(withParams(any, Map.of()), type);
            EncoderParameters.bind(withParams(any, Map.of(EncoderParameters.VERSION, "2")), type);
        }
        var text = EncoderParameters.bind(withParams(any, Map.of()), dev.moodtag.encode.text.BertTextParams.class);
        assertEquals(new dev.moodtag.encode.text.BertTextParams("cls", true, 256), text);
        var vad = EncoderParameters.bind(withParams(any, Map.of("threshold", 0.6)), dev.moodtag.encode.speech.SileroVadParams.class);
        assertEquals(0.45, vad.negThreshold(), 1e-12);
        var face = EncoderParameters.bind(withParams(any, Map.of("detector", "BlazeFace", "maxFaces", 1.0)),
                dev.moodtag.encode.video.FaceExpressionParams.class);
        assertEquals("blazeface", face.detector());
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheReason() {
        Fixtures.shared("models");
        EncoderSpec any = Fixtures.defaultPack().encoders().get(0);
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("margin", -1), Map.<String, Object>of("maxFaces", 2),
                Map.<String, Object>of("detector", "haar"), Map.<String, Object>of("detectEvery", 0),
                Map.<String, Object>of("scoreThreshold", 1.5), Map.<String, Object>of("mirror", "yes"))) {
            ModelPackException e = assertThrows(ModelPackException.class, () -> EncoderParameters.bind(withParams(any, bad),
                    dev.moodtag.encode.video.FaceExpressionParams.class), bad.toString());
            assertTrue(e.getMessage().startsWith("encoder " + any.id()), e.getMessage());
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
    }

    /** Before, maxTokens 2 was accepted: its windows had room for [CLS] and [SEP] only, and every text failed. */
    @Test
    void aTextWindowWithNoRoomForTextIsRefusedAtLoad() {
        Fixtures.shared("models");
        EncoderSpec any = Fixtures.defaultPack().encoders().get(0);
        ModelPackException e = assertThrows(ModelPackException.class, () -> EncoderParameters.bind(
                withParams(any, Map.of("maxTokens", 2)), dev.moodtag.encode.text.BertTextParams.class));
        assertTrue(e.getMessage().startsWith("encoder " + any.id()) && e.getMessage().contains("maxTokens must be >= 3"),
                e.getMessage());
        assertEquals(3, EncoderParameters.bind(withParams(any, Map.of("maxTokens", 3)),
                dev.moodtag.encode.text.BertTextParams.class).maxTokens(), "one token of text and [CLS], [SEP]");
    }

    @Test
    void anUnknownKindIsRefusedAtLoadListingTheKnownOnes() throws IOException {
        Fixtures.shared("models");
        Path original = Path.of("models/pack.json");
        ObjectNode root = (ObjectNode) JSON.readTree(original.toFile());
        ((ObjectNode) root.withArray("encoders").get(2)).put("kind", "acoustic-functional");
        Path m = write(root);
        ModelPackException e = assertThrows(ModelPackException.class, () -> loader(original).load(m, EncoderKinds.BUILT_IN));
        assertTrue(e.getMessage().contains("'acoustic-functional'") && e.getMessage().contains("acoustic-functionals"),
                e.getMessage());
    }

    static EncoderSpec withParams(EncoderSpec s, Map<String, Object> params) {
        return new EncoderSpec(s.id(), s.modality(), s.kind(), s.files(), s.inputs(), s.outputs(), params, s.dim(),
                s.precision(), s.licence(), s.source());
    }
}
