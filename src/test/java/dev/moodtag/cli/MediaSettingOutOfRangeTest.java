package dev.moodtag.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

/**
 * A media setting out of its range stops {@code moodtag tag} at start as a timeline setting does
 * ({@link SettingOutOfRangeTest}): the decoder checked its settings when it was built, but as a proxied bean it was
 * built at the first object, so {@code moodtag.media.max-frames=0} wrote an {@code internal} error result for every
 * object.
 */
@QuarkusMainTest
@TestProfile(MediaSettingOutOfRangeTest.Profile.class)
@Tag("quarkus")
class MediaSettingOutOfRangeTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.media.max-frames", "0", "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void tagRefusesAtStartNamingTheSetting(QuarkusMainLauncher launcher) throws IOException {
        SettingOutOfRangeTest.tagRefusesAtStart(launcher, "moodtag.media.max-frames", "at least 1", "0");
    }
}
