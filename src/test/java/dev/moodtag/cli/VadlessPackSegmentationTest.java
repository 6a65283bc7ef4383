package dev.moodtag.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.function.FileTrees;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag.timeline.segmentation=vad} with a model pack that has no vad entry (the speech test pack with it
 * removed) was taken at start and failed every recording long enough for a timeline, an error result each; a short
 * clip was tagged, so a batch started and ended with exit code 0 however many recordings it failed. Now the command
 * stops before its first object and the function is never ready, each naming the setting and the pack.
 */
@QuarkusMainTest
@TestProfile(VadlessPackSegmentationTest.Profile.class)
@Tag("quarkus")
class VadlessPackSegmentationTest {

    static final Path ROOT = Path.of("target", "vadless-pack").toAbsolutePath();
    /** Beside the pack's folder, which the profile makes again at each launch. */
    static final Path MEDIA = Path.of("target", "vadless-pack-media").toAbsolutePath();
    static final String REFUSAL = "moodtag.timeline.segmentation=vad, but the model pack has no vad entry (model pack moodtag-speech-test";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                FileTrees.recreate(ROOT);
                ObjectMapper json = new ObjectMapper();
                ObjectNode pack = (ObjectNode) json.readTree(Path.of("src/test/resources/packs/speech.json").toFile());
                pack.remove("vad");
                pack.withArray("encoders").forEach(e -> ((ObjectNode) e.get("params")).put("vad", false));
                json.writeValue(ROOT.resolve("pack.json").toFile(), pack);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("moodtag.pack.manifest", ROOT.resolve("pack.json").toString(),
                    "moodtag.timeline.segmentation", "vad", "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void tagStopsBeforeItsFirstObject(QuarkusMainLauncher launcher) throws IOException {
        Path media = FileTrees.recreate(MEDIA);
        Files.copy(Fixtures.sample("03a05Fc.wav"), media.resolve("03a05Fc.wav"), StandardCopyOption.REPLACE_EXISTING);
        LaunchResult run = launcher.launch("tag", media.toString(), "--out", MEDIA.resolve("out").toString());
        String err = run.getErrorOutput(), all = run.getOutput() + err;
        assertEquals(1, run.exitCode(), all);
        assertEquals(1, err.lines().filter(l -> l.startsWith("moodtag tag: " + REFUSAL)).count(), all);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + all);
        try (var files = Files.walk(MEDIA)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".emotion.json")), "no result written");
        }
    }

    @Test
    void theFunctionIsNeverReady(QuarkusMainLauncher launcher) {
        LaunchResult run = launcher.launch("serve", "--exit-when-ready");
        String all = run.getOutput() + run.getErrorOutput();
        assertEquals(1, run.exitCode(), all);
        assertTrue(run.getErrorOutput().contains("moodtag serve: not ready: " + REFUSAL), all);
        assertTrue(run.getOutput().contains("setting out of range: moodtag.timeline.segmentation"), all);
    }
}
