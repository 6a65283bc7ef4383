package dev.moodtag.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings out of range that were found late or loudly, in one profile so that one start checks them all. With
 * {@code moodtag.function.max-concurrent=0} the function did not start at all: the concurrency limit threw while
 * Vert.x set up HTTP, and Quarkus printed its stack trace where the other start refusals give one line.
 */
@QuarkusMainTest
@TestProfile(FunctionSettingOutOfRangeTest.Profile.class)
@Tag("quarkus")
public class FunctionSettingOutOfRangeTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.function.max-concurrent", "0", "moodtag.onnx.device", "cpu",
                    "moodtag.onnx.optimization-level", "bogus");
        }
    }

    @Test
    void serveIsNotReadyInOneLineNamingTheSetting(QuarkusMainLauncher launcher) {
        LaunchResult run = launcher.launch("serve", "--exit-when-ready");
        String err = run.getErrorOutput(), all = run.getOutput() + err;
        assertEquals(1, run.exitCode(), all);
        assertEquals(1, err.lines().filter(l -> l.startsWith("moodtag serve: not ready: moodtag.function.max-concurrent")
                && l.contains("at least 1") && l.endsWith("not 0")).count(), all);
        assertFalse(all.contains("\tat "), "no stack trace: " + all);
        // the log names it as what it is, where it said "model pack failed to load" whatever the cause
        assertTrue(run.getOutput().contains("setting out of range: moodtag.function.max-concurrent"), all);
        assertFalse(all.contains("model pack failed to load"), all);
    }

    /**
     * An unknown ONNX Runtime optimisation level is a setting out of range like any other (exit code 1, as README
     * gives a setting outside its range), where it was answered as a refused input or option, with exit code 2.
     */
    @Test
    void anUnknownOptimisationLevelStopsTagWithExitCodeOne(QuarkusMainLauncher launcher) throws IOException {
        SettingOutOfRangeTest.tagRefusesAtStart(launcher, "moodtag.onnx.optimization-level", "none, basic, extended or all",
                "'bogus'");
    }
}
