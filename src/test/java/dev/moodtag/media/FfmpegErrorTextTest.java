package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FFmpeg's error text reaches result documents, HTTP answers, logs and batch reports: it must be FFmpeg's words and
 * nothing else. It was read as the whole 64-byte buffer, so it carried a NUL and the buffer's leftover memory.
 */
class FfmpegErrorTextTest {

    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    @TempDir
    Path dir;

    @Test
    void theReasonIsFfmpegsWordsUpToTheirEnd() {
        // AVERROR_INVALIDDATA, AVERROR(ENOENT), AVERROR_EOF, as JavaCV words its exceptions
        assertEquals("Invalid data found when processing input",
                FfmpegErrors.reason("avformat_open_input() error -1094995529: Could not open input \"/tmp/x\"."));
        assertEquals("No such file or directory", FfmpegErrors.reason("av_read_frame() error -2: x"));
        assertEquals("End of file", FfmpegErrors.reason("error -541478725"));
        for (int code = -1; code > -200; code--) assertPrintable(FfmpegErrors.reason("error " + code), "code " + code);
        assertEquals("unknown FFmpeg error", FfmpegErrors.reason("error -99999999999999999999"));
    }

    @Test
    void nativeTextKeepsOnlyPrintableCharacters() {
        assertEquals("Invalid data", FfmpegErrors.printable("Invalid data\u0000\u0001"));
        assertEquals("ab", FfmpegErrors.printable("a\u0000\u007f\u009b\uFFFD\ud800b\n"));
        assertEquals("Données invalides", FfmpegErrors.printable("Données invalides"));
    }

    /** Random bytes of random lengths, under names of common containers: whatever FFmpeg says, only its words. */
    @Test
    void randomBytesGiveAPrintableReason() throws Exception {
        String[] names = {"clip.mp4", "clip.mkv", "photo.jpg", "voice.wav", "clip.ts", "song.mp3", "blob.bin", "noext"};
        List<String> reasons = new ArrayList<>();
        for (int seed = 0; seed < 160; seed++) {
            Random random = new Random(seed);
            byte[] bytes = new byte[1 + random.nextInt(seed % 2 == 0 ? 64 : 64 * 1024)];
            random.nextBytes(bytes);
            Path file = Files.write(dir.resolve(seed + "-" + names[seed % names.length]), bytes);
            try {
                decoder.decode(file);
            } catch (MediaException e) {
                assertPrintable(e.getMessage(), "seed " + seed);
                assertTrue(!e.getMessage().contains(dir.toString()), "no scratch path: " + e.getMessage());
                reasons.add(e.getMessage());
            }
            Files.delete(file);
        }
        assertTrue(reasons.size() > 100, "most random files are refused: " + reasons.size());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("(Invalid data found when processing input)")), reasons.get(0));
    }

    static void assertPrintable(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            assertTrue(!Character.isISOControl(c) && c != '\uFFFD' && !Character.isSurrogate(c),
                    what + ": character " + (int) c + " at " + i + " in \"" + text + "\"");
        }
    }
}
