package dev.moodtag.media;

import java.io.IOException;
import java.nio.file.Path;

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

    private static final int END_OF_STREAM = 0x04;

    /** Walks the pages ({@link OggPages}) and reads the last one's flags. */
    static OggEnding of(Path file) {
        try {
            int[] flags = {0};
            OggPages.Walk walk = OggPages.walk(file, (at, page, length) -> flags[0] = page.get(5));
            return switch (walk.end()) {
                case FILE_END -> walk.pages() == 0 ? UNKNOWN : (flags[0] & END_OF_STREAM) != 0 ? COMPLETE : NO_END_OF_STREAM;
                // A few bytes of a next page's capture pattern are a cut too; anything else after the pages is not ours.
                case NOT_A_PAGE -> walk.pages() > 0 && walk.capturePrefixLeft() ? CUT_INSIDE_A_PAGE : UNKNOWN;
                case CUT_INSIDE_A_PAGE -> CUT_INSIDE_A_PAGE;
                case PAGE_LIMIT, DAMAGED_PAGE -> UNKNOWN; // this walk does not check checksums
            };
        } catch (IOException e) {
            return UNKNOWN; // unreadable here means FFmpeg will say what is wrong
        }
    }
}
