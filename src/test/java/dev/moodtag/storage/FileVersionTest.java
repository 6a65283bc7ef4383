package dev.moodtag.storage;

import dev.moodtag.tagging.Recognizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a local file's stat tells apart ({@link Recognizer#changedSince} over two {@link LocalObjectStorage#stat}s):
 * a generated grid of what can happen to a file, and a fuzz of same-size rewrites with the time set back. Before
 * {@link FileVersion}, a file rewritten or renamed over by other bytes of the same size and time read as unchanged.
 */
class FileVersionTest {

    @TempDir
    Path tmp;

    @FunctionalInterface
    private interface Change {
        void apply(Path file, Path folder) throws Exception;
    }

    /** Between a change and the stat before it: on kernels before 6.13 ctime moves in ticks of a few ms. */
    private static void crossATick() throws InterruptedException {
        Thread.sleep(20);
    }

    private static void overwriteOneByte(Path f, long at, byte value) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{value}), at);
        }
    }

    @Test
    void aGridOfChangesEachReadsAsChangedAndReadingOrAResultBesideItDoesNot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), false);
        Map<String, Change> changed = new LinkedHashMap<>();
        changed.put("same size and time, rewritten in place", (f, dir) -> {
            FileTime t = Files.getLastModifiedTime(f);
            overwriteOneByte(f, 500, (byte) 7);
            Files.setLastModifiedTime(f, t);
        });
        changed.put("same size and time, another file renamed over it", (f, dir) -> {
            FileTime t = Files.getLastModifiedTime(f);
            byte[] b = Files.readAllBytes(f);
            b[500] = 7;
            Path other = Files.write(dir.resolve(".incoming"), b);
            Files.setLastModifiedTime(other, t);
            Files.move(other, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        });
        changed.put("same bytes, a copy renamed over it", (f, dir) -> {
            FileTime t = Files.getLastModifiedTime(f);
            Path other = Files.copy(f, dir.resolve(".copy"));
            Files.setLastModifiedTime(other, t);
            Files.move(other, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        });
        changed.put("size only", (f, dir) -> {
            FileTime t = Files.getLastModifiedTime(f);
            Files.write(f, new byte[1], StandardOpenOption.APPEND);
            Files.setLastModifiedTime(f, t);
        });
        changed.put("time only", (f, dir) ->
                Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() - 60_000)));
        changed.put("touched to its own time", (f, dir) -> Files.setLastModifiedTime(f, Files.getLastModifiedTime(f)));
        changed.put("chmod", (f, dir) -> Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------")));
        changed.put("hard link added", (f, dir) -> Files.createLink(dir.resolve(".also-" + f.getFileName()), f));
        Map<String, Change> unchanged = new LinkedHashMap<>();
        unchanged.put("read", (f, dir) -> Files.readAllBytes(f));
        unchanged.put("a result written beside it", (f, dir) ->
                store.writeAtomically(store.refFor(dir.resolve(f.getFileName() + ".emotion.json")), new byte[]{'{', '}'}, "application/json"));
        unchanged.put("another file in its folder changed", (f, dir) -> Files.writeString(dir.resolve("neighbour.txt"), "x"));

        Map<String, Boolean> cases = new LinkedHashMap<>();
        changed.keySet().forEach(k -> cases.put(k, true));
        unchanged.keySet().forEach(k -> cases.put(k, false));
        byte[] content = new byte[4096];
        new Random(7).nextBytes(content);
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, ObjectInfo> before = new LinkedHashMap<>();
        int i = 0;
        for (String c : cases.keySet()) {
            Path dir = Files.createDirectories(root.resolve("case" + i++));
            files.put(c, Files.write(dir.resolve("a.wav"), content));
        }
        crossATick();
        for (String c : cases.keySet()) before.put(c, store.stat(store.refFor(files.get(c))).orElseThrow());
        for (String c : cases.keySet()) {
            Path f = files.get(c);
            (changed.containsKey(c) ? changed.get(c) : unchanged.get(c)).apply(f, f.getParent());
        }
        List<String> wrong = new ArrayList<>();
        for (String c : cases.keySet()) {
            ObjectInfo after = store.stat(store.refFor(files.get(c))).orElseThrow();
            assertTrue(after.fileVersion().isPresent(), "ext4, tmpfs and the like give a file version: " + c);
            Optional<String> why = Recognizer.changedSince(before.get(c), after);
            if (why.isPresent() != cases.get(c)) wrong.add(c + ": " + why.orElse("unchanged"));
        }
        assertEquals(List.of(), wrong, "cases judged wrong");
    }

    @Test
    void aFileReplacedByALinkIsStillRefused() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), false);
        Path f = Files.write(root.resolve("a.wav"), new byte[100]);
        Path elsewhere = Files.write(tmp.resolve("same.wav"), new byte[100]);
        Files.setLastModifiedTime(elsewhere, Files.getLastModifiedTime(f));
        Files.delete(f);
        Files.createSymbolicLink(f, elsewhere);
        StorageException e = assertThrows(StorageException.class, () -> store.stat(store.refFor(f)));
        assertEquals(StorageException.Kind.NOT_ALLOWED, e.kind(), e.getMessage());
    }

    /**
     * Seeded fuzz: a file rewritten again and again in place, one random byte at a random place, its time set back each
     * time; every rewrite reads as changed since the stat before it, and no two versions are the same.
     */
    @Test
    void everySameSizeRewriteWithTheTimeSetBackIsANewVersion() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), false);
        Random random = new Random(42);
        byte[] content = new byte[1 + random.nextInt(100_000)];
        Path f = Files.write(root.resolve("fuzz.wav"), content);
        FileTime t = Files.getLastModifiedTime(f);
        Set<String> versions = new HashSet<>();
        int missed = 0;
        for (int round = 0; round < 50; round++) {
            crossATick();
            ObjectInfo before = store.stat(store.refFor(f)).orElseThrow();
            versions.add(before.fileVersion().orElseThrow());
            overwriteOneByte(f, random.nextInt(content.length), (byte) random.nextInt());
            Files.setLastModifiedTime(f, t);
            ObjectInfo after = store.stat(store.refFor(f)).orElseThrow();
            assertEquals(before.size(), after.size());
            assertEquals(before.lastModified(), after.lastModified());
            if (Recognizer.changedSince(before, after).isEmpty()) missed++;
        }
        assertEquals(0, missed, "rewrites read as unchanged");
        assertEquals(50, versions.size(), "distinct versions over 50 rewrites");
    }

    @Test
    void fileSystemsWithMadeUpInodeNumbersAndThoseWithoutUnixAttributesGiveNone() throws Exception {
        for (String type : List.of("vfat", "msdos", "exfat", "fuseblk", "fuse", "fuse.sshfs"))
            assertFalse(FileVersion.inodesLast(type), type);
        for (String type : List.of("ext4", "xfs", "btrfs", "tmpfs", "nfs4", "zfs", "overlay", "apfs"))
            assertTrue(FileVersion.inodesLast(type), type);
        Path zip = tmp.resolve("a.zip");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            Path inside = Files.writeString(fs.getPath("/a.wav"), "x");
            assertEquals(Optional.empty(), FileVersion.of(inside, null), "no unix view: size and time decide alone");
        }
    }

    /**
     * A file gone by its name between the walk's stat and the version's read (renamed over, deleted and written again)
     * gets a version no stat gives again. On a file system whose inode numbers do not last (a FAT card: simulated here
     * by taking the temporary folder's device for one, as the mount table would) every other stat gives none, and none
     * matched it: the same size and time read as unchanged, and the result of that tagging recorded
     * {@code source.fileVersion: "changing:..."}. Now such a file system gives none there too, and a version taken
     * while the file changed reads as a change against every other, none included, either way round.
     */
    @Test
    void aVersionTakenWhileTheFileWasReplacedMatchesNothingAndAFatCardGivesNone() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path file = Files.write(root.resolve("a.wav"), new byte[1000]);
        Path gone = root.resolve("gone.wav");
        long device = (Long) Files.getAttribute(root, "unix:dev");
        List<String> wrong = new ArrayList<>();
        try {
            FileVersion.assume(device, false);
            Optional<String> fat = FileVersion.of(file, null);
            Optional<String> fatGone = FileVersion.of(gone, null);
            if (fat.isPresent()) wrong.add("FAT, a file: " + fat.get());
            if (fatGone.isPresent()) wrong.add("FAT, a file gone by its name: " + fatGone.get());
        } finally {
            FileVersion.forget(device);
        }
        String changing = FileVersion.of(gone, null).orElseThrow();
        if (!FileVersion.unsettled(changing)) wrong.add("ext4, a file gone by its name: " + changing);
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), false);
        ObjectInfo settled = store.stat(store.refFor(file)).orElseThrow();
        List<Optional<String>> others = List.of(Optional.empty(), settled.fileVersion(),
                FileVersion.of(gone, null), Optional.of(changing));
        for (Optional<String> other : others) {
            for (boolean changingFirst : new boolean[]{true, false}) {
                ObjectInfo a = new ObjectInfo(settled.ref(), settled.size(), settled.etag(), settled.lastModified(),
                        settled.contentType(), settled.entityTag(), changingFirst ? Optional.of(changing) : other);
                ObjectInfo b = new ObjectInfo(settled.ref(), settled.size(), settled.etag(), settled.lastModified(),
                        settled.contentType(), settled.entityTag(), changingFirst ? other : Optional.of(changing));
                if (Recognizer.changedSince(a, b).isEmpty())
                    wrong.add((changingFirst ? "changing -> " + other : other + " -> changing") + ": unchanged");
            }
        }
        assertEquals(List.of(), wrong);
    }
}
