package dev.moodtag.tagging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a killed moodtag process left in the temporary folder is removed by the next one, and nothing else is. */
class ScratchSpaceTest {

    @TempDir
    Path root;

    @Test
    void removesWhatDeadOrReplacedProcessesLeftAndKeepsTheRest() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        long self = ProcessHandle.current().pid();

        Path killedMidCopy = Files.createDirectories(root.resolve("moodtag-" + deadPid + "-123"));
        Files.write(killedMidCopy.resolve("interview.mp4"), new byte[1024]);
        Path killedResult = Files.write(root.resolve("moodtag-" + deadPid + "-456.json"), new byte[10]);
        // Same pid as this process but written before it started: a restarted container reusing its pid.
        Path previousIncarnation = Files.createDirectories(root.resolve("moodtag-" + self + "-789"));
        Files.setLastModifiedTime(previousIncarnation, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        ScratchSpace scratch = new ScratchSpace(root);
        Path live = scratch.newFolder("file:///media/interview.mp4");
        Path liveFile = scratch.newFile(".json", "the batch's speech");
        Path oldStyle = Files.createDirectories(root.resolve("moodtag-5551234567"));
        Path someoneElses = Files.createDirectories(root.resolve("other-tool-" + deadPid + "-1"));

        assertEquals(3, scratch.sweep());
        assertFalse(Files.exists(killedMidCopy));
        assertFalse(Files.exists(killedResult));
        assertFalse(Files.exists(previousIncarnation));
        assertTrue(Files.isDirectory(live), "this process's own work in progress is kept");
        assertTrue(Files.exists(liveFile));
        assertTrue(Files.isDirectory(oldStyle), "names this class did not make are not touched");
        assertTrue(Files.isDirectory(someoneElses));
        assertEquals(0, scratch.sweep(), "a second sweep finds nothing");
    }

    /**
     * A file of the scratch folder names what it was for where the folder cannot take it, as a folder for an object's
     * copies does: the batch's speech file named only the folder.
     */
    @Test
    void aFileTheFolderCannotTakeNamesWhatItWasFor() throws IOException {
        Path file = Files.writeString(root.resolve("a-file"), "x");
        for (Path folder : java.util.List.of(root.resolve("gone"), file)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.moodtag.storage.StorageException.class,
                    () -> new ScratchSpace(folder).newFile(".batch-speech", "the batch's speech"));
            String state = folder.equals(file) ? " is not a folder" : " does not exist";
            assertTrue(e.getMessage().startsWith("the batch's speech not copied: temporary folder " + folder + state),
                    e.getMessage());
            assertEquals(dev.moodtag.storage.StorageException.Kind.UNAVAILABLE, e.kind(), "the deployment's, not the batch's");
        }
    }
}
