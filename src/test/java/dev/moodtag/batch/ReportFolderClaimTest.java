package dev.moodtag.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two runs writing into one report folder both tagged what neither had finished (4 files of 7 twice) and the last to
 * end wrote the index: the second is refused before it does anything, and the folder is free again once a run ends.
 */
class ReportFolderClaimTest {

    @Test
    void aFolderHeldByOneRunIsRefusedToAnotherUntilItEnds(@TempDir Path tmp) throws Exception {
        Path dir = ReportFolder.prepare(tmp.resolve("out"));
        try (ReportFolder.Claim first = ReportFolder.claim(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportFolder.claim(dir));
            assertTrue(e.getMessage().contains("is being written by another moodtag run"), e.getMessage());
        }
        ReportFolder.claim(dir).close(); // free again
        // a lock on the same file taken outside a claim (another process takes it the same way)
        try (FileChannel ch = FileChannel.open(dir.resolve(ReportFolder.LOCK), StandardOpenOption.WRITE);
             FileLock other = ch.lock()) {
            assertThrows(IllegalArgumentException.class, () -> ReportFolder.claim(dir));
        }
        ReportFolder.claim(dir).close();
    }
}
