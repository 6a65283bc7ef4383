package dev.moodtag.cli;

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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model pack that does not load stops a command at once with one line saying why, exit code 1 (README: "a missing
 * file or checksum mismatch refuses to start with a message naming the file"). Found following the README with
 * {@code MOODTAG_PACK_MANIFEST} pointing at a pack that is not there: {@code embed} printed a 60-line
 * {@code InitializationException} stack trace, and {@code tag} tried every file of the batch, logging a stack trace
 * for each and reporting each as failed.
 */
@QuarkusMainTest
@TestProfile(BrokenPackCommandTest.Profile.class)
@Tag("quarkus")
class BrokenPackCommandTest {

    static final Path ROOT = Path.of("target", "broken-pack-command").toAbsolutePath();
    static final String PACK = ROOT.resolve("no-pack/pack.json").toString();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Results under a prefix, so that a file can stand where their folder should be (the tests run as root)
            return Map.of("moodtag.pack.manifest", PACK, "moodtag.onnx.device", "cpu",
                    "moodtag.function.result.prefix", "results/");
        }
    }

    private static void saysWhyInOneLine(LaunchResult run, String command) {
        String err = run.getErrorOutput(), all = run.getOutput() + err;
        assertEquals(1, run.exitCode(), all);
        // in words: the folder named is missing
        String said = "moodtag " + command + ": model pack manifest " + PACK + " cannot be read: no such folder: "
                + ROOT.resolve("no-pack");
        assertEquals(1, err.lines().filter(l -> l.startsWith(said)).count(), all);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + all);
    }

    @Test
    void embedSaysWhyInOneLine(QuarkusMainLauncher launcher) {
        saysWhyInOneLine(launcher.launch("embed", Fixtures.sample("03b01Wa.wav").toString()), "embed");
    }

    @Test
    void tagStopsBeforeTheFirstFile(QuarkusMainLauncher launcher) throws IOException {
        Path media = ROOT.resolve("media");
        Files.createDirectories(media);
        Files.copy(Fixtures.sample("03b01Wa.wav"), media.resolve("03b01Wa.wav"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Fixtures.sample("Cole_Chapman_0001.jpg"), media.resolve("Cole_Chapman_0001.jpg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        LaunchResult run = launcher.launch("tag", media.toString(), "--out", ROOT.resolve("out").toString());
        saysWhyInOneLine(run, "tag");
        assertFalse(run.getOutput().contains("failures:"), "no file was tried: " + run.getOutput());
        try (var files = Files.list(media)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".emotion.json")), "no result written");
        }
    }

    /**
     * A pack whose manifest is missing is said before the inputs are listed (its manifest read and its files looked up
     * take milliseconds; a listing of a large folder or an S3 prefix minutes), so it comes before the refusal of a batch
     * whose results can go nowhere, which needs the listing. Before, the listing came first: here the answer was that
     * refusal (exit code 2), and with a missing pack over a folder of 200,000 files the pack was said 7.4 s after the
     * command, now 2.7 s. That the refusal still comes before the models load, with a pack that loads, is
     * TagUnwritableResultsTest's.
     */
    @Test
    void tagSaysAMissingPackBeforeListingItsInputs(QuarkusMainLauncher launcher) throws IOException {
        Path media = ROOT.resolve("nowhere");
        Files.createDirectories(media);
        Files.copy(Fixtures.sample("03b01Wa.wav"), media.resolve("03b01Wa.wav"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(media.resolve("results"), "a file where the results' folder should be");
        LaunchResult run = launcher.launch("tag", media.toString(), "--out", ROOT.resolve("nowhere-out").toString());
        saysWhyInOneLine(run, "tag");
        assertFalse((run.getOutput() + run.getErrorOutput()).contains("no result can be written"), run.getErrorOutput());
    }

    @Test
    void statusSaysWhyInOneLine(QuarkusMainLauncher launcher) throws IOException {
        Path media = ROOT.resolve("status");
        Files.createDirectories(media);
        Files.copy(Fixtures.sample("03b01Wa.wav"), media.resolve("03b01Wa.wav"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        saysWhyInOneLine(launcher.launch("status", media.toString(), "--out", ROOT.resolve("status-out").toString()), "status");
    }
}
