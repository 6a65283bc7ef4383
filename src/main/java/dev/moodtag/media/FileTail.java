package dev.moodtag.media;

import org.bytedeco.javacv.FFmpegFrameGrabber;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A file from a byte offset to its end (or another offset), as a stream FFmpeg can open as a file of its own and seek in. JavaCV seeks a
 * stream by resetting it to its mark and skipping, so the mark is a position here, not a buffer: a stream that buffers
 * what it marks would hold the whole rest of the file in memory.
 */
final class FileTail extends InputStream {
    private final RandomAccessFile file;
    private final long offset, end;
    private long position, mark;

    /** The file from {@code offset} up to {@code end} (or its end, if sooner). */
    FileTail(Path file, long offset, long end) throws IOException {
        this.file = new RandomAccessFile(file.toFile(), "r");
        this.offset = offset;
        this.end = end;
    }

    private long left() throws IOException {
        return Math.max(0, Math.min(file.length(), end) - offset - position);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        long left = left();
        if (left == 0) return -1;
        file.seek(offset + position);
        int n = file.read(b, off, (int) Math.min(len, left));
        if (n > 0) position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = Math.max(0, Math.min(n, left()));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, left());
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readLimit) {
        mark = position;
    }

    @Override
    public synchronized void reset() {
        position = mark;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /**
     * Reads up to {@code length} bytes at {@code at} into {@code b}; the count read. A file channel is interruptible: an
     * interrupt of the decoding thread closed it, and the rest of the file read as its end (its audio lost without a
     * word, OggChainFuzzTest); FFmpeg's own reads, and these, do not see interrupts.
     */
    static int read(RandomAccessFile file, long at, byte[] b, int length) throws IOException {
        file.seek(at);
        int n = 0;
        for (int r; n < length && (r = file.read(b, n, length - n)) > 0; ) n += r;
        return n;
    }

    /**
     * A grabber reading a file from {@code offset} on, which closes the file when released. JavaCV closes a stream it
     * was given only when the grabber is released a second time, so each grabber started at a chained Ogg stream left
     * its file open: a file chaining thousands of streams at alternating rates used up the process's descriptors.
     */
    static FFmpegFrameGrabber grabber(Path file, long offset) throws IOException {
        return grabber(file, offset, Long.MAX_VALUE);
    }

    /** A grabber reading the file from {@code offset} up to {@code end}, as {@link #grabber(Path, long)}. */
    static FFmpegFrameGrabber grabber(Path file, long offset, long end) throws IOException {
        FileTail tail = new FileTail(file, offset, end);
        return new FFmpegFrameGrabber(tail, Integer.MAX_VALUE) {
            @Override
            public void release() throws Exception {
                try {
                    super.release();
                } finally {
                    try {
                        tail.close();
                    } catch (IOException e) {
                        throw new Exception("could not close " + file, e);
                    }
                }
            }
        };
    }
}
