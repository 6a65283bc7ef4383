package dev.moodtag.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A FIFO where a key has a folder (an event, a watched inbox or a manifest naming {@code pipe/x.wav}, with {@code pipe}
 * a FIFO) is no folder (found by a review: Java opens a folder below an open one without O_DIRECTORY, so the walk
 * waited on the FIFO for a writer, forever, holding the function's slot).
 */
class FifoFolderTest {

    @Test
    void aFifoWhereAFolderShouldBeIsNoFolderNotWaitedOn(@TempDir Path root) throws Exception {
        Path pipe = root.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor());
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef media = new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), "pipe/x.wav");
        try {
            assertEquals("Optional.empty", within(() -> String.valueOf(store.stat(media)), pipe));
            String read = within(() -> failure(() -> store.read(media, (in, n) -> "read")), pipe);
            assertTrue(read.contains("NOT_FOUND"), read);
            String written = within(() -> failure(() -> {
                store.writeAtomically(media.sibling("x.wav.emotion.json"), new byte[]{'{', '}'}, "application/json");
                return "written";
            }), pipe);
            assertTrue(written.startsWith("StorageException") && !written.contains("UNAVAILABLE"), written);
        } finally {
            Files.deleteIfExists(pipe);
        }
    }

    private static String failure(Supplier<String> action) {
        try {
            return action.get();
        } catch (StorageException e) {
            return "StorageException " + e.kind() + ": " + e.getMessage();
        }
    }

    /** The action's answer; a hang detector, not a timing: each takes milliseconds unless it waits on the FIFO. */
    private static String within(Supplier<String> action, Path fifo) throws Exception {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(action);
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            try (var out = Files.newOutputStream(fifo)) { // let the stuck open return
                out.flush();
            } catch (IOException ignored) {
                // released already
            }
            return fail("waits on the FIFO where a folder should be");
        }
    }
}
