package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.testing.LongRecordingWriter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag.timeline.speech-over-recording=off}: with the shipped classifier (which has a part for speech over a
 * recording) and a guard that would let any recording through, a timeline still labels every segment per utterance
 * only, and its result has no {@code speechStandardisation}, as before the second pass existed.
 */
@QuarkusTest
@TestProfile(TimelineSpeechOffTest.Profile.class)
@Tag("quarkus")
class TimelineSpeechOffTest {

    static final Path ROOT = Path.of("target", "timeline-off-root").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(), "moodtag.onnx.device", "cpu",
                    "moodtag.transcribe.enabled", "false", "moodtag.timeline.speech-over-recording", "off",
                    "moodtag.timeline.recording-min-segments", "2", "moodtag.timeline.recording-max-dominant-share", "1");
        }
    }

    @Test
    void offLeavesEverySegmentPerUtteranceAndSaysNothingAboutStandardisation() throws IOException {
        Path media = ROOT.resolve("talk.mp4");
        LongRecordingWriter.write(media, 45, 3);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("talk.mp4.emotion.json")));
        JsonNode timeline = r.get("timeline");
        assertTrue(timeline.get("segments").size() >= 2, timeline.toString());
        assertFalse(timeline.has("speechStandardisation"), timeline.toString());
        for (JsonNode s : timeline.get("segments")) assertEquals("labelled", s.get("status").asText(), s.toString());
    }
}
