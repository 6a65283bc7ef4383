package dev.moodtag.support;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a stream through until more than {@code limit} bytes have gone by, then stops with what the caller says: a
 * file that grows after its size was checked, or an object far larger than anything its reader expects, is not read
 * on. Skipped bytes count as read.
 */
public final class LimitedInputStream extends FilterInputStream {

    /** What a read past the limit does: throw, saying how much was read. */
    @FunctionalInterface
    public interface Past {
        void reached(long read) throws IOException;
    }

    private final long limit;
    private final Past past;
    private long read;

    public LimitedInputStream(InputStream in, long limit, Past past) {
        super(in);
        this.limit = limit;
        this.past = past;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) count(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) count(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) count(skipped);
        return skipped;
    }

    /** Bytes read (and skipped) so far. */
    public long bytesRead() {
        return read;
    }

    private void count(long n) throws IOException {
        read += n;
        if (read > limit) past.reached(read);
    }
}
