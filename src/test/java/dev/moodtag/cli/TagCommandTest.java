package dev.moodtag.cli;

import dev.moodtag.function.FileTrees;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code moodtag tag} end to end through picocli, Quarkus, FFmpeg and the default pack. */
@QuarkusMainTest
@Tag("quarkus")
class TagCommandTest {

    @Test
    void aFolderWithAReadmeExitsZeroListingItAsIgnoredAndARelativeOutWithDotDotIsUsed(QuarkusMainLauncher launcher)
            throws Exception {
        Path work = Path.of("target", "tag-command").toAbsolutePath();
        FileTrees.deleteQuietly(work);
        Path dir = Files.createDirectories(work.resolve("samples"));
        Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve("03b01Wa.wav"));
        Files.writeString(dir.resolve("README.md"), "# samples\n");
        // As typed by a user: relative, through "..".
        String out = Path.of("").toAbsolutePath().relativize(work) + "/samples/../report";
        assertTrue(out.contains(".."), out);

        LaunchResult r = launcher.launch("tag", dir.toString(), "--out", out);
        String text = r.getOutput() + r.getErrorOutput();
        assertEquals(0, r.exitCode(), "every media file got its result: " + text);
        assertTrue(text.contains("failures: 0"), text);
        assertTrue(text.contains("ignored (not media or filtered out; not failures): 1"), text);
        assertTrue(text.matches("(?s).*\\n  README\\.md: not a media file name.*"), text);
        Path report = work.resolve("report");
        List<String> index = Files.readAllLines(report.resolve("index.jsonl"));
        assertEquals(2, index.size(), index.toString());
        assertTrue(Files.readString(report.resolve("report.html")).contains("<h2>Ignored</h2>"));
    }

    /**
     * File names (and the reasons that quote them) are escaped on the console as in the log: a name with a line break
     * forged summary lines ("failures: 0"), and an ESC sequence in one reached the terminal (found by a review).
     */
    @Test
    void controlCharactersInFileNamesDoNotReachTheConsole(QuarkusMainLauncher launcher) throws Exception {
        Path work = Path.of("target", "tag-command-names").toAbsolutePath();
        FileTrees.deleteQuietly(work);
        Path dir = Files.createDirectories(work.resolve("samples"));
        Files.writeString(dir.resolve("x\nfailures: 0\n.md"), "not media");
        Files.writeString(dir.resolve("y\u001b[2J\r.wav"), "%PDF-1.4 not a recording");

        LaunchResult r = launcher.launch("tag", dir.toString(), "--out", work.resolve("report").toString());
        // The summary and the progress lines. Log lines are the log filter's to escape, and a launch in a test captures
        // them without it (the packaged command's are escaped, its MDC's object URI too).
        String text = java.util.Arrays.stream((r.getOutput() + "\n" + r.getErrorOutput()).split("\n"))
                .filter(l -> !l.matches("(?s)\\d\\d:\\d\\d:\\d\\d [A-Z]+ .*")).collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(1, r.exitCode(), text);
        assertTrue(text.contains("tag 2/2 files"), text);
        assertTrue(text.chars().noneMatch(c -> c != '\n' && Character.isISOControl(c)), "raw control characters: " + text);
        assertEquals(List.of("failures: 1"), text.lines().filter(l -> l.startsWith("failures: ")).toList(), text);
        assertTrue(text.contains("  x\\nfailures: 0\\n.md: not a media file name"), text);
        assertTrue(text.contains("  y\\u001b[2J\\r.wav: processed: unsupported: "), text);
    }
}
