package dev.moodtag.cli;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tagging setting out of its range stops {@code moodtag tag} before its first object, as a pack that does not load
 * does, and the function is never ready. Found with {@code MOODTAG_TIMELINE_RECORDING_MIN_SEGMENTS=1}: the timeline
 * tagger, which checks its settings, was a proxied bean created at the first object, so the batch started and wrote
 * an {@code internal} error result for every object, which later runs skipped even once the setting was fixed.
 */
@QuarkusMainTest
@TestProfile(SettingOutOfRangeTest.Profile.class)
@Tag("quarkus")
class SettingOutOfRangeTest {

    static final Path ROOT = Path.of("target", "setting-out-of-range").toAbsolutePath();
    static final String SETTING = "moodtag.timeline.recording-min-segments";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(SETTING, "1", "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void tagRefusesAtStartNamingTheSettingAndWritesNothing(QuarkusMainLauncher launcher) throws IOException {
        tagRefusesAtStart(launcher, SETTING, "at least 2", "1");
    }

    /**
     * {@code moodtag tag} over a folder holding one clip stops in one line that starts with {@code setting}, says
     * {@code range} and ends with the {@code bad} value, exit code 1, with no stack trace and no result written.
     */
    static void tagRefusesAtStart(QuarkusMainLauncher launcher, String setting, String range, String bad) throws IOException {
        Path media = FileTrees.recreate(ROOT.resolve("media"));
        Files.copy(Fixtures.sample("03a05Fc.wav"), media.resolve("03a05Fc.wav"), StandardCopyOption.REPLACE_EXISTING);
        LaunchResult run = launcher.launch("tag", media.toString(), "--out", ROOT.resolve("out").toString());
        String err = run.getErrorOutput(), all = run.getOutput() + err;
        assertEquals(1, run.exitCode(), all);
        assertEquals(1, err.lines().filter(l -> l.startsWith("moodtag tag: " + setting) && l.contains(range)
                && l.endsWith("not " + bad)).count(), all);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + all);
        assertFalse(run.getOutput().contains("failures:"), "no object was tried: " + all);
        try (var files = Files.list(media)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".emotion.json")), "no result written");
        }
    }

    /**
     * {@code moodtag watch} refuses the same setting as {@code tag} does, exit code 1, where it caught every
     * IllegalArgumentException as a folder it could not use and exited 2 (after loading the models).
     */
    @Test
    void watchRefusesAtStartWithExitCodeOneAndWritesNothing(QuarkusMainLauncher launcher) throws IOException {
        Path inbox = FileTrees.recreate(ROOT.resolve("inbox"));
        Files.copy(Fixtures.sample("03a05Fc.wav"), inbox.resolve("03a05Fc.wav"), StandardCopyOption.REPLACE_EXISTING);
        LaunchResult run = launcher.launch("watch", inbox.toString());
        String err = run.getErrorOutput(), all = run.getOutput() + err;
        assertEquals(1, run.exitCode(), all);
        assertEquals(1, err.lines().filter(l -> l.startsWith("moodtag watch: " + SETTING) && l.endsWith("not 1")).count(), all);
        assertFalse(err.contains("\tat "), "no stack trace: " + all);
        try (var files = Files.list(inbox)) {
            assertEquals(List.of(inbox.resolve("03a05Fc.wav")), files.toList(), "nothing written");
        }
    }

    @Test
    void theFunctionIsNeverReadyAndSaysWhich(QuarkusMainLauncher launcher) {
        LaunchResult run = launcher.launch("serve", "--exit-when-ready");
        String all = run.getOutput() + run.getErrorOutput();
        assertEquals(1, run.exitCode(), all);
        assertTrue(run.getErrorOutput().contains("moodtag serve: not ready: ") && all.contains(SETTING), all);
    }
}
