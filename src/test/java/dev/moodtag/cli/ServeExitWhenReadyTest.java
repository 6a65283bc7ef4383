package dev.moodtag.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code moodtag serve --exit-when-ready}: the start an image build trains its AOT cache on, then exit 0. */
@QuarkusMainTest
@TestProfile(ServeExitWhenReadyTest.SpeechPack.class)
@Tag("quarkus")
class ServeExitWhenReadyTest {

    public static class SpeechPack implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.pack.manifest", "src/test/resources/packs/speech.json", "moodtag.onnx.device", "cpu",
                    "quarkus.http.test-port", "0");
        }
    }

    @Test
    void startsAsServedThenExitsZeroOnceReady(QuarkusMainLauncher launcher) {
        LaunchResult run = launcher.launch("serve", "--exit-when-ready");
        String all = run.getOutput() + run.getErrorOutput();
        assertEquals(0, run.exitCode(), all);
        assertTrue(all.contains("models loaded in") && all.contains("moodtag serve: ready"), all);
    }
}
