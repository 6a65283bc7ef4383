package dev.moodtag.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How an Ogg file (Vorbis, Opus, FLAC or Theora in Ogg) ends. Ogg declares no length: FFmpeg reads the duration from
 * the last page there is, so a cut file declares exactly what it holds and decoded as a shorter, complete recording (a
 * voice note cut at a quarter gave its first 2 s of 8 as the whole). But every writer closes a stream with a page
 * flagged end-of-stream, so a file whose last page is incomplete or lacks the flag was cut short.
 */
enum OggEnding {
    /** Not Ogg, or an ending this check cannot read: no verdict, FFmpeg and the decoded length decide. */
    UNKNOWN,
    /** The file ends with a whole page flagged end-of-stream. */
    COMPLETE,
    /** The last page runs past the end of the file. */
    CUT_INSIDE_A_PAGE,
    /** The file ends at a page boundary, but no stream was closed there. */
    NO_END_OF_STREAM;

    private static final int HEADER = 27;
    private static final int END_OF_STREAM = 0x04;
    /** Pages walked at most (a 2 GB file of 4 kB pages has half a million); beyond, no verdict. */
    private static final int MAX_PAGES = 2_000_000;

    /**
     * Walks the pages from the start by their own lengths, so a capture pattern inside a page's data is never taken
     * for a page.
     */
    static OggEnding of(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long at = 0;
            int flags = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER + 255);
            for (int page = 0; page < MAX_PAGES; page++) {
                if (at == size) return page > 0 && (flags & END_OF_STREAM) != 0 ? COMPLETE : page > 0 ? NO_END_OF_STREAM : UNKNOWN;
                header.clear();
                while (header.hasRemaining() && ch.read(header, at + header.position()) >= 0) {
                }
                header.flip();
                // A few bytes of a next page's capture pattern are a cut too; anything else after the pages is not ours.
                if (!isCapture(header, 0)) return page > 0 && isCapturePrefix(header) ? CUT_INSIDE_A_PAGE : UNKNOWN;
                if (header.limit() < HEADER) return CUT_INSIDE_A_PAGE;
                int segments = header.get(26) & 0xff;
                if (header.limit() < HEADER + segments) return CUT_INSIDE_A_PAGE;
                long length = HEADER + segments;
                for (int i = 0; i < segments; i++) length += header.get(HEADER + i) & 0xff;
                if (at + length > size) return CUT_INSIDE_A_PAGE;
                flags = header.get(5);
                at += length;
            }
            return UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN; // unreadable here means FFmpeg will say what is wrong
        }
    }

    /** "OggS" and stream structure version 0. */
    private static boolean isCapture(ByteBuffer b, int at) {
        return b.limit() >= at + 5 && b.get(at) == 'O' && b.get(at + 1) == 'g' && b.get(at + 2) == 'g'
                && b.get(at + 3) == 'S' && b.get(at + 4) == 0;
    }

    private static boolean isCapturePrefix(ByteBuffer b) {
        byte[] capture = {'O', 'g', 'g', 'S', 0};
        if (b.limit() >= capture.length) return false;
        for (int i = 0; i < b.limit(); i++) if (b.get(i) != capture[i]) return false;
        return true;
    }
}
