package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A sidecar that starts with more than one byte-order mark (a tool that added one to a file that had one, two files
 * joined) reads as the same text with one, in every format: no U+FEFF goes to the text encoder.
 */
class RepeatedByteOrderMarkTest {
    @TempDir
    Path tmp;

    /**
     * One, two or three marks more before the text, in UTF-8 and in UTF-16 either way round, in every format: the text
     * is the unmarked file's, with no U+FEFF left in it.
     */
    @Test
    void repeatedByteOrderMarksAreReadPast() throws Exception {
        Map<String, String> bodies = Map.of("txt", "Hello there.", "srt", "1\n00:00:00,000 --> 00:00:01,000\nHello there.\n",
                "vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello there.\n", "json", "{\"text\": \"Hello there.\"}");
        TranscriptLoader loader = new TranscriptLoader();
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (String ext : TranscriptLoader.SIDECAR_EXTENSIONS) {
            Transcript plain = loader.load(Files.writeString(tmp.resolve("plain." + ext), bodies.get(ext)));
            for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                for (int extra = 1; extra <= 3; extra++) {
                    cases++;
                    byte[] b = (("\uFEFF".repeat(1 + extra) + bodies.get(ext)).getBytes(cs));
                    Path f = Files.write(tmp.resolve("marked-" + cases + "." + ext), b);
                    try {
                        Transcript t = loader.load(f);
                        if (!t.text().equals(plain.text()) || !t.segments().equals(plain.segments()))
                            wrong.add(ext + " " + cs + " +" + extra + ": read as " + t.text().replace("\uFEFF", "<FEFF>"));
                    } catch (MediaException e) {
                        wrong.add(ext + " " + cs + " +" + extra + ": refused: " + e.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases + " marked sidecars not read as their text");
    }

    /** A mark within the text is the text's, and marks alone read as the empty file does. */
    @Test
    void onlyLeadingMarksAreDropped() throws Exception {
        TranscriptLoader loader = new TranscriptLoader();
        Transcript empty = loader.load(Files.writeString(tmp.resolve("empty.txt"), ""));
        assertEquals(empty.text(), loader.load(Files.writeString(tmp.resolve("marks.txt"), "\uFEFF\uFEFF\uFEFF")).text());
        String inner = loader.load(Files.writeString(tmp.resolve("inner.txt"), "\uFEFF\uFEFFa\uFEFFb")).text();
        assertEquals("a\uFEFFb", inner);
    }
}
