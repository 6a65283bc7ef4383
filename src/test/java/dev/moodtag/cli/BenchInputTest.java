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

/** {@code moodtag bench} and {@code bench-embed} through Quarkus and picocli, on a file they cannot decode. */
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
    /**
     * bench-embed as bench: a file among its inputs that cannot be decoded is refused in one line naming it, exit code
     * 2, before any figure. Before, the files ahead of it were benchmarked and printed, then a MediaException's stack
     * trace, exit code 1. Generated bad inputs beside a good picture: random bytes, empty, text, a RIFF header alone.
     */
    @Test
    void benchEmbedRefusesAFileItCannotDecodeInOneLineBeforeAnyFigure(QuarkusMainLauncher launcher) throws Exception {
        byte[] noise = new byte[3000];
        new java.util.Random(11).nextBytes(noise);
        java.util.Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("noise.mp4", noise);
        bad.put("empty.wav", new byte[0]);
        bad.put("text.ogg", "not audio at all\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bad.put("header.wav", java.util.Arrays.copyOf(Files.readAllBytes(dev.moodtag.testing.Fixtures.sample("03b01Wa.wav")), 44));
        for (java.util.Map.Entry<String, byte[]> e : bad.entrySet()) {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench-input")), "embed");
            Files.copy(dev.moodtag.testing.Fixtures.sample("Cole_Chapman_0001.jpg"), dir.resolve("a-good.jpg"));
            Files.write(dir.resolve(e.getKey()), e.getValue());
            LaunchResult result = launcher.launch("bench-embed", dir.toString(), "--runs", "1", "--warmup", "0");
            String all = result.getOutput() + result.getErrorOutput();
            assertEquals(2, result.exitCode(), e.getKey() + ": " + all);
            assertTrue(result.getErrorOutput().contains("moodtag bench-embed: " + e.getKey() + ": "), e.getKey() + ": " + all);
            assertFalse(all.contains("\tat ") || all.contains("MediaException"), "no stack trace: " + all);
            assertFalse(result.getOutput().contains("a-good.jpg"), "refused before any figure: " + all);
        }
    }
}
