package dev.moodtag.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file (or a FIFO, or a link to a file) where a key has a folder, on real files: every way the walk's
 * NotDirectoryException comes back. A write through it is refused for good naming the file in the way, as a folder in
 * a file's way is; a read finds no object there (and says why); a configured root that is a file is missing as a
 * folder, retryable as a missing root is. Before, a write through a file was "&lt;result&gt; does not exist" (NOT_FOUND),
 * and every use of a root that was a file as well, a read and a stat included, rejecting an event for good.
 */
class FileInTheWayTest {

    @TempDir
    Path tmp;

    /** Keys written where one of their folders is a regular file, a FIFO or a link to a file, at each depth. */
    @Test
    void aWriteThroughAFileIsAPermanentFailureNamingTheFileInTheWay() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("results"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        Files.writeString(root.resolve("talks"), "a file, not a folder");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/c"), "x");
        Files.createSymbolicLink(root.resolve("linked"), root.resolve("talks"));
        assertEquals(0, new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start().waitFor());
        // key -> the file in the way
        List<String[]> cases = List.of(
                new String[]{"talks/a.wav.emotion.json", "talks"},
                new String[]{"talks/deeper/still/a.wav.emotion.json", "talks"},
                new String[]{"a/b/c/a.wav.emotion.json", "a/b/c"},
                new String[]{"a/b/c/d/e/a.wav.emotion.json", "a/b/c"},
                new String[]{"linked/a.wav.emotion.json", "linked"},
                new String[]{"pipe/a.wav.emotion.json", "pipe"});
        List<String> wrong = new ArrayList<>();
        for (String[] c : cases) {
            ObjectRef ref = new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), c[0]);
            StorageException e = assertThrows(StorageException.class,
                    () -> store.writeAtomically(ref, "{}".getBytes(), "application/json"), c[0]);
            String m = e.getMessage();
            if (e.kind() != StorageException.Kind.FAILED || m.contains("does not exist")
                    || !m.contains(root.resolve(c[1]) + " is not a folder") || !m.contains(ref.uri()))
                wrong.add(c[0] + " -> " + e.kind() + ": " + m);
        }
        assertEquals(List.of(), wrong, "each a permanent failure naming the object and the file in the way");
        assertEquals(List.of("a", "linked", "pipe", "talks"), names(root), "nothing was created through the file");
        assertTrue(Files.isRegularFile(root.resolve("talks")) && Files.readString(root.resolve("talks")).startsWith("a file"));
        // the question before the work answers alike
        StorageException probe = assertThrows(StorageException.class, () -> store.checkWritable(
                new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), "talks/a.wav.emotion.json")));
        assertEquals(StorageException.Kind.FAILED, probe.kind(), probe.getMessage());
        assertTrue(probe.getMessage().contains(root.resolve("talks") + " is not a folder"), probe.getMessage());
    }

    /** A read through a file finds nothing, as it is: no such object, and the message says which name is a file. */
    @Test
    void aReadThroughAFileFindsNoObjectAndSaysWhy() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("media"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        Files.writeString(root.resolve("talks"), "x");
        ObjectRef media = new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), "talks/a.wav");
        assertTrue(store.stat(media).isEmpty());
        StorageException e = assertThrows(StorageException.class, () -> store.read(media, (in, n) -> "read"));
        assertEquals(StorageException.Kind.NOT_FOUND, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(media.uri() + " does not exist") && e.getMessage().contains(
                root.resolve("talks") + " is not a folder (a file)"), e.getMessage());
        assertFalse(store.deleteIf(media, (in, n) -> true));
        assertTrue(Files.isRegularFile(root.resolve("talks")));
    }

    /**
     * A configured root (an inbox, an outbox, a function's root) that is a file is a root missing as a folder: retryable
     * as a missing root is, readiness saying so too, and it passes once the folder is back. A folder the user named that
     * is a file holds nothing: no object there, for good.
     */
    @Test
    void aConfiguredRootThatIsAFileIsMissingAsAFolderAndRetryable() throws Exception {
        Path root = tmp.resolve("outbox");
        Files.writeString(root, "a file where the outbox should be");
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectRef result = new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), "clip.mp4.emotion.json");
        assertEquals(StorageException.Kind.UNAVAILABLE, assertThrows(StorageException.class, store::checkReachable).kind());
        List<org.junit.jupiter.api.function.Executable> uses = List.of(
                () -> store.writeAtomically(result, "{}".getBytes(), "application/json"),
                () -> store.checkWritable(result),
                () -> store.stat(result),
                () -> store.read(result, (in, n) -> "read"),
                () -> store.deleteIf(result, (in, n) -> true));
        List<String> wrong = new ArrayList<>();
        String[] shown = {"write", "checkWritable", "stat", "read", "deleteIf"};
        for (int i = 0; i < uses.size(); i++) {
            try {
                uses.get(i).execute();
                wrong.add(shown[i] + " -> nothing thrown");
            } catch (StorageException e) {
                if (e.kind() != StorageException.Kind.UNAVAILABLE || !e.getMessage().contains("root folder " + root + " is not a folder"))
                    wrong.add(shown[i] + " -> " + e.kind() + ": " + e.getMessage());
            } catch (Throwable t) {
                wrong.add(shown[i] + " -> " + t);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(Files.isRegularFile(root), "the file is left as it was");

        Files.delete(root);
        Files.createDirectories(root);
        store.writeAtomically(result, "{}".getBytes(), "application/json");
        assertTrue(Files.isRegularFile(root.resolve("clip.mp4.emotion.json")));

        Path named = tmp.resolve("named");
        Files.writeString(named, "x");
        LocalObjectStorage folder = LocalObjectStorage.ofNamedFolder(named);
        StorageException e = assertThrows(StorageException.class, () -> folder.read(
                new ObjectRef(ObjectRef.Scheme.FILE, named.toString(), "clip.wav"), (in, n) -> "read"));
        assertEquals(StorageException.Kind.NOT_FOUND, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(named + " is not a folder"), e.getMessage());
    }

    private static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
