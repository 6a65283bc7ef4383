package dev.moodtag.cli;

import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, end to end through Quarkus, picocli, FFmpeg and the real default pack. */
@QuarkusMainTest
@Tag("quarkus")
class EmbedCommandTest {

    @Test
    void embedsEveryShippedSampleWithEveryModalityItHas(QuarkusMainLauncher launcher) {
        Fixtures.shared("samples");
        LaunchResult result = launcher.launch("embed", Fixtures.SAMPLES.toString());
        String out = result.getOutput();
        assertEquals(0, result.exitCode(), out + result.getErrorOutput());
        assertTrue(out.contains("7 file(s), 0 failed"), out);
        // The mp4 has audio, video and a sidecar transcript: every modality embeds.
        String mp4 = section(out, "01-01-01-01-01-01-01.mp4");
        assertTrue(mp4.contains("transcript (01-01-01-01-01-01-01.txt)"), mp4);
        assertTrue(mp4.matches("(?s).*T text-bge-small\\s+384-d.*"), mp4);
        assertTrue(mp4.matches("(?s).*\\n  A .*-d.*"), mp4);
        assertTrue(mp4.matches("(?s).*\\n  V .*-d.*"), mp4);
        // A jpg is a one-frame video with no speech and no transcript.
        String jpg = section(out, "Cole_Chapman_0001.jpg");
        assertTrue(jpg.contains("1 frame"), jpg);
        assertTrue(jpg.matches("(?s).*\\n  A .*missing: .*"), jpg);
        assertTrue(jpg.matches("(?s).*\\n  T .*missing: .*"), jpg);
        // The shipped classifier gives every sample the true label its README states (4-class names). These files
        // are easy cases from corpora its parts were trained on: this checks the wiring, not accuracy.
        Map<String, String> truth = Map.of("01-01-01-01-01-01-01.mp4", "neutral", "03b01Wa.wav", "angry",
                "03a05Fc.wav", "happy", "03b09Tc.wav", "sad", "Cole_Chapman_0001.jpg", "happy",
                "John_Brady_0002.jpg", "angry", "Junichi_Inamoto_0001.jpg", "sad");
        truth.forEach((f, label) -> assertTrue(
                section(out, f).matches("(?s).*\\n  label: " + label + " \\(p [01]\\.\\d\\d\\).*"), section(out, f)));
        // Text votes: the mp4's sidecar transcript is one of the modalities behind its label.
        assertTrue(mp4.matches("(?s).*\\n  label: .*text \\w+ [01]\\.\\d\\d.*"), mp4);
        // Every line that ran a model names the provider that served it.
        assertTrue(out.contains(" cpu\n") || out.contains(" cuda\n"), out);
    }

    /**
     * A file named on the command line that is not there is an input the command cannot use: one line and exit code 2,
     * as every other command answers it (README), not a media error of a file that was tried (exit 1).
     */
    @Test
    @Launch(value = {"embed", "does-not-exist.wav"}, exitCode = 2)
    void aMissingFileIsRefusedInOneLineWithExitCodeTwo(LaunchResult result) {
        assertTrue(result.getErrorOutput().contains("moodtag embed: does-not-exist.wav does not exist ("),
                result.getErrorOutput());
        assertTrue(!result.getOutput().contains("model pack"), "refused before the pack is described: " + result.getOutput());
    }

    @Test
    void aCorruptFileDoesNotStopTheOthers(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "embed-mixed"));
        Files.write(dir.resolve("broken.mp4"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve("03b01Wa.wav"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        LaunchResult result = launcher.launch("embed", dir.toString());
        String out = result.getOutput();
        assertEquals(1, result.exitCode(), out);
        assertTrue(out.contains("2 file(s), 1 failed"), out);
        assertTrue(section(out, "broken.mp4").contains("error: "), out);
        assertTrue(section(out, "03b01Wa.wav").matches("(?s).*\\n  A .*-d.*"), out);
    }

    private static String section(String out, String file) {
        int at = out.indexOf("] " + file);
        assertTrue(at >= 0, "no section for " + file + " in\n" + out);
        int end = out.indexOf("\n[", at + 1);
        return out.substring(at, end < 0 ? out.length() : end);
    }
}
