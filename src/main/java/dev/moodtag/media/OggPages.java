package dev.moodtag.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * An Ogg file's pages, walked from the start by their own lengths, so a capture pattern inside a page's data is never
 * taken for a page. Read a window at a time: read page by page, a file of 2,000,000 empty pages (54 MB) took 2 s of
 * reads at every open, before any budget is checked. Read through a {@link FileWindow}, which an interrupt of the
 * decoding thread does not close, as FFmpeg's own reads are not, and which checks the object's budget before each window.
 */
final class OggPages {
    private OggPages() {
    }

    static final int HEADER = 27;
    /** Pages walked at most (a 2 GB file of 4 kB pages has half a million); beyond, the walk ends with {@link End#PAGE_LIMIT}. */
    static final int MAX_PAGES = 2_000_000;
    /** What a visitor sees of each page: its header, its segment table and the start of its first packet. */
    private static final int SEEN = HEADER + 255 + 64;

    /** How a walk ended. */
    enum End {
        /** At the end of the file, after a whole page (or at its start, for an empty file). */
        FILE_END,
        /** At bytes that are no page ("OggS", version 0); {@link Walk#capturePrefixLeft} says whether they begin one. */
        NOT_A_PAGE,
        /** The last page's header, segment table or data runs past the end of the file. */
        CUT_INSIDE_A_PAGE,
        /** After {@link #MAX_PAGES} pages. */
        PAGE_LIMIT,
        /** At a whole page whose bytes do not match its checksum, where the walk checks them. */
        DAMAGED_PAGE
    }

    /**
     * @param pages             the whole pages walked (a page cut inside is visited when its header and segment table
     *                          are whole, and not counted)
     * @param capturePrefixLeft for {@link End#NOT_A_PAGE}: the file ends with fewer than 5 bytes that begin a capture
     * @param at                where the walk ended: the file's length, or where the page or bytes that ended it start
     */
    record Walk(End end, int pages, boolean capturePrefixLeft, long at) {
    }

    /** One page: where it starts, what {@link #SEEN} of it is in the file (little-endian), and its whole length. */
    interface Visitor {
        void page(long at, ByteBuffer page, long length);
    }

    /**
     * {@link #walk(Path, TimeBudget, boolean, Visitor)} with no budget and no checksums (the check of how a file ends,
     * before it is opened, on every path, the probe's included).
     */
    static Walk walk(Path file, Visitor visitor) throws IOException {
        return walk(file, TimeBudget.UNLIMITED, false, visitor);
    }

    /**
     * The walk, each window read once {@code budget} has been checked ({@link FileWindow}); with {@code checksums}, it
     * ends at the first whole page whose bytes do not match its checksum ({@link End#DAMAGED_PAGE}): FFmpeg's demuxer
     * drops such a page without a word, and its audio with it.
     */
    static Walk walk(Path file, TimeBudget budget, boolean checksums, Visitor visitor) throws IOException {
        try (FileWindow window = new FileWindow(file, budget)) {
            long size = window.size(), at = 0;
            for (int n = 0; n < MAX_PAGES; n++) {
                if (at >= size) return new Walk(End.FILE_END, n, false, at);
                int from = window.at(at, SEEN);
                ByteBuffer page = ByteBuffer.wrap(window.bytes(), from, Math.min(SEEN, window.after(at))).slice()
                        .order(ByteOrder.LITTLE_ENDIAN);
                if (!isCapture(page)) return new Walk(End.NOT_A_PAGE, n, isCapturePrefix(page), at);
                if (page.limit() < HEADER) return new Walk(End.CUT_INSIDE_A_PAGE, n, false, at);
                int segments = page.get(26) & 0xff;
                if (page.limit() < HEADER + segments) return new Walk(End.CUT_INSIDE_A_PAGE, n, false, at);
                long length = HEADER + segments;
                for (int i = 0; i < segments; i++) length += page.get(HEADER + i) & 0xff;
                visitor.page(at, page, length);
                if (at + length > size) return new Walk(End.CUT_INSIDE_A_PAGE, n, false, at);
                // a page (at most 65,307 bytes) fits in a window, read again from the page where it does not hold it
                if (checksums && !checksumHolds(window.bytes(), window.at(at, (int) length), (int) length))
                    return new Walk(End.DAMAGED_PAGE, n, false, at);
                at += length;
            }
            return new Walk(End.PAGE_LIMIT, MAX_PAGES, false, at);
        }
    }

    /** Where a page keeps its checksum: four bytes, little-endian, counted as zeros in the sum. */
    private static final int CHECKSUM_AT = 22;
    /** CRC-32 with the generator polynomial 0x04c11db7, unreflected, from 0 and not inverted: Ogg's (RFC 3533). */
    private static final int[] CRC = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int j = 0; j < 8; j++) r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
            CRC[i] = r;
        }
    }

    /** The checksum of the page of {@code length} bytes at {@code from}, as its writer computes it. */
    static int checksum(byte[] b, int from, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            int v = i >= CHECKSUM_AT && i < CHECKSUM_AT + 4 ? 0 : b[from + i];
            crc = (crc << 8) ^ CRC[((crc >>> 24) ^ v) & 0xff];
        }
        return crc;
    }

    private static boolean checksumHolds(byte[] b, int from, int length) {
        int kept = ByteBuffer.wrap(b, from + CHECKSUM_AT, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return kept == checksum(b, from, length);
    }

    /** "OggS" and stream structure version 0. */
    private static boolean isCapture(ByteBuffer b) {
        return b.limit() >= 5 && b.get(0) == 'O' && b.get(1) == 'g' && b.get(2) == 'g' && b.get(3) == 'S' && b.get(4) == 0;
    }

    private static boolean isCapturePrefix(ByteBuffer b) {
        byte[] capture = {'O', 'g', 'g', 'S', 0};
        if (b.limit() >= capture.length) return false;
        for (int i = 0; i < b.limit(); i++) if (b.get(i) != capture[i]) return false;
        return true;
    }
}
