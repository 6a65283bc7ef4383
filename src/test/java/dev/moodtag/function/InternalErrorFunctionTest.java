package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An encoder that fails inside ONNX Runtime (a real failure: the wav2vec2 placeholder fed chunks shorter than its
 * convolutions' receptive field). Redelivering the event would fail the same way, so the answer is 200 with an
 * error result of kind {@code internal} that says why, counted in the metrics, and the process keeps serving.
 */
@QuarkusTest
@TestProfile(InternalErrorFunctionTest.Profile.class)
@Tag("quarkus")
class InternalErrorFunctionTest {

    static final Path ROOT = Path.of("target", "function-internal-error").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(),
                    "moodtag.pack.manifest", "src/test/resources/packs/failing-wav2vec2.json",
                    "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void anEncoderFailureIsAnInternalErrorResultAnswered200AndCounted() throws IOException {
        Path media = Files.copy(Fixtures.sample("03b01Wa.wav"), ROOT.resolve("03b01Wa.wav"),
                StandardCopyOption.REPLACE_EXISTING);
        // There from the start at 0, so that an alert on its increase fires on the first one (it appeared only with
        // its first increment, found following the README's /q/metrics list)
        String before = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(before.contains("moodtag_internal_errors_total 0.0"), before);
        for (int i = 0; i < 2; i++) {
            SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\", \"force\": true}").then().statusCode(200)
                    .body("objects[0].outcome", equalTo("processed")).body("objects[0].status", equalTo("error"));
        }
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("03b01Wa.wav.emotion.json")));
        assertEquals("error", r.get("status").asText(), r.toPrettyString());
        assertEquals("internal", r.at("/error/kind").asText(), r.toPrettyString());
        String message = r.at("/error/message").asText();
        assertTrue(message.contains("03b01Wa.wav") && message.contains("wav2vec2"), "names the object and the failing part: " + message);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("moodtag_internal_errors_total 2.0"), metrics);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
