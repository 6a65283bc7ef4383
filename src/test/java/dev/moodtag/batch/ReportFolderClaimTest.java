package dev.moodtag.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * A run that made its folder and wrote nothing into it takes it away again, with the folders it made above it;
     * a folder that was there, or that holds anything but the lock, stays.
     */
    @Test
    void aFolderARunMadeAndLeftUnusedIsTakenAway(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("a").resolve("b").resolve("c");
        Path made = ReportFolder.firstMissing(out).orElseThrow();
        assertEquals(tmp.resolve("a"), made);
        Path dir = ReportFolder.prepare(out);
        try (ReportFolder.Claim claim = ReportFolder.claim(dir)) {
            ReportFolder.removeIfUnused(dir, made);
        }
        assertFalse(Files.exists(tmp.resolve("a")), "the folders the run made are gone");

        assertEquals(java.util.Optional.empty(), ReportFolder.firstMissing(tmp), "a folder that is there");
        dir = ReportFolder.prepare(out);
        Files.writeString(dir.resolve("index.jsonl"), "{}\n");
        try (ReportFolder.Claim claim = ReportFolder.claim(dir)) {
            ReportFolder.removeIfUnused(dir, made);
        }
        assertTrue(Files.exists(dir.resolve("index.jsonl")), "a folder with a file in it stays");
        Files.delete(dir.resolve("index.jsonl"));
        Files.createDirectories(tmp.resolve("a").resolve("b").resolve("other"));
        try (ReportFolder.Claim claim = ReportFolder.claim(dir)) {
            ReportFolder.removeIfUnused(dir, made);
        }
        assertFalse(Files.exists(dir), "the run's own folder goes");
        assertTrue(Files.isDirectory(tmp.resolve("a").resolve("b").resolve("other")), "what else is above it stays");
    }
}
