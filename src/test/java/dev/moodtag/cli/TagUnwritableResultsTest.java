package dev.moodtag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.function.FileTrees;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag tag} into folders its results cannot go to. Before, every file was decoded and encoded and then each
 * write failed, named as "<result> does not exist" (7 files of the shared samples, 12 s, exit 1). Results go under a
 * prefix here, so that a file can stand where a result folder should be: the test runs as root, which writes into any
 * folder whatever its mode bits.
 */
@QuarkusMainTest
@TestProfile(TagUnwritableResultsTest.Profile.class)
@Tag("quarkus")
class TagUnwritableResultsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.function.result.prefix", "results/", "moodtag.onnx.device", "cpu");
        }
    }

    private static final Path WORK = Path.of("target", "tag-unwritable").toAbsolutePath();

    @Test
    void aRunWhoseResultsCanGoNowhereIsRefusedBeforeAnyFileIsDecoded(QuarkusMainLauncher launcher) throws Exception {
        FileTrees.deleteQuietly(WORK);
        Path arch = Files.createDirectories(WORK.resolve("arch"));
        for (String n : List.of("03b01Wa.wav", "03a05Fc.wav", "01-01-01-01-01-01-01.mp4"))
            Files.copy(Fixtures.sample(n), arch.resolve(n));
        Files.writeString(arch.resolve("results"), "a file where the results' folder should be");
        Path out = WORK.resolve("report");

        LaunchResult r = launcher.launch("tag", arch.toString(), "--out", out.toString());
        String text = r.getOutput() + r.getErrorOutput();
        assertEquals(2, r.exitCode(), text);
        assertTrue(r.getErrorOutput().contains("moodtag tag: no result can be written, so nothing was tagged: cannot write "
                + "results in " + arch.resolve("results") + ": " + arch.resolve("results") + " is not a folder"), text);
        assertFalse(text.contains("object(s) in"), "no object was tagged: " + text);
        assertFalse(Files.exists(out.resolve("index.jsonl")), text);
        // Refused before the models load: they took seconds (the pack verified, the classifier read, every encoder's
        // ONNX session made) before the refusal
        assertFalse(text.contains("verified") || text.contains("classifier loaded") || text.contains(" ready in ")
                || text.contains("models ready"), "no model was loaded: " + text);
    }

    @Test
    void aFolderWalkTagsTheSubfoldersItCanWriteAndFailsTheOthersUndecodedNamingTheirFolder(QuarkusMainLauncher launcher)
            throws Exception {
        FileTrees.deleteQuietly(WORK);
        Path arch = WORK.resolve("walk");
        Map<String, String> files = Map.of("good/03b01Wa.wav", "03b01Wa.wav", "bad/03a05Fc.wav", "03a05Fc.wav",
                "bad/deeper/03b09Tc.wav", "03b09Tc.wav", "bad/clip.mp4", "01-01-01-01-01-01-01.mp4");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createDirectories(arch.resolve(f.getKey()).getParent());
            Files.copy(Fixtures.sample(f.getValue()), arch.resolve(f.getKey()));
        }
        Files.createDirectories(arch.resolve("results"));
        Files.writeString(arch.resolve("results/bad"), "a file where a subfolder's results should go");
        Path out = WORK.resolve("walk-report");

        LaunchResult r = launcher.launch("tag", arch.toString(), "--out", out.toString());
        String text = r.getOutput() + r.getErrorOutput();
        assertEquals(1, r.exitCode(), text);
        assertTrue(Files.isRegularFile(arch.resolve("results/good/03b01Wa.wav.emotion.json")), text);
        Map<String, JsonNode> rows = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("index.jsonl"))) {
            JsonNode row = json.readTree(line);
            rows.put(row.path("object").asText().substring(("file://" + arch + "/").length()), row);
        }
        assertEquals("processed", rows.get("good/03b01Wa.wav").path("outcome").asText(), rows.toString());
        for (String bad : List.of("bad/03a05Fc.wav", "bad/deeper/03b09Tc.wav", "bad/clip.mp4")) {
            JsonNode row = rows.get(bad);
            Path folder = arch.resolve("results").resolve(bad).getParent();
            assertEquals("failed", row.path("outcome").asText(), bad + ": " + row);
            assertEquals("cannot write results in " + folder + ": " + arch.resolve("results/bad") + " is not a folder",
                    row.path("reason").asText(), bad);
            // Decoding and encoding a clip takes a second or more; the refusal a stat and a probe.
            assertTrue(row.path("seconds").asDouble() < 1.0, bad + " was not decoded: " + row);
        }
    }
}
