package dev.moodtag.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code moodtag bench} through Quarkus and picocli, on a file it cannot decode. */
@QuarkusMainTest
@Tag("quarkus")
class BenchInputTest {

    /**
     * A FILE that is there but is not media is an input bench cannot use: one line and exit code 2, as the README
     * promises. Before, the pack loaded and the first pass ended in a MediaException's stack trace, exit 1.
     */
    @Test
    void aFileThatIsNotMediaIsOneLineAndExitCodeTwo(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "bench-input"));
        Path notMedia = Files.writeString(dir.resolve("a.wav"), "x");
        LaunchResult result = launcher.launch("bench", notMedia.toString(), "--runs", "1", "--warmup", "0",
                "--concurrency", "1");
        String all = result.getOutput() + result.getErrorOutput();
        assertEquals(2, result.exitCode(), all);
        assertTrue(result.getErrorOutput().contains("moodtag bench: a.wav: ") && result.getErrorOutput().contains("(unsupported; "),
                result.getErrorOutput());
        assertFalse(all.contains("\tat ") || all.contains("MediaException"), "no stack trace: " + all);
    }
}
