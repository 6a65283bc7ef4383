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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag status} compares results with the configured pack's identity (its id and version, the classifier's
 * mode and file hash) and loads no model: before, the first current result it compared verified the pack, read the
 * classifier and made all 4 encoders' ONNX sessions (on the shared samples: 4.6-5.5 s of CPU, 440-460 MB resident,
 * against 2.7 s and 143 MB now); so did {@code tag --publish}, which tags nothing either. The rule itself is
 * unchanged: a result from another pack version or classifier is still "none yet".
 */
@QuarkusMainTest
@TestProfile(StatusLoadsNoModelsTest.Profile.class)
@Tag("quarkus")
class StatusLoadsNoModelsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.onnx.device", "cpu");
        }
    }

    private static final Path WORK = Path.of("target", "status-loads-no-models").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the pack's loading logs: its verification, the classifier, each encoder's session, the recognizer's warm-up. */
    private static final List<String> LOADS = List.of("verified", "classifier loaded", " ready in ", "models ready");

    private static List<String> loaded(String text) {
        return LOADS.stream().filter(text::contains).toList();
    }

    @Test
    void statusComparesResultsWithThePackWithoutLoadingIt(QuarkusMainLauncher launcher) throws Exception {
        FileTrees.deleteQuietly(WORK);
        Path arch = Files.createDirectories(WORK.resolve("arch"));
        for (String n : List.of("03b01Wa.wav", "03a05Fc.wav", "Cole_Chapman_0001.jpg"))
            Files.copy(Fixtures.sample(n), arch.resolve(n));
        LaunchResult tag = launcher.launch("tag", arch.toString(), "--out", WORK.resolve("tag").toString());
        String tagged = tag.getOutput() + tag.getErrorOutput();
        assertEquals(0, tag.exitCode(), tagged);
        assertEquals(LOADS, loaded(tagged), "what a load logs is seen in a launch's output: " + tagged);

        for (List<String> args : List.<List<String>>of(List.of(), List.of("--wait", "--interval", "PT0.1S", "--timeout", "PT1S"))) {
            LaunchResult status = status(launcher, arch, args);
            String text = status.getOutput() + status.getErrorOutput();
            assertEquals(0, status.exitCode(), args + ": " + text);
            assertTrue(text.contains("3 object(s): 3 with a current result (0 of them errors), 0 none yet"), args + ": " + text);
            assertEquals(List.of(), loaded(text), args + ": no model loads: " + text);
        }

        // tag --publish sends only what the function would not skip, by the same rule: nothing is tagged here either
        LaunchResult publish = launcher.launch("tag", arch.toString(), "--publish", "http://127.0.0.1:9/", "--out",
                WORK.resolve("publish").toString());
        String published = publish.getOutput() + publish.getErrorOutput();
        assertEquals(0, publish.exitCode(), published);
        assertTrue(published.contains("3 object(s) to http://127.0.0.1:9/: 0 published, 3 skipped, 0 failed to publish"),
                published);
        assertEquals(List.of(), loaded(published), "tag --publish loads no model: " + published);

        // The comparison still holds: another pack version and another classifier are not current
        changed(arch.resolve("03b01Wa.wav.emotion.json"), "pack", "version", "0.0.1");
        changed(arch.resolve("Cole_Chapman_0001.jpg.emotion.json"), "classifier", "description",
                "late-fusion SVM classifier/classifier.json sha256:" + "0".repeat(64));
        LaunchResult status = status(launcher, arch, List.of());
        String text = status.getOutput() + status.getErrorOutput();
        assertEquals(StatusCommand.NOT_DONE, status.exitCode(), text);
        assertTrue(text.contains("3 object(s): 1 with a current result (0 of them errors), 2 none yet"), text);
        assertEquals(List.of(), loaded(text), "no model loads: " + text);
    }

    private static LaunchResult status(QuarkusMainLauncher launcher, Path arch, List<String> more) {
        List<String> args = new java.util.ArrayList<>(List.of("status", arch.toString(), "--out", WORK.resolve("status").toString()));
        args.addAll(more);
        return launcher.launch(args.toArray(String[]::new));
    }

    private static void changed(Path result, String object, String field, String value) throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(result.toFile());
        ((ObjectNode) doc.path(object)).put(field, value);
        JSON.writeValue(result.toFile(), doc);
    }
}
