package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model pack without a trained classifier (the speech test pack): the function still embeds and writes a
 * schema-valid result, and says it has no label instead of inventing one.
 */
@QuarkusTest
@TestProfile(UnlabelledFunctionTest.Profile.class)
@Tag("quarkus")
class UnlabelledFunctionTest {

    static final Path ROOT = Path.of("target", "function-unlabelled").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(),
                    "moodtag.pack.manifest", "src/test/resources/packs/speech.json",
                    "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void aPackWithoutAClassifierGivesAnUnlabelledResultWithTheReason() throws IOException {
        Path media = Files.copy(Fixtures.sample("03b01Wa.wav"), ROOT.resolve("03b01Wa.wav"),
                StandardCopyOption.REPLACE_EXISTING);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("03b01Wa.wav.emotion.json")));
        assertEquals("unlabelled", r.get("status").asText(), r.toPrettyString());
        assertTrue(r.get("label").isNull(), r.toPrettyString());
        assertTrue(r.get("labelReason").asText().contains("no trained classifier"), r.toPrettyString());
        assertTrue(r.at("/modalities/speech/present").asBoolean(), r.toPrettyString());
    }
}
