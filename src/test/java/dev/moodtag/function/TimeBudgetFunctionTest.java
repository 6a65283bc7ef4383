package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.media.HostileMedia;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, per-object time budget: with a budget of nothing, an object gets a result with status {@code error} and
 * kind {@code limit_exceeded} saying what was exceeded (not a retry: the same object would exceed it again), and no
 * decoding thread runs on after the answer.
 */
@QuarkusTest
@TestProfile(TimeBudgetFunctionTest.Profile.class)
@Tag("quarkus")
class TimeBudgetFunctionTest {

    static final Path ROOT = Path.of("target", "time-budget-root").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(), "moodtag.onnx.device", "cpu",
                    "moodtag.budget.base", "PT0.001S", "moodtag.budget.per-media-second", "0");
        }
    }

    @Test
    void anObjectOverItsBudgetGetsALimitExceededErrorAndNothingDecodesOn() throws Exception {
        Path media = Files.copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"), ROOT.resolve("film.mp4"),
                StandardCopyOption.REPLACE_EXISTING);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("film.mp4.emotion.json")));
        assertEquals("error", r.get("status").asText(), r.toPrettyString());
        assertEquals("limit_exceeded", r.at("/error/kind").asText());
        assertTrue(r.at("/error/message").asText().contains("time budget"), r.at("/error/message").asText());
        assertTrue(r.at("/error/message").asText().contains("moodtag.budget"), r.at("/error/message").asText());
        assertEquals(List.of(), HostileMedia.threadsStillDecoding(), "no thread decodes on after the answer");
    }
}
