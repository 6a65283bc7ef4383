package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.media.HostileMedia;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, declared duration: a recording whose container says it lasts 1 s but holds a minute is not decoded as one
 * utterance (before the fix it was: the declared length alone chose the path, and a 9-minute file took 5.1 GB). It
 * outgrows the utterance while decoding and is streamed into a timeline covering the whole minute.
 */
@QuarkusTest
@TestProfile(LyingLengthFunctionTest.Profile.class)
@Tag("quarkus")
class LyingLengthFunctionTest {

    static final Path ROOT = Path.of("target", "lying-length-root").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            // Fixed windows: the tone has no speech for voice activity to find, and windows show the covered length.
            return Map.of("moodtag.storage.local.roots", ROOT.toString(), "moodtag.onnx.device", "cpu",
                    "moodtag.timeline.segmentation", "fixed", "quarkus.http.test-timeout", "PT5M");
        }
    }

    @Test
    void aMinuteDeclaredAsOneSecondGetsATimelineOfTheWholeMinute() throws Exception {
        Path media = HostileMedia.audioDeclaringOneSecond(ROOT, "declares-1s.mkv", 60);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("declares-1s.mkv.emotion.json")));
        JsonNode timeline = r.get("timeline");
        assertTrue(timeline != null && !timeline.isNull(), "a timeline, not one utterance: " + r.toPrettyString());
        assertEquals("fixed", timeline.get("segmentation").asText());
        assertEquals(60, timeline.get("durationSeconds").asDouble(), 1.0, timeline.toString());
        assertTrue(timeline.get("segments").size() >= 6, timeline.toString());
        double lastEnd = 0;
        for (JsonNode s : timeline.get("segments")) lastEnd = Math.max(lastEnd, s.get("end").asDouble());
        assertEquals(60, lastEnd, 1.0, "segments reach the end of what was decoded, not of what was declared");
    }

    /** The other lie: 40 s declared as 10 minutes. Streamed (safe either way); the timeline says 40 s, not 600. */
    @Test
    void fortySecondsDeclaredAsTenMinutesGetATimelineOfFortySeconds() throws Exception {
        Path media = HostileMedia.audioDeclaringOneSecond(ROOT, "declares-10min.mkv", 40);
        HostileMedia.lieAboutDuration(media, 600_000.0);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("declares-10min.mkv.emotion.json")));
        assertEquals(40, r.at("/timeline/durationSeconds").asDouble(), 1.0, r.get("timeline").toString());
        assertEquals(40, r.at("/summary/durationSeconds").asDouble(), 1.0, r.get("summary").toString());
    }
}
