package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.support.Sha256;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * When a local file's result is current though its file version or time moved ({@link ResultLocator#sameSource}): a
 * file whose size matches and whose time or version does not is hashed once and judged by its bytes against the
 * result's {@code source.sha256}; a file whose size differs, or whose time and version are the same, is never read. Each case
 * counts the reads of the file, not time.
 */
class SameBytesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The local store, counting the reads of media and running {@code duringRead} once a first block is read. */
    private static final class CountingStore extends LocalObjectStorage {
        int reads;
        Runnable duringRead = () -> { };

        CountingStore(Path root) {
            super(List.of(root), false);
        }

        @Override
        public <T> T read(ObjectRef ref, ContentReader<T> reader) {
            reads++;
            return super.read(ref, (in, announced) -> reader.read(new FilterInputStream(in) {
                boolean ran;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (!ran) {
                        ran = true;
                        duringRead.run();
                    }
                    return n;
                }
            }, announced));
        }
    }

    private record Case(String name, boolean same, int reads, Change change, Consumer<ObjectNode> editSource) {
    }

    @FunctionalInterface
    private interface Change {
        void apply(Path file, CountingStore store) throws Exception;
    }

    private static void setBack(Path f, FileTime t) {
        try {
            Files.setLastModifiedTime(f, t);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void overwriteOneByte(Path f, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            ch.write(ByteBuffer.wrap(new byte[]{(byte) (one.get(0) ^ 0x5a)}), at);
        }
    }

    private static List<Case> grid() {
        Consumer<ObjectNode> asWritten = src -> { };
        Change chmod = (f, s) -> Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("untouched", true, 0, (f, s) -> { }, asWritten));
        cases.add(new Case("chmod", true, 1, chmod, asWritten));
        cases.add(new Case("touched to its own time", true, 1, (f, s) -> setBack(f, Files.getLastModifiedTime(f)), asWritten));
        cases.add(new Case("hard link", true, 1, (f, s) -> Files.createLink(f.resolveSibling("second-name"), f), asWritten));
        cases.add(new Case("copied with its times and renamed over", true, 1, (f, s) -> {
            Path copy = f.resolveSibling(".copy");
            Fixtures.copyPreserving(f, copy);
            Files.move(copy, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }, asWritten));
        for (long at : new long[]{0, 65_535, 65_536, 1_000_003, 3_000_000 - 1})
            cases.add(new Case("one byte at " + at + " differs, same size and time, a new inode", false, 1, (f, s) -> {
                FileTime t = Files.getLastModifiedTime(f);
                Path copy = Files.copy(f, f.resolveSibling(".copy"));
                overwriteOneByte(copy, at);
                Files.setLastModifiedTime(copy, t);
                Files.move(copy, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }, asWritten));
        cases.add(new Case("one byte rewritten in place, time set back", false, 1, (f, s) -> {
            FileTime t = Files.getLastModifiedTime(f);
            overwriteOneByte(f, 12_345);
            Files.setLastModifiedTime(f, t);
        }, asWritten));
        cases.add(new Case("size differs", false, 0, (f, s) -> {
            FileTime t = Files.getLastModifiedTime(f);
            Files.write(f, new byte[]{1}, StandardOpenOption.APPEND);
            Files.setLastModifiedTime(f, t);
        }, asWritten));
        // A new time over the same bytes (a restore keeping whole seconds, touch): the bytes decide, as for a version.
        cases.add(new Case("time differs", true, 1,
                (f, s) -> Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 1)),
                asWritten));
        cases.add(new Case("time cut to whole seconds", true, 1,
                (f, s) -> Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() / 1000 * 1000 - 1000)),
                asWritten));
        cases.add(new Case("time differs with the same version", true, 1,
                (f, s) -> { }, src -> src.put("lastModified", "2001-01-01T00:00:00Z")));
        cases.add(new Case("time differs, result without sha256", false, 0,
                (f, s) -> { }, src -> src.put("lastModified", "2001-01-01T00:00:00Z").remove("sha256")));
        cases.add(new Case("one byte rewritten in place, time moved", false, 1, (f, s) -> overwriteOneByte(f, 77),
                asWritten));
        cases.add(new Case("one byte differs, a new inode and a new time", false, 1, (f, s) -> {
            Path copy = Files.copy(f, f.resolveSibling(".copy"));
            overwriteOneByte(copy, 2_999_000);
            Files.move(copy, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }, asWritten));
        // A result that vouches for no bytes: the version moved, so the file is tagged again, unread here.
        cases.add(new Case("result without sha256", false, 0, chmod, src -> src.remove("sha256")));
        cases.add(new Case("result with a null sha256", false, 0, chmod, src -> src.putNull("sha256")));
        cases.add(new Case("result with an uppercase sha256", false, 0, chmod,
                src -> src.put("sha256", src.path("sha256").asText().toUpperCase(Locale.ROOT))));
        cases.add(new Case("result with a sha256 one digit short", false, 0, chmod,
                src -> src.put("sha256", src.path("sha256").asText().substring(1))));
        cases.add(new Case("result with a sha256 one digit long", false, 0, chmod,
                src -> src.put("sha256", src.path("sha256").asText() + "0")));
        cases.add(new Case("result with a sha256 that is no hex", false, 0, chmod,
                src -> src.put("sha256", "g" + src.path("sha256").asText().substring(1))));
        cases.add(new Case("result with a sha256 as a number", false, 0, chmod, src -> src.put("sha256", 12345)));
        cases.add(new Case("result with another file's sha256", false, 1, chmod,
                src -> src.put("sha256", Sha256.of("other bytes"))));
        // Changed while it was hashed: the hash matches the bytes read, which are no longer the file's.
        cases.add(new Case("rewritten in place while hashed, time set back", false, 1, (f, s) -> {
            chmod.apply(f, s);
            FileTime t = Files.getLastModifiedTime(f);
            s.duringRead = () -> {
                try {
                    overwriteOneByte(f, 0);
                    Files.setLastModifiedTime(f, t);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
        }, asWritten));
        return cases;
    }

    @Test
    void aFileWhoseTimeOrVersionMovedIsHashedAndItsBytesDecide() throws Exception {
        byte[] bytes = new byte[3_000_000];
        new Random(7).nextBytes(bytes);
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (Case c : grid()) {
            Path root = Files.createDirectories(tmp.resolve("case-" + n++));
            Path f = Files.write(root.resolve("clip.wav"), bytes);
            CountingStore store = new CountingStore(root);
            ObjectInfo tagged = store.stat(store.refFor(f)).orElseThrow();
            assertTrue(tagged.fileVersion().isPresent(), "this file system gives no file version");
            ObjectNode src = JSON.createObjectNode().put("size", tagged.size())
                    .put("lastModified", tagged.lastModified().orElseThrow().toString())
                    .put("sha256", Sha256.of(bytes)).put("fileVersion", tagged.fileVersion().get());
            c.editSource().accept(src);
            Thread.sleep(20); // past a tick of the kernel's file clock, so that a change moves ctime
            c.change().apply(f, store);
            ObjectInfo now = store.stat(store.refFor(f)).orElseThrow();
            boolean same = ResultLocator.sameSource(store, src, now);
            if (same != c.same() || store.reads != c.reads())
                wrong.add(c.name() + ": " + (same ? "same" : "other") + " after " + store.reads + " read(s)");
        }
        assertEquals(List.of(), wrong, "cases judged wrong, or read where they should not be");
    }

    /** A file that cannot be read when it would be hashed is tagged again, and its tagging says why. */
    @Test
    void aFileThatCannotBeReadToHashIsNotCurrent() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("locked"));
        Path f = Files.write(root.resolve("clip.wav"), new byte[]{1, 2, 3});
        CountingStore store = new CountingStore(root);
        ObjectInfo tagged = store.stat(store.refFor(f)).orElseThrow();
        ObjectNode src = JSON.createObjectNode().put("size", 3).put("lastModified", tagged.lastModified().orElseThrow().toString())
                .put("sha256", Sha256.of(new byte[]{1, 2, 3})).put("fileVersion", tagged.fileVersion().orElseThrow());
        Thread.sleep(20);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(f), "the file is readable to this user (root?)");
        assertEquals(false, ResultLocator.sameSource(store, src, store.stat(store.refFor(f)).orElseThrow()));
        assertEquals(1, store.reads);
    }
}
