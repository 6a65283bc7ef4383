package dev.moodtag.cli;

import dev.moodtag.function.BrokenPackFunctionTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pack that does not load fails {@code serve --exit-when-ready} with exit code 1 and the reason: an image build stops. */
@QuarkusMainTest
@TestProfile(BrokenPackFunctionTest.Profile.class)
@Tag("quarkus")
class ServeExitWhenReadyBrokenPackTest {

    @Test
    void aPackThatDoesNotLoadExitsOneWithTheReason(QuarkusMainLauncher launcher) {
        LaunchResult run = launcher.launch("serve", "--exit-when-ready");
        String all = run.getOutput() + run.getErrorOutput();
        assertEquals(1, run.exitCode(), all);
        assertTrue(run.getErrorOutput().contains("moodtag serve: not ready: ") && all.contains("classifier"), all);
    }
}
