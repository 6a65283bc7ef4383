package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Ogg page whose bytes no longer match its checksum is damaged, and FFmpeg's demuxer drops it without a word: found by
 * the fuzz campaign (MediaFuzz), a 2 s Opus file with one byte changed in its first audio page decoded as 1 s, and one
 * with a run of noise over two pages as 12 ms, each answered as a whole recording. Each page of Vorbis, Opus and FLAC in
 * Ogg, changed in its header, its first, middle and last byte, is now refused as corrupt on every path, naming the page
 * where FFmpeg opens the file (a damaged header page it refuses itself); the same
 * change with the page's checksum made right again is not refused for its checksum.
 */
class DamagedOggPageTest {
    private static final Path DIR = TestMediaWriter.DIR.resolve("damaged-ogg");
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    private static List<ArchiveFormatsTest.Case> oggs() {
        return List.of(
                new ArchiveFormatsTest.Case("tone.opus", false, ArchiveFormatsTest.Declares.NOTHING, "-c:a", "libopus", "-f", "opus"),
                new ArchiveFormatsTest.Case("tone-vorbis.ogg", false, ArchiveFormatsTest.Declares.NOTHING,
                        "-c:a", "vorbis", "-strict", "-2", "-ac", "2", "-f", "ogg"),
                new ArchiveFormatsTest.Case("tone-flac.oga", false, ArchiveFormatsTest.Declares.NOTHING, "-c:a", "flac", "-f", "ogg"));
    }

    @Test
    void aPageThatFailsItsChecksumIsRefusedOnEveryPath() throws Exception {
        Files.createDirectories(DIR);
        List<String> quiet = new ArrayList<>();
        int damaged = 0;
        for (ArchiveFormatsTest.Case c : oggs()) {
            byte[] whole = Files.readAllBytes(c.write());
            assertEquals(ArchiveFormatsTest.SECONDS, decoder.decode(c.write()).audioTrack().orElseThrow().durationSeconds(),
                    0.1, c + " whole");
            List<Integer> pages = OggChainFuzzTest.pages(whole);
            assertTrue(pages.size() >= 4, c + " has " + pages.size() + " pages");
            for (int p = 0; p < pages.size(); p++) {
                int at = pages.get(p), end = p + 1 < pages.size() ? pages.get(p + 1) : whole.length;
                for (int offset : new int[]{at + 6, at + 27 + (whole[at + 26] & 0xff), (at + end) / 2, end - 1}) {
                    byte[] b = whole.clone();
                    b[offset] ^= 0x5a;
                    Path file = Files.write(DIR.resolve("page" + p + "-byte" + offset + "-" + c.file()), b);
                    damaged++;
                    for (String path : new String[]{"decode", "stream"}) {
                        try {
                            if (path.equals("decode")) decoder.decode(file);
                            else StreamedAudio.of(file, TimeBudget.UNLIMITED);
                            quiet.add(file.getFileName() + " " + path + ": decoded");
                        } catch (MediaException e) {
                            // FFmpeg refuses a damaged header page itself, before the pages are walked
                            if (e.kind() != Kind.CORRUPT || !e.getMessage().contains("page at byte " + at + " ")
                                    && !e.getMessage().contains("FFmpeg cannot read it"))
                                quiet.add(file.getFileName() + " " + path + ": " + e.getMessage());
                        }
                    }
                    OggChainFuzzTest.recrc(b, at);
                    Path mended = Files.write(DIR.resolve("mended-" + file.getFileName()), b);
                    try {
                        decoder.decode(mended);
                    } catch (MediaException e) {
                        assertTrue(!e.getMessage().contains("checksum"), mended + ": " + e.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), quiet, "damaged pages not refused as corrupt, of " + damaged);
    }
}
