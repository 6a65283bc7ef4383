package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.batch.BatchSources;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.batch.BatchTagger;
import dev.moodtag.media.HostileMedia;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, per-object time budget, told apart by the object's CPU time. An object whose own work uses its budget (a
 * decoding thread computing) gets a result with status {@code error} and kind {@code limit_exceeded} (not a retry:
 * the same object would exceed it again). An object whose decoding thread is kept waiting (wall-clock time without CPU
 * time, as on a machine loaded far beyond its cores) is answered 503, retryable, with no result written, and the next
 * delivery tags it. No decoding thread runs on after either answer. Before, both got the limit_exceeded result.
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
            return PacedDecoder.settings(ROOT);
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(PacedDecoder.class);
        }
    }

    @Inject
    BatchSources sources;
    @Inject
    BatchTagger batch;

    private static boolean warm;

    /** The first tagging in the JVM (compiling its code, first runs of the models) is no object's own work. */
    @BeforeEach
    void warmedUp() throws Exception {
        if (warm) return;
        recognize(film("warm.mp4")).then().statusCode(200);
        warm = true;
    }

    @AfterEach
    void unpaced() {
        PacedDecoder.pace = PacedDecoder.Pace.NONE;
    }

    private static Path film(String name) throws Exception {
        return Files.copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"), ROOT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Response recognize(Path media) {
        return SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}");
    }

    @Test
    void anObjectWhoseOwnWorkIsOverItsBudgetGetsALimitExceededErrorAndNothingDecodesOn() throws Exception {
        Path media = film("computing.mp4");
        PacedDecoder.pace = PacedDecoder.Pace.COMPUTING;
        recognize(media).then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("computing.mp4.emotion.json")));
        String message = r.at("/error/message").asText();
        assertEquals("error", r.get("status").asText(), r.toPrettyString());
        assertEquals("limit_exceeded", r.at("/error/kind").asText());
        assertTrue(message.contains("time budget"), message);
        assertTrue(message.contains("moodtag.budget"), message);
        assertTrue(message.matches(".*\\d+\\.\\d s spent, \\d+\\.\\d s of it CPU time, 5\\.0 s allowed.*"), message);
        assertEquals(List.of(), HostileMedia.threadsStillDecoding(), "no thread decodes on after the answer");
    }

    @Test
    void anObjectKeptWaitingIsRetriedWithNothingWrittenAndTaggedOnTheNextDelivery() throws Exception {
        Path media = film("waiting.mp4");
        Path result = ROOT.resolve("waiting.mp4.emotion.json");
        PacedDecoder.pace = PacedDecoder.Pace.WAITING;
        Response r = recognize(media);
        r.then().statusCode(503).header("Retry-After", "5").body("objects[0].outcome", equalTo("retry"))
                .body("objects[0].reason", containsString("too busy"))
                .body("objects[0].reason", containsString("nothing written"));
        String reason = r.path("objects[0].reason");
        assertTrue(reason.matches(".*\\d+\\.\\d s spent on the wall clock but \\d+\\.\\d s of CPU time, 5\\.0 s allowed.*"), reason);
        assertFalse(Files.exists(result), "no result for an object the machine's load stopped");
        assertEquals(List.of(), HostileMedia.threadsStillDecoding(), "no thread decodes on after the answer");

        PacedDecoder.pace = PacedDecoder.Pace.NONE;
        recognize(media).then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
        JsonNode tagged = FunctionFixtures.validResult(Files.readAllBytes(result));
        assertNotEquals("error", tagged.get("status").asText(), tagged.toPrettyString());
    }

    /**
     * {@code moodtag tag}: a starved object is a {@code retry} row, a failure of this run with no result written, and
     * the next run tags it; an object whose own work is over its budget is an error result, which the next run redoes
     * (limit_exceeded does not settle an object) and finds over its budget again.
     */
    @Test
    void aBatchCountsAStarvedObjectAsNotDoneAndTheNextRunTagsIt() throws Exception {
        Path dir = ROOT.resolve("batch");
        FileTrees.recreate(dir);
        Path media = Files.copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"), dir.resolve("starved.mp4"));
        Path result = dir.resolve("starved.mp4.emotion.json");
        PacedDecoder.pace = PacedDecoder.Pace.WAITING;
        BatchRow row = only(runBatch(dir));
        assertEquals("retry", row.outcome(), row.toString());
        assertTrue(row.failed(), "not done: " + row);
        assertTrue(row.reason().contains("too busy") && row.reason().contains("run the batch again"), row.reason());
        assertFalse(Files.exists(result), "no result for an object the machine's load stopped");
        assertEquals(List.of(), HostileMedia.threadsStillDecoding(), "no thread decodes on after the row");

        PacedDecoder.pace = PacedDecoder.Pace.NONE;
        row = only(runBatch(dir));
        assertEquals("processed", row.outcome(), row.toString());
        assertNotEquals("error", row.status(), row.toString());
        assertTrue(Files.exists(result));

        Files.delete(result);
        PacedDecoder.pace = PacedDecoder.Pace.COMPUTING;
        row = only(runBatch(dir));
        assertEquals("processed", row.outcome(), row.toString());
        assertEquals("error", row.status(), row.toString());
        assertTrue(row.reason().contains("limit_exceeded"), row.reason());
        assertEquals("limit_exceeded", FunctionFixtures.validResult(Files.readAllBytes(result)).at("/error/kind").asText());
    }

    private BatchSummary runBatch(Path dir) {
        return batch.tag(sources.resolve(dir.toString(), ".emotion.json"), 1, false, (r, done, total) -> {
                },
                new AtomicBoolean());
    }

    private static BatchRow only(BatchSummary summary) {
        assertEquals(1, summary.rows().size(), summary.rows().toString());
        return summary.rows().get(0);
    }
}
