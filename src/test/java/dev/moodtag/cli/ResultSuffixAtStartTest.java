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
 * A result suffix that ends with a media extension stops {@code moodtag tag} before its first object, naming the key,
 * as other settings out of range do. Before, the batch ran: every .wav in the folder was "ignored" as a moodtag result,
 * exit code 0, and the result of a .mp4 was written as a .wav that the next run took for one.
 */
@QuarkusMainTest
@TestProfile(ResultSuffixAtStartTest.Profile.class)
@Tag("quarkus")
class ResultSuffixAtStartTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.function.result.suffix", ".emotion.wav", "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void tagRefusesAtStartNamingTheKeyAndWritesNothing(QuarkusMainLauncher launcher) throws IOException {
        SettingOutOfRangeTest.tagRefusesAtStart(launcher, "moodtag.function.result.suffix",
                "must not end with a media extension (.wav)", "'.emotion.wav'");
    }
}
