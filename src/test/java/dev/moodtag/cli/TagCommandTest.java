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
}
