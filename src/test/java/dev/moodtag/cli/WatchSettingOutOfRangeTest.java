package dev.moodtag.cli;

import dev.moodtag.function.FileTrees;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code moodtag.watch.*} waits out of range stop {@code moodtag watch} before it watches, all of them in one line
 * naming each key, its range and its value, exit code 1 as for every setting: the first alone was refused as a refused
 * input (exit code 2), the others unsaid until it was corrected.
 */
@QuarkusMainTest
@TestProfile(WatchSettingOutOfRangeTest.Profile.class)
@Tag("quarkus")
class WatchSettingOutOfRangeTest {

    static final Path INBOX = Path.of("target", "watch-setting-out-of-range").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.watch.settle", "-PT1S", "moodtag.watch.error-settle", "P99999D",
                    "moodtag.watch.rescan", "PT0S", "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void watchRefusesEveryWaitOutOfRangeBeforeWatching(QuarkusMainLauncher launcher) throws IOException {
        Path inbox = FileTrees.recreate(INBOX);
        LaunchResult run = launcher.launch("watch", inbox.toString());
        String err = run.getErrorOutput(), all = run.getOutput() + err;
        assertEquals(1, run.exitCode(), all);
        assertEquals(1, err.lines().filter(l -> l.startsWith("moodtag watch: moodtag.watch.")
                && l.contains("moodtag.watch.rescan must be within PT1S..PT168H, not PT0S")
                && l.contains("moodtag.watch.settle must be within PT0S..PT168H, not PT-1S")
                && l.contains("moodtag.watch.error-settle must be within PT0S..PT168H, not PT2399976H")).count(), all);
        assertFalse(all.contains("watching ") || all.contains("\tat "), all);
    }
}
