package dev.moodtag.storage;

import dev.moodtag.testing.Mounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link LocalObjectStorage#checkWritable}: whether a result could be written where it goes, known before the object
 * is decoded. Before, there was no such question: the write failed after the whole tagging, a file in the folder's
 * place as "<result> does not exist".
 */
class WritableResultFolderTest {

    @TempDir
    Path root;

    @Test
    void aFolderThatIsThereOrCanBeMadeIsWritableAndAFileInItsWayIsAPermanentRefusalNamingIt() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("file"), "x");
        Files.writeString(root.resolve("a/also-file"), "x");
        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(root);
        ObjectRef base = new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), "x");
        // beside the media, in a folder to be made (a result prefix's), several levels down, a name that is a folder
        for (String fine : List.of("r.emotion.json", "a/r.emotion.json", "a/b/r.emotion.json", "new/r.emotion.json",
                "a/b/new/deeper/r.emotion.json", "a/b"))
            store.checkWritable(base.withKey(fine));
        // a file where the result's folder, or one above it, should be
        for (String blocked : List.of("file/r.emotion.json", "file/sub/r.emotion.json", "a/also-file/r.emotion.json",
                "a/also-file/x/y/z/r.emotion.json")) {
            StorageException e = assertThrows(StorageException.class, () -> store.checkWritable(base.withKey(blocked)), blocked);
            assertEquals(StorageException.Kind.FAILED, e.kind(), blocked + ": never retryable");
            Path folder = root.resolve(blocked).getParent();
            assertTrue(e.getMessage().startsWith("cannot write results in " + folder + ": ")
                    && e.getMessage().contains(" is not a folder"), e.getMessage());
        }
        try (Stream<Path> left = Files.walk(root)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".moodtag-probe")).toList(),
                    "no probe file is left behind");
        }
        assertTrue(Files.notExists(root.resolve("new")), "a folder to be made is not made by the question");
    }

    @Test
    void aFolderOnAReadOnlyMountIsAPermanentRefusalSayingSo() throws Exception {
        Path mounted = root.resolve("mounted");
        assumeTrue(Mounts.tmpfs(mounted, 1L << 20), "skipped: mounting needs root");
        try {
            Files.createDirectories(mounted.resolve("sub"));
            assumeTrue(Mounts.remountReadOnly(mounted), "skipped: cannot remount read-only");
            LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(root);
            for (String key : List.of("mounted/r.emotion.json", "mounted/sub/r.emotion.json", "mounted/new/r.emotion.json")) {
                StorageException e = assertThrows(StorageException.class,
                        () -> store.checkWritable(new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), key)), key);
                assertEquals(StorageException.Kind.FAILED, e.kind(), key + ": never retryable");
                Path nearest = key.contains("sub/") ? mounted.resolve("sub") : mounted;
                assertEquals("cannot write results in " + nearest + ": its folder is on a read-only file system",
                        e.getMessage(), key);
            }
            // root itself is not on the mount: beside it is fine
            store.checkWritable(new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), "r.emotion.json"));
        } finally {
            Mounts.unmount(mounted);
        }
    }

    /**
     * The probe walks the folders as the write does: a folder of the root that is a link to one outside is refused as
     * the write refuses it, and nothing is created there, however deep the result goes below it. Before, the probe was
     * made by name, following the link: a file was created and removed outside the root (its folder's time moved).
     */
    @Test
    void aFolderLinkedOutOfTheRootIsRefusedAndNothingIsCreatedOutside(@TempDir Path outside) throws Exception {
        Path root = this.root.resolve("root");
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("linked"), outside);
        Files.createSymbolicLink(root.resolve("real/linked"), outside);
        Files.createDirectories(outside.resolve("sub"));
        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(root);
        for (String key : List.of("linked/r.emotion.json", "linked/sub/r.emotion.json", "linked/new/r.emotion.json",
                "real/linked/r.emotion.json", "real/linked/sub/deeper/r.emotion.json")) {
            FileTime before = Files.getLastModifiedTime(outside), beforeSub = Files.getLastModifiedTime(outside.resolve("sub"));
            Thread.sleep(5);
            StorageException e = assertThrows(StorageException.class,
                    () -> store.checkWritable(new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), key)), key);
            assertEquals(StorageException.Kind.NOT_ALLOWED, e.kind(), key + ": " + e.getMessage());
            assertEquals(before, Files.getLastModifiedTime(outside), key + ": a file was made outside the root");
            assertEquals(beforeSub, Files.getLastModifiedTime(outside.resolve("sub")), key + ": a file was made outside the root");
            assertThrows(StorageException.class, () -> store.writeAtomically(
                    new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), key), new byte[]{1}, "application/json"),
                    key + ": the write refuses it too");
        }
        try (Stream<Path> left = Files.walk(outside)) {
            assertEquals(List.of(outside, outside.resolve("sub")), left.sorted().toList(), "nothing was left outside");
        }
    }

    @Test
    void aFolderMoodtagsUserCannotWriteIsAPermanentRefusal() throws Exception {
        // Root writes anywhere whatever the mode bits: this case needs another user (the one above runs as root too).
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root, which ignores permission bits");
        Path ro = Files.createDirectories(root.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(root);
            for (String key : List.of("ro/r.emotion.json", "ro/new/r.emotion.json")) {
                StorageException e = assertThrows(StorageException.class,
                        () -> store.checkWritable(new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), key)), key);
                assertEquals(StorageException.Kind.FAILED, e.kind(), key);
                assertTrue(e.getMessage().equals("cannot write results in " + ro + ": permission denied to moodtag's user"),
                        e.getMessage());
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /**
     * The function on a local root asks before each event's decoding whether its result's folder takes a file. Before,
     * each question made and removed a probe file there: 200 events into a folder of 2,000 objects made 200 probe files
     * (counted here by the file system's own notifications). Now the folder's yes is kept for a moment: one probe.
     */
    @Test
    void aBusyFolderIsProbedOnceForManyObjectsNotOncePerObject() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        for (int i = 0; i < 2000; i++) Files.writeString(inbox.resolve(String.format("clip-%04d.wav", i)), "x");
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), false); // as the function's configured root
        int events = 200;
        try (WatchService watch = root.getFileSystem().newWatchService()) {
            inbox.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++)
                store.checkWritable(new ObjectRef(ObjectRef.Scheme.FILE, root.toString(),
                        String.format("inbox/clip-%04d.wav.emotion.json", i)));
            double perEvent = (System.nanoTime() - t0) / 1e3 / events;
            int probes = 0;
            for (WatchKey key; (key = watch.poll(300, TimeUnit.MILLISECONDS)) != null; key.reset()) {
                for (WatchEvent<?> e : key.pollEvents())
                    if (e.context() instanceof Path p && p.getFileName().toString().startsWith(".moodtag-probe")) probes++;
            }
            System.out.printf(java.util.Locale.ROOT, "%d questions about a folder of 2,000 objects: %d probe file(s), "
                    + "%.1f us per question%n", events, probes, perEvent);
            assertEquals(1, probes, "probe files made for " + events + " objects of one folder");
        }
    }

    /**
     * A folder found writable that turns unwritable is still found: by the write, which fails as it did (and the next
     * question probes again), or by the next question once the moment a yes is kept has passed.
     */
    @Test
    void aFolderThatTurnsUnwritableIsFoundByTheWriteAndByTheQuestionAfterIt() throws Exception {
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), false);
        ObjectRef result = new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), "out/r.emotion.json");
        for (boolean byTheWrite : new boolean[]{true, false}) {
            Files.createDirectories(root.resolve("out"));
            store.checkWritable(result);
            Files.delete(root.resolve("out"));
            Files.writeString(root.resolve("out"), "a file where the results' folder was");
            if (byTheWrite)
                assertThrows(StorageException.class, () -> store.writeAtomically(result, new byte[]{1}, "application/json"));
            else
                Thread.sleep(WritableFolders.FOR.toMillis() + 50);
            StorageException e = assertThrows(StorageException.class, () -> store.checkWritable(result),
                    byTheWrite ? "after the failed write" : "after the moment");
            assertEquals(StorageException.Kind.FAILED, e.kind());
            assertEquals("cannot write results in " + root.resolve("out") + ": " + root.resolve("out") + " is not a folder",
                    e.getMessage());
            Files.delete(root.resolve("out"));
        }
    }

    @Test
    void aYesIsKeptForAMomentOnlyAndForABoundedNumberOfFolders() {
        long[] now = {0};
        WritableFolders folders = new WritableFolders(() -> now[0]);
        Path a = root.resolve("a");
        assertFalse(folders.known(a));
        folders.found(a);
        now[0] = WritableFolders.FOR.toNanos() - 1;
        assertTrue(folders.known(a));
        now[0]++;
        assertFalse(folders.known(a), "kept past its moment");
        folders.found(a);
        folders.forget(a);
        assertFalse(folders.known(a), "kept after a write there failed");
        now[0] = Long.MAX_VALUE - 10; // the nanosecond clock wraps
        folders.found(a);
        now[0] += 20;
        assertTrue(folders.known(a), "lost across the clock's wrap");
        for (int i = 0; i <= WritableFolders.MAX_FOLDERS; i++) folders.found(root.resolve("f" + i));
        assertTrue(folders.known(root.resolve("f" + WritableFolders.MAX_FOLDERS)));
        assertFalse(folders.known(root.resolve("f0")), "more folders than the bound are kept");
    }
}
