package dev.moodtag.batch;

import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.testing.EscapedNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code moodtag tag} manifest row that is a {@code file://} URI names the file its escapes spell as UTF-8, or the
 * manifest is refused naming the row's line. Java decodes bytes that are not UTF-8 as U+FFFD, so the row
 * "file:///dir/caf%E9.wav" named the file "caf�.wav", another file than its writer's, and tagged it where it was there
 * (found by the grid of FileUriFuzzTest's names, run through a manifest).
 */
class BatchManifestFileUriTest {

    @Test
    void everyFileUriRowNamesTheFileItsEscapesSpellOrIsRefusedWithItsLine(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in")).toRealPath();
        // what a name that is no UTF-8 was read as: it must not be tagged in its place
        Files.writeString(dir.resolve("caf\uFFFD.wav"), "decoy");
        Files.writeString(dir.resolve("a\uFFFD.wav"), "decoy");
        BatchSources sources = new BatchSources(new S3ObjectStorage(List.of("media"), Optional.empty(), () -> {
            throw new AssertionError("no S3 call expected");
        }));
        List<String> wrong = new ArrayList<>();
        List<String> names = EscapedNames.names(20261210, 300);
        int named = 0, refused = 0;
        for (int i = 0; i < names.size(); i++) {
            String row = "file://" + dir + "/" + names.get(i);
            String meant = EscapedNames.spelled(dir + "/" + names.get(i));
            Path manifest = Files.writeString(tmp.resolve("list" + i + ".csv"), "path\n# first\n\"" + row + "\"\n");
            try {
                List<BatchItem> items = sources.resolve(manifest.toString(), ".emotion.json");
                named++;
                Path read = Path.of(items.get(0).ref().container(), items.get(0).ref().key());
                if (meant == null) wrong.add(row + " names " + read + ", though its escapes are no UTF-8 name");
                else if (!read.equals(Path.of(meant).normalize())) wrong.add(row + " names " + read + ", not " + meant);
            } catch (IllegalArgumentException e) {
                refused++;
                if (meant != null && meant.indexOf('\0') < 0) wrong.add(row + " refused: " + e.getMessage());
                else if (!e.getMessage().contains(manifest.getFileName() + " line 3")) wrong.add(row + " refused: " + e.getMessage());
            } catch (RuntimeException e) {
                wrong.add(row + ": " + e);
            }
        }
        assertEquals(List.of(), wrong.stream().limit(15).toList(), wrong.size() + " of " + names.size() + " wrong");
        assertTrue(named > 50 && refused > 50, named + " named, " + refused + " refused");
    }
}
