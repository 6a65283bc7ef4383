package dev.moodtag.storage;

import dev.moodtag.testing.SmallDisks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: full, tiny and read-only folders on real (tmpfs) file systems. A problem retrying cannot fix is never
 * UNAVAILABLE, one that can pass always is, and the reason names the folder at fault instead of "cannot read".
 */
class LocalFailuresTest {

    private static final long MB = 1L << 20;

    @TempDir
    Path tmp;

    @RegisterExtension
    final SmallDisks disks = new SmallDisks();

    private Path tmpfs(String name, long bytes) {
        Path dir = tmp.resolve(name);
        disks.mount(dir, bytes);
        return dir;
    }

    private static byte[] random(long bytes, long seed) {
        byte[] b = new byte[(int) bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void anObjectLargerThanTheTemporaryFolderCanEverHoldIsAPermanentFailureAndLeavesNothing() throws Exception {
        Path scratch = tmpfs("scratch", MB);
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        // Around the capacity, where it is too small, and far above: every one refused before a byte is written.
        for (long size : new long[]{MB + 1, MB + 64 * 1024, 2 * MB, 7 * MB}) {
            Files.write(root.resolve("big.wav"), random(size, size));
            StorageException e = assertThrows(StorageException.class,
                    () -> store.copyTo(store.refFor(root.resolve("big.wav")), scratch.resolve("copy"), 512 * MB));
            assertEquals(StorageException.Kind.FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("can ever hold") && e.getMessage().contains(scratch.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("cannot read"), e.getMessage());
            assertEmpty(scratch);
        }
    }

    @Test
    void aFullTemporaryFolderIsRetryableSaysSoAndPassesOnceThereIsRoom() throws Exception {
        Path scratch = tmpfs("scratch", 4 * MB);
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef media = store.refFor(Files.write(root.resolve("clip.wav"), random(MB, 1)));
        Path filler = Files.write(scratch.resolve("someone-elses"), random(3 * MB + 512 * 1024, 2));
        StorageException e = assertThrows(StorageException.class, () -> store.copyTo(media, scratch.resolve("copy"), 512 * MB));
        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("is full") && e.getMessage().contains(scratch.toString()), e.getMessage());
        assertFalse(Files.exists(scratch.resolve("copy")));
        Files.delete(filler);
        assertEquals(MB, store.copyTo(media, scratch.resolve("copy"), 512 * MB).bytes(), "transient: passes once there is room");
    }

    @Test
    void aFolderThatFillsUpDuringTheCopyIsRetryableToo() throws Exception {
        // The size is unknown up front (a stream without length), so the copy runs into ENOSPC itself.
        Path scratch = tmpfs("scratch", 2 * MB);
        Files.write(scratch.resolve("someone-elses"), random(MB + 512 * 1024, 3));
        StorageException e = assertThrows(StorageException.class, () -> BoundedCopy.copy(
                new java.io.ByteArrayInputStream(random(MB, 4)), -1, scratch.resolve("copy"), 512 * MB, "s3://b/k"));
        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("is full"), e.getMessage());
        assertFalse(Files.exists(scratch.resolve("copy")), "the partial copy is removed");
    }

    @Test
    void aReadOnlyResultFolderIsAPermanentFailureThatSaysReadOnly() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path folder = tmpfs("root/mounted", MB);
        Files.writeString(folder.resolve("clip.wav"), "media");
        SmallDisks.readOnly(folder);
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        for (String key : List.of("mounted/clip.wav.emotion.json", "mounted/new/deeper/clip.wav.emotion.json")) {
            StorageException e = assertThrows(StorageException.class, () -> store.writeAtomically(
                    store.refFor(root.resolve(key)), "{}".getBytes(StandardCharsets.UTF_8), "application/json"));
            assertEquals(StorageException.Kind.FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("read-only file system"), e.getMessage());
        }
        // Reading from it is fine.
        assertEquals(5, store.copyTo(store.refFor(folder.resolve("clip.wav")), tmp.resolve("copy"), MB).bytes());
    }

    private static void assertEmpty(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }
}
