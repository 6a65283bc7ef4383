package dev.moodtag.storage;

import dev.moodtag.testing.Utf8Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalObjectStorageTest {

    @TempDir
    Path tmp;

    @Test
    void confinesKeysToTheirRoot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.wav"), "x");
        Files.createSymbolicLink(root.resolve("link"), outside);
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef rootRef = store.refFor(root.resolve("a.wav"));
        for (String key : List.of("../outside/secret.wav", "a/../../outside/secret.wav", "/etc/passwd", "link/secret.wav")) {
            StorageException e = assertThrows(StorageException.class, () -> store.stat(rootRef.withKey(key)), key);
            assertEquals(StorageException.Kind.NOT_ALLOWED, e.kind(), key);
        }
        assertThrows(StorageException.class, () -> store.refFor(outside.resolve("secret.wav")));
        assertThrows(StorageException.class, () -> store.stat(new ObjectRef(ObjectRef.Scheme.FILE, outside.toString(), "secret.wav")));
    }

    /**
     * A folder or a FIFO at an object's name is said as every other place says it (support.NotARegularFile), naming
     * which of the two it is; both were "is not a regular file", where the model pack, the publish log and asr-eval's
     * statistics said "(a device, FIFO or socket)" and the manifest's media "(a FIFO, a device or a folder)".
     */
    @Test
    void aFolderOrFifoAtAnObjectsNameIsSaidInTheSharedWords() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root-r"));
        Files.createDirectories(root.resolve("folder.wav"));
        assertEquals(0, new ProcessBuilder("mkfifo", root.resolve("fifo.wav").toString()).start().waitFor());
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef base = store.refFor(root.resolve("a"));
        for (String key : List.of("folder.wav", "fifo.wav")) {
            ObjectRef ref = base.withKey(key);
            StorageException e = assertThrows(StorageException.class, () -> store.read(ref, (in, size) -> in.read()));
            assertEquals(ref.uri() + " is " + (key.startsWith("folder") ? dev.moodtag.support.NotARegularFile.FOLDER
                    : dev.moodtag.support.NotARegularFile.OTHER), e.getMessage());
            assertEquals(StorageException.Kind.NOT_FOUND, e.kind(), key);
        }
    }

    /**
     * A conditional delete removes only a regular file below its root that its reader accepts: a link (to a file inside
     * or outside) and a key through a link to a folder outside are refused, a folder and a missing file are left; the
     * reader is never called for any of them.
     */
    @Test
    void deletesOnlyARegularFileItsReaderAcceptsAndNothingThroughALink() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root-d"));
        Path outside = Files.createDirectories(tmp.resolve("outside-d"));
        Path secret = Files.writeString(outside.resolve("x.json"), "yes");
        Files.writeString(root.resolve("keep.json"), "no");
        Files.writeString(root.resolve("go.json"), "yes");
        Files.createSymbolicLink(root.resolve("link.json"), secret);
        Files.createSymbolicLink(root.resolve("inner-link.json"), root.resolve("go.json"));
        Files.createSymbolicLink(root.resolve("away"), outside);
        Files.createDirectories(root.resolve("folder.json"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef base = store.refFor(root.resolve("a"));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        ObjectStorage.ContentReader<Boolean> saysYes = (in, size) -> {
            reads.incrementAndGet();
            return new String(in.readNBytes(3)).equals("yes");
        };
        for (String key : List.of("folder.json", "missing.json"))
            assertFalse(store.deleteIf(base.withKey(key), saysYes), key);
        // Even where links within the root are followed for reading: deleting through one would remove its target.
        for (String key : List.of("link.json", "inner-link.json"))
            assertEquals(StorageException.Kind.NOT_ALLOWED,
                    assertThrows(StorageException.class, () -> store.deleteIf(base.withKey(key), saysYes)).kind(), key);
        assertEquals(0, reads.get(), "a reader called for something that is not a regular file");
        assertThrows(StorageException.class, () -> store.deleteIf(
                new LocalObjectStorage(List.of(root), false).refFor(root.resolve("away/x.json")), saysYes));
        assertFalse(store.deleteIf(base.withKey("keep.json"), saysYes));
        assertTrue(store.deleteIf(base.withKey("go.json"), saysYes));
        assertEquals(2, reads.get());
        assertTrue(Files.exists(secret) && Files.exists(root.resolve("keep.json")) && Files.isSymbolicLink(root.resolve("link.json"))
                && Files.isSymbolicLink(root.resolve("inner-link.json")));
        assertFalse(Files.exists(root.resolve("go.json"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Names near the file system's 255-byte limit and a folder where a result goes: a result is written where its
     * name allows, and what cannot be is a permanent failure saying why. Before, a 230-byte result name failed on its
     * 256-byte .part name, and both that and a folder in the way were answered as retryable, for ever (found by a
     * review).
     */
    @Test
    void longNamesAndAFolderInTheWayAreWrittenOrRefusedForGood() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("names"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        for (int bytes : new int[]{200, 230, 242, 255}) {
            String name = Utf8Names.ofBytes(bytes, true, ".emotion.json");
            ObjectRef out = store.refFor(root.resolve(name));
            store.writeAtomically(out, "{}".getBytes(), "application/json");
            assertTrue(Files.isRegularFile(root.resolve(name)), bytes + "-byte name written");
            String part = "." + LocalObjectStorage.partBase(name) + "12345678901234567890.part";
            assertTrue(part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255 && part.contains(".emotion.json"),
                    "the sweep still knows it: " + part);
        }
        String tooLong = "y".repeat(250) + ".emotion.json";
        StorageException e = assertThrows(StorageException.class, () -> store.writeAtomically(
                new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), tooLong), "{}".getBytes(), "application/json"));
        assertEquals(StorageException.Kind.FAILED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("263 bytes"), e.getMessage());
        StorageException s = assertThrows(StorageException.class, () -> store.stat(
                new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), tooLong)));
        assertEquals(StorageException.Kind.FAILED, s.kind(), s.getMessage());

        Files.createDirectories(root.resolve("a.wav.emotion.json"));
        StorageException dir = assertThrows(StorageException.class, () -> store.writeAtomically(
                store.refFor(root.resolve("a.wav.emotion.json")), "{}".getBytes(), "application/json"));
        assertEquals(StorageException.Kind.FAILED, dir.kind(), dir.getMessage());
        assertTrue(dir.getMessage().contains("folder"), dir.getMessage());
    }

    /**
     * A folder name over 255 bytes, in the key or in the root, is a path no file system can hold: a permanent failure
     * saying which name, like a file name. Before, only the last name was checked and the rest answered UNAVAILABLE
     * ("File name too long"), retried for ever.
     */
    @Test
    void anOverlongFolderInTheKeyOrTheRootIsRefusedForGood() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        String folder = "\u00e9".repeat(128); // 128 characters, 256 bytes
        ObjectRef deep = store.refFor(root.resolve("clip.mp4")).withKey(folder + "/clip.mp4");
        List<org.junit.jupiter.api.function.Executable> uses = List.of(
                () -> store.stat(deep),
                () -> store.writeAtomically(deep.withKey("a/" + folder + "/clip.mp4.emotion.json"), "{}".getBytes(), "application/json"),
                // the folder of a manifest row (BatchSources), and a configured root, that no file system can hold
                () -> LocalObjectStorage.ofNamedFolder(tmp.resolve(folder)).stat(
                        LocalObjectStorage.ofNamedFolder(tmp.resolve(folder)).refFor(tmp.resolve(folder).resolve("clip.mp4"))),
                () -> new LocalObjectStorage(List.of(tmp.resolve(folder)), true).stat(
                        new ObjectRef(ObjectRef.Scheme.FILE, tmp.resolve(folder).toString(), "clip.mp4")));
        for (var use : uses) {
            StorageException e = assertThrows(StorageException.class, use);
            assertEquals(StorageException.Kind.FAILED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("has 256 bytes; file systems take at most 255"), e.getMessage());
        }
        ObjectRef fits = deep.withKey("a/" + "\u00e9".repeat(127) + "x/clip.mp4.emotion.json"); // 255 bytes: written
        store.writeAtomically(fits, "{}".getBytes(), "application/json");
        assertTrue(store.stat(fits).isPresent());
    }

    /**
     * A key that is no file name in this process's encoding (a lone surrogate anywhere; under a C/POSIX locale, any
     * character that is not ASCII, such as "café.wav") fails for good, saying why and what to change. Before, the
     * path's InvalidPathException escaped as an internal error (found by a review, run under LANG=C).
     */
    @Test
    void aKeyThatIsNoFileNameInThisEncodingFailsForGoodSayingWhy() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("encoding"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef clip = store.refFor(root.resolve("clip.wav"));
        for (String key : List.of("caf\uD800.wav", "a/\uDC00/clip.wav", "\uD83D.wav.emotion.json")) {
            ObjectRef ref = clip.withKey(key);
            List<org.junit.jupiter.api.function.Executable> uses = List.of(() -> store.stat(ref), () -> store.confine(ref),
                    () -> store.writeAtomically(ref, "{}".getBytes(), "application/json"));
            for (var use : uses) {
                StorageException e = assertThrows(StorageException.class, use, key);
                assertEquals(StorageException.Kind.FAILED, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("cannot be a file name in this process's file-name encoding"), e.getMessage());
            }
        }
    }

    /**
     * A configured root that is missing for a while (a disk not mounted yet, an outbox removed) is retryable, as
     * readiness says, and passes once it is back. Before, confine and the result write answered NOT_FOUND: the event
     * was rejected for good while /q/health/ready failed, and a watched file was marked done without a result.
     */
    @Test
    void aMissingConfiguredRootIsRetryableAsReadinessSaysAndPassesOnceBack() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("outbox"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef result = store.refFor(root.resolve("clip.mp4.emotion.json"));
        Files.delete(root);

        assertEquals(StorageException.Kind.UNAVAILABLE, assertThrows(StorageException.class, store::checkReachable).kind());
        List<org.junit.jupiter.api.function.Executable> uses = List.of(
                () -> store.writeAtomically(result, "{}".getBytes(), "application/json"),
                () -> store.stat(result),
                () -> new StorageRouter(List.of(store)).storeFor(result));
        for (var use : uses) {
            StorageException e = assertThrows(StorageException.class, use);
            assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
        }

        Files.createDirectories(root);
        store.writeAtomically(result, "{}".getBytes(), "application/json");
        assertTrue(Files.isRegularFile(root.resolve("clip.mp4.emotion.json")));
    }

    @Test
    void copiesBoundedAndWritesAtomically() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.write(root.resolve("m.wav"), new byte[1000]);
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef ref = store.refFor(root.resolve("m.wav"));
        assertEquals(1000, store.stat(ref).orElseThrow().size());
        Path target = tmp.resolve("copy");
        CopiedObject c = store.copyTo(ref, target, 1000);
        assertEquals(1000, c.bytes());
        assertEquals(64, c.sha256().length());
        StorageException tooLarge = assertThrows(StorageException.class, () -> store.copyTo(ref, target, 999));
        assertEquals(StorageException.Kind.TOO_LARGE, tooLarge.kind());
        assertFalse(Files.exists(target), "a refused copy leaves nothing behind");

        ObjectRef out = ref.withKey("deep/er/m.wav.emotion.json");
        store.writeAtomically(out, "{\"a\":1}".getBytes(), "application/json");
        store.writeAtomically(out, "{\"a\":2}".getBytes(), "application/json");
        assertArrayEquals("{\"a\":2}".getBytes(), Files.readAllBytes(root.resolve("deep/er/m.wav.emotion.json")));
        try (var files = Files.list(root.resolve("deep/er"))) {
            assertEquals(1, files.count(), "no .part files left");
        }
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("deep/er/m.wav.emotion.json"))), "a result is readable like the media beside it");
        assertTrue(store.stat(ref.withKey("nothing.wav")).isEmpty());
    }
}
