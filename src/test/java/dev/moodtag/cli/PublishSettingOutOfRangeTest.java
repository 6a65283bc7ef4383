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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code moodtag.publish.*} settings out of range stop {@code moodtag tag --publish} before anything is sent, in one
 * line naming every one of them, exit code 1 as for every setting: they were refused one at a time as a refused input
 * (exit code 2), and a rate of NaN as "rate must be above 0 events/s", naming no setting. No server is needed: the
 * sink is a port nothing listens on, and a check made after sending would show as a failed publish.
 */
@QuarkusMainTest
@TestProfile(PublishSettingOutOfRangeTest.Profile.class)
@Tag("quarkus")
class PublishSettingOutOfRangeTest {

    static final Path MEDIA = Path.of("target", "publish-setting-out-of-range").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.publish.rate", "NaN", "moodtag.publish.max-attempts", "2147483647",
                    "moodtag.publish.retry-after-max", "-PT1S", "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void publishRefusesEverySettingBeforeSending(QuarkusMainLauncher launcher) throws IOException {
        Path media = FileTrees.recreate(MEDIA);
        Files.copy(Fixtures.sample("03a05Fc.wav"), media.resolve("03a05Fc.wav"), StandardCopyOption.REPLACE_EXISTING);
        LaunchResult run = launcher.launch("tag", "--publish", "http://127.0.0.1:1/", media.toString(),
                "--out", media.resolve("out").toString());
        String err = run.getErrorOutput(), all = run.getOutput() + err;
        assertEquals(1, run.exitCode(), all);
        assertEquals(1, err.lines().filter(l -> l.startsWith("moodtag tag: moodtag.publish.")
                && l.contains("moodtag.publish.rate must be above 0 events/s, not NaN")
                && l.contains("moodtag.publish.max-attempts must be within 1..100, not 2147483647")
                && l.contains("moodtag.publish.retry-after-max must not be negative, not PT-1S")).count(), all);
        assertFalse(all.contains("failed-to-publish") || all.contains("\tat "), all);
    }
}
