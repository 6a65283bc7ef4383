package dev.moodtag.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag dataset NAME} and {@code moodtag train --dataset NAME} read the shared data folder ({@code --data},
 * {@code moodtag.train.data-dir}, by default {@code ../shared/data} from the working folder). Found following the
 * README: run from another folder, or with a wrong {@code --data}, both ended in an {@code UncheckedIOException}'s
 * stack trace ("reading ../shared/data/emodb/manifest.csv") with exit code 1, where a missing input is one line
 * and exit code 2.
 */
class DatasetAdapterDataFolderTest {

    @Test
    void aDataFolderThatIsNotThereIsSaidPlainly(@TempDir Path dir) {
        Path gone = dir.resolve("not-here");
        for (DatasetAdapter a : DatasetAdapter.ALL) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DatasetAdapter.writeManifest(a, gone, dir.resolve("out").resolve(a.name() + ".csv")), a.name());
            assertEquals("the shared data folder " + gone + " does not exist (" + gone.toAbsolutePath().normalize()
                    + "): set moodtag.train.data-dir (MOODTAG_TRAIN_DATA_DIR), or give moodtag dataset --data DIR", e.getMessage(), a.name());
        }
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void aDatasetMissingFromTheDataFolderNamesTheFileItLookedFor(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        for (DatasetAdapter a : DatasetAdapter.ALL) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DatasetAdapter.writeManifest(a, data, dir.resolve("out").resolve(a.name() + ".csv")), a.name());
            assertTrue(e.getMessage().startsWith("dataset " + a.name() + ": " + data + "/")
                    && e.getMessage().contains(" does not exist; is " + data + " (" + data.toAbsolutePath().normalize()
                    + ") the shared data folder (--data, moodtag.train.data-dir)?"), a.name() + ": " + e.getMessage());
        }
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        IllegalArgumentException notFolder = assertThrows(IllegalArgumentException.class,
                () -> DatasetAdapter.writeManifest(DatasetAdapter.named("emodb"), file, dir.resolve("emodb.csv")));
        assertTrue(notFolder.getMessage().startsWith("the shared data folder " + file + " is not a folder"), notFolder.getMessage());
    }
}
