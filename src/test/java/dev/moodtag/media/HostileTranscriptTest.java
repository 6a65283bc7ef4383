package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sidecars found wrong by the transcript fuzz campaign ({@code bench/text-fuzz.sh}): each a clear reason, not a guess. */
class HostileTranscriptTest {
    private final TranscriptLoader loader = new TranscriptLoader();

    @TempDir
    Path dir;

    private static final String SRT = "1\n00:00:01,000 --> 00:00:02,000\nhello there\n\n2\n00:00:02,500 --> 00:00:03,000\nsecond\n";
    private static final String VTT = "WEBVTT\n\n00:01.000 --> 00:02.000\nhello there\n";

    private static byte[] utf32le(String s) {
        byte[] out = new byte[s.length() * 4];
        for (int i = 0; i < s.length(); i++) out[4 * i] = (byte) s.charAt(i);
        return out;
    }

    /**
     * Text saved as UTF-16 or UTF-32 without a byte-order mark has a NUL beside every ASCII letter, which is valid UTF-8:
     * a .txt was read as "h\0e\0l\0l\0o\0" and a .srt or .vtt was refused for its timing or header, not its encoding.
     */
    @Test
    void textWithNulCharactersIsRefusedAsUtf16Or32WithoutAMark() throws Exception {
        record Variant(String name, byte[] bytes) {
        }
        Charset le = StandardCharsets.UTF_16LE, be = StandardCharsets.UTF_16BE;
        byte[] bom32 = {(byte) 0xFF, (byte) 0xFE, 0, 0};
        byte[] utf32Body = utf32le("hello there");
        byte[] utf32WithMark = new byte[4 + utf32Body.length];
        System.arraycopy(bom32, 0, utf32WithMark, 0, 4);
        System.arraycopy(utf32Body, 0, utf32WithMark, 4, utf32Body.length);
        for (Variant v : new Variant[]{
                new Variant("le.txt", "hello there".getBytes(le)), new Variant("be.txt", "hello there".getBytes(be)),
                new Variant("le.srt", SRT.getBytes(le)), new Variant("be.srt", SRT.getBytes(be)),
                new Variant("le.vtt", VTT.getBytes(le)), new Variant("le.json", "{\"text\": \"hi\"}".getBytes(le)),
                new Variant("32.txt", utf32le("hello there")), new Variant("32mark.txt", utf32WithMark),
                new Variant("one.txt", "hello\0there".getBytes(StandardCharsets.UTF_8))}) {
            Path f = Files.write(dir.resolve(v.name()), v.bytes());
            MediaException e = assertThrows(MediaException.class, () -> loader.load(f), v.name());
            assertEquals(MediaException.Kind.BAD_TRANSCRIPT, e.kind(), v.name());
            assertTrue(e.getMessage().contains("NUL") && e.getMessage().contains("without a byte-order mark"),
                    v.name() + ": " + e.getMessage());
        }
        // a NUL spelt as a JSON escape is a character of the text, not a sign of the file's encoding
        Path escaped = Files.writeString(dir.resolve("escaped.json"), "{\"text\": \"a\\u0000b\"}");
        assertEquals("a\0b", loader.load(escaped).text());
    }
}
