package dev.moodtag.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A file read a 64 kB window at a time with {@link FileTail#read}, which an interrupt of the decoding thread does not
 * stop, for the walks over a whole file when it is opened (an Ogg file's pages, the joins of FLAC files). Each window is
 * read only once the object's time budget has been checked, as each packet is decoded: before, a 2 s FLAC followed by
 * 200 MB was read whole (210 MB) at every open, a spent budget or not, and so was it to probe its header.
 */
final class FileWindow implements AutoCloseable {
    static final int SIZE = 1 << 16;
    private final RandomAccessFile file;
    private final String source;
    private final TimeBudget budget;
    private final long size;
    private final byte[] bytes;
    private long start, read;
    private int length;

    FileWindow(Path file, TimeBudget budget) throws IOException {
        this(file, budget, SIZE);
    }

    /** {@code windowBytes}: how much is read at a time (a tail read whole, say). */
    FileWindow(Path file, TimeBudget budget, int windowBytes) throws IOException {
        this.bytes = new byte[windowBytes];
        this.file = new RandomAccessFile(file.toFile(), "r");
        this.source = MediaFileCheck.nameOf(file);
        this.budget = budget;
        this.size = this.file.length();
    }

    long size() {
        return size;
    }

    /** The window's bytes; {@link #at} says where a position is in them. */
    byte[] bytes() {
        return bytes;
    }

    /**
     * Where {@code at} is in {@link #bytes()}, a window having been read from {@code at} where the one held does not hold
     * {@code need} bytes from there and the file does; {@link #after} says how many it holds.
     *
     * @throws MediaException {@link MediaException.Kind#LIMIT_EXCEEDED} where the budget is spent before a window is read
     */
    int at(long at, int need) throws IOException {
        if (at < start || at + need > start + length && start + length < size) {
            budget.check(source, 0);
            start = at;
            length = FileTail.read(file, at, bytes, bytes.length);
            read += length;
        }
        return (int) (at - start);
    }

    /** The bytes read from the file so far, windows read again included. */
    long bytesRead() {
        return read;
    }

    /** The bytes the window holds from {@code at} on (fewer than asked where the file ends). */
    int after(long at) {
        return (int) Math.max(0, Math.min(length, start + length - at));
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
