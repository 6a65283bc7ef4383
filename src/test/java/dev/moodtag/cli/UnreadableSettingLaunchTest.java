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

/**
 * Settings SmallRye cannot convert stop a command, and the function, in one line in words naming each key, what it
 * must be and the value, exit code 1, where Quarkus printed "Configuration validation failed:" and SmallRye's
 * "java.lang.IllegalArgumentException: SRCFG00039: …" over two lines. The values come from the profile as they would
 * from the environment. A boolean setting that is not true or false is one of them, where it was read as false.
 */
@QuarkusMainTest
@TestProfile(UnreadableSettingLaunchTest.Profile.class)
@Tag("quarkus")
class UnreadableSettingLaunchTest {

    static final Path MEDIA = Path.of("target", "unreadable-setting").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.publish.rate", "abc", "moodtag.media.max-duration", "ten minutes",
                    "moodtag.train.select-by", "best", "moodtag.transcribe.enabled", "ture", "moodtag.onnx.device", "cpu");
        }
    }

    /** In the order of their keys, for tag and serve alike (they named them in different orders). */
    private static final List<String> SAID = List.of(
            "moodtag.media.max-duration must be a duration in ISO-8601 (PT10S, PT30M, PT24H, P7D) or a number of seconds, "
                    + "not 'ten minutes'",
            "moodtag.publish.rate must be a number (such as 0.5 or 1e-3), not 'abc'",
            "moodtag.train.select-by must be one of ua, wa, macro-f1 or weighted-f1, not 'best'",
            "moodtag.transcribe.enabled must be true or false, not 'ture'");

    @Test
    void tagAndServeSayEachSettingInOneLine(QuarkusMainLauncher launcher) throws IOException {
        Path media = FileTrees.recreate(MEDIA);
        Files.copy(Fixtures.sample("03a05Fc.wav"), media.resolve("03a05Fc.wav"), StandardCopyOption.REPLACE_EXISTING);
        for (List<String> args : List.of(List.of("tag", media.toString(), "--out", media.resolve("out").toString()),
                List.of("serve", "--exit-when-ready"))) {
            LaunchResult run = launcher.launch(args.toArray(String[]::new));
            String err = run.getErrorOutput(), all = run.getOutput() + err;
            assertEquals(1, run.exitCode(), all);
            String prefix = "moodtag " + args.get(0) + ": " + (args.get(0).equals("serve") ? "not ready: " : "");
            assertEquals(1, err.lines().filter(l -> l.equals(prefix + String.join("; ", SAID))).count(), all);
            assertFalse(all.contains("SRCFG") || all.contains("Exception") || all.contains("Configuration validation failed")
                    || all.contains("\tat "), all);
        }
        try (var files = Files.walk(media)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".json")), "no result written");
        }
    }
}
