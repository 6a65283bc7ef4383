package dev.moodtag.train;

import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.UnwritableFile;
import org.jboss.logging.Logger;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encoder outputs on disk, one append-only file per encoder block and fingerprint
 * ({@code DIR/<encoder-id>/<fingerprint>.bin}), keyed by the content hash of an utterance's inputs. Every entry is
 * written whole when it is computed, so an interrupted extraction resumes where it stopped; a changed encoder gets a new
 * fingerprint, hence a new file, and leaves the other blocks' caches valid. A half-written last entry (the process
 * was killed mid-write) is cut off when the file is opened; one that the file system refuses part-way (full, or
 * read-only) is cut off at once and ends the run with {@link UnwritableFile}, naming the file and the fault.
 * <p>
 * One process writes a block file at a time: it holds an exclusive lock on {@code <fingerprint>.lock} while the file
 * is open. A second process (two trainings on one cache) reads the complete entries but neither cuts nor appends:
 * the first one may be in the middle of an entry, and a cut or an interleaved append would misalign every entry
 * after it. Its new features stay in memory for that run. An entry that cannot be sound (a length other than its
 * block's, a value that is not finite, a reason in no valid UTF-8) ends the readable part the same way a torn tail
 * does: what follows is encoded again, never served.
 *
 * <p>Entry: 32-byte content hash, int n, then n floats (the vector), or n = -1 and a UTF string (why the modality is
 * missing).
 */
public final class FeatureCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FeatureCache.class);

    /** A cached encoder output: the vector, or the reason there is none. */
    public record Entry(float[] vector, String missingReason) {
    }

    private final Path dir;
    private final Map<String, Block> blocks = new ConcurrentHashMap<>();

    public FeatureCache(Path dir) {
        this.dir = dir;
    }

    private final class Block {
        final Map<String, Entry> entries = new HashMap<>();
        final FileChannel lockChannel;
        final FileLock lock; // null: another process writes this file, this one only reads it
        final Path file;
        final FileChannel out; // null when not locked
        long written; // where the last complete entry ends: the next one is written there

        Block(FeatureBlock b) throws IOException {
            file = dir.resolve(b.id()).resolve(b.fingerprint() + ".bin");
            Files.createDirectories(file.getParent());
            lockChannel = FileChannel.open(file.resolveSibling(b.fingerprint() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = tryLock(lockChannel);
            } catch (IOException | RuntimeException e) {
                lockChannel.close();
                throw e;
            }
            if (lock == null) {
                LOG.warnf("feature cache %s is being written by another process: reading what it holds, "
                        + "new features of this run are not saved", file);
            }
            long good = 0;
            if (Files.exists(file)) {
                long[] read = {0};
                java.io.InputStream counting = new java.io.FilterInputStream(new BufferedInputStream(Files.newInputStream(file))) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) read[0]++;
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = super.read(buf, off, len);
                        if (n > 0) read[0] += n;
                        return n;
                    }
                };
                try (DataInputStream in = new DataInputStream(counting)) {
                    while (true) {
                        byte[] h = new byte[32];
                        in.readFully(h);
                        int n = in.readInt();
                        // Only this block's length: any other is a misaligned, foreign or damaged entry, whose values
                        // would be fused as this block's.
                        if (n != -1 && n != b.dim()) break;
                        Entry e;
                        if (n < 0) {
                            e = new Entry(null, in.readUTF());
                        } else {
                            float[] v = new float[n];
                            for (int i = 0; i < n; i++) v[i] = in.readFloat();
                            // No encoder's output: a damaged entry, which would be trained on
                            if (!allFinite(v)) break;
                            e = new Entry(v, null);
                        }
                        entries.put(HexFormat.of().formatHex(h), e);
                        good = read[0];
                    }
                } catch (EOFException | UTFDataFormatException end) {
                    // normal end, a half-written last entry or a damaged reason: keep what was complete
                }
                if (good < Files.size(file) && lock != null) {
                    LOG.warnf("feature cache %s: dropping %,d bytes after the last sound entry (written half, or damaged);"
                            + " what they held is encoded again", file, Files.size(file) - good);
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(good);
                    }
                }
            }
            written = good;
            try {
                out = lock == null ? null : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                lockChannel.close(); // and the lock with it: a folder left busy cannot be unmounted
                throw e;
            }
        }


        synchronized Optional<Entry> get(String hash) {
            return Optional.ofNullable(entries.get(hash));
        }

        synchronized void put(String hash, Entry e) {
            if (entries.containsKey(hash)) return;
            if (out == null) {
                entries.put(hash, e);
                return;
            }
            ByteBuffer entry = ByteBuffer.wrap(bytesOf(hash, e));
            try {
                // Whole entries at a known place: a buffered stream kept the bytes a full disk refused and wrote them
                // again after the next entry's, behind the part that did get out, so once there was room the file held
                // an entry of the first one's hash with part of its floats and the second's hash read as floats,
                // served to the next run as that utterance's features.
                for (long at = written; entry.hasRemaining(); ) at += out.write(entry, at);
                written += entry.capacity();
                entries.put(hash, e);
            } catch (IOException ex) {
                try {
                    out.truncate(written); // the part that got out: nothing half-written stays for the next run
                } catch (IOException alsoFailed) {
                    ex.addSuppressed(alsoFailed); // the next opening cuts it, as a torn tail
                }
                throw new UnwritableFile("the feature cache cannot be written: " + LocalFailures.inWords(ex, file)
                        + (entries.isEmpty() ? "" : "; the " + entries.size() + " complete entries stay for the next run"), ex);
            }
        }

        int size() {
            return entries.size();
        }
    }

    private static byte[] bytesOf(String hash, Entry e) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            d.write(HexFormat.of().parseHex(hash));
            if (e.vector() != null) {
                d.writeInt(e.vector().length);
                for (float f : e.vector()) d.writeFloat(f);
            } else {
                d.writeInt(-1);
                d.writeUTF(e.missingReason());
            }
        } catch (IOException inMemory) {
            throw new UncheckedIOException(inMemory); // a reason over 64 KB of UTF-8 only
        }
        return bytes.toByteArray();
    }

    private static boolean allFinite(float[] v) {
        for (float f : v) if (!Float.isFinite(f)) return false;
        return true;
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        }
    }

    private Block block(FeatureBlock b) {
        return blocks.computeIfAbsent(b.id() + "/" + b.fingerprint(), k -> {
            try {
                return new Block(b);
            } catch (IOException e) {
                Path failed = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? Path.of(f.getFile())
                        : dir.resolve(b.id());
                throw new UnwritableFile("the feature cache of " + b.id() + " cannot be opened for writing: "
                        + LocalFailures.inWords(e, failed), e);
            }
        });
    }

    /** @param contentHash 64 hex digits (sha256 of the utterance's inputs) */
    public Optional<Entry> get(FeatureBlock block, String contentHash) {
        return block(block).get(contentHash);
    }

    public void put(FeatureBlock block, String contentHash, Entry entry) {
        block(block).put(contentHash, entry);
    }

    public int size(FeatureBlock block) {
        return block(block).size();
    }

    @Override
    public void close() {
        for (Block b : blocks.values()) {
            try {
                if (b.out != null) b.out.close();
                if (b.lock != null) b.lock.release();
                b.lockChannel.close();
            } catch (IOException e) {
                LOG.warnf("closing feature cache: %s", e.getMessage());
            }
        }
    }
}
