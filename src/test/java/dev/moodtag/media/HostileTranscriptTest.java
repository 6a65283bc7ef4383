package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    /**
     * Minutes and seconds run to 59: a cue at "00:99:01,000" (a slip of the keyboard, a counter written where a clock
     * belongs) was placed 99 minutes in, its text given to whatever segment lay there, or to none.
     */
    @Test
    void aTimingWithMinutesOrSecondsPast59IsRefusedNamingTheCue() throws Exception {
        int refused = 0;
        for (String ext : new String[]{"srt", "vtt"}) {
            String mark = ext.equals("vtt") ? "." : ",";
            for (String bad : new String[]{"00:60:00", "00:99:01", "00:00:60", "00:00:99", "99:00", "60:00", "00:75", "01:60:59"}) {
                for (boolean atStart : new boolean[]{true, false}) {
                    String good = atStart ? "100:00:00" : "00:00:00";
                    String timing = atStart ? bad + mark + "000 --> " + good + mark + "000"
                            : good + mark + "000 --> " + bad + mark + "000";
                    String body = (ext.equals("vtt") ? "WEBVTT\n\n" : "")
                            + "1\n00:00:00" + mark + "000 --> 00:00:01" + mark + "000\nfirst\n\n2\n" + timing + "\nsecond\n";
                    Path f = Files.writeString(dir.resolve("range." + ext), body);
                    MediaException e = assertThrows(MediaException.class, () -> loader.load(f), body);
                    assertTrue(e.getMessage().contains("cue 2 ") && e.getMessage().contains(bad + mark + "000")
                            && e.getMessage().contains("59"), e.getMessage());
                    refused++;
                }
            }
            // 59 and any number of hours are a clock
            String body = (ext.equals("vtt") ? "WEBVTT\n\n" : "") + "1\n00:59:59" + mark + "999 --> 123456:59:59" + mark + "000\nok\n";
            Transcript t = loader.load(Files.writeString(dir.resolve("edge." + ext), body));
            assertEquals(3599.999, t.segments().get(0).startSeconds(), 1e-9);
            assertEquals(123456 * 3600.0 + 3599, t.segments().get(0).endSeconds(), 1e-6);
        }
        assertEquals(32, refused);
    }

    /**
     * A cue that ends before it starts (its times swapped, or a typo in one) was kept: its text counted for the whole
     * utterance, but a timeline drops every cue without length, so in a timeline it was lost without a word.
     */
    @Test
    void aCueEndingBeforeItStartsIsRefusedNamingIt() throws Exception {
        String srt = "1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n2\n00:00:05,000 --> 00:00:01,000\nsecond\n";
        String vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nfirst\n\n00:05.000 --> 00:04.999\nsecond\n";
        String json = "{\"segments\": [{\"start\": 1, \"end\": 2, \"text\": \"first\"},"
                + " {\"end\": 1, \"start\": 5, \"text\": \"second\"}]}";
        for (String[] c : new String[][]{{"srt", srt, "cue 2"}, {"vtt", vtt, "cue 2"}, {"json", json, "segment 1"}}) {
            Path f = Files.writeString(dir.resolve("reversed." + c[0]), c[1]);
            MediaException e = assertThrows(MediaException.class, () -> loader.load(f), c[0]);
            assertEquals(MediaException.Kind.BAD_TRANSCRIPT, e.kind());
            assertTrue(e.getMessage().contains(c[2] + " ends at ") && e.getMessage().contains("before it starts"),
                    e.getMessage());
        }
        Path huge = Files.writeString(dir.resolve("huge.json"), "{\"segments\": [{\"start\": 1e300, \"end\": 1, \"text\": \"x\"}]}");
        MediaException e = assertThrows(MediaException.class, () -> loader.load(huge));
        assertTrue(e.getMessage().contains("segment 0 ends at 1.000 s, before it starts at 1.000e+300 s"), e.getMessage());
        // an instant (start = end) is no reversal
        Transcript t = loader.load(Files.writeString(dir.resolve("instant.srt"), "1\n00:00:01,000 --> 00:00:01,000\nnow\n"));
        assertEquals("now", t.text());
    }

    /**
     * A timing line begins a cue wherever it stands, as WebVTT's parser reads it: cues run together without their blank
     * line were one cue whose text held the next one's number and timing ("Hello there 2 00:00:01,000 --> ..."), and a
     * cue right after the WEBVTT line or a NOTE's first line was skipped with the header or the note.
     */
    @Test
    void aTimingLineWithoutABlankLineBeforeItBeginsACue() throws Exception {
        List<Transcript.Segment> two = List.of(new Transcript.Segment(0, 1, "Hello there"), new Transcript.Segment(1, 2, "second"));
        String[][] cases = {
                {"srt", "1\n00:00:00,000 --> 00:00:01,000\nHello there\n2\n00:00:01,000 --> 00:00:02,000\nsecond\n"},
                {"srt", "1\r\n00:00:00,000 --> 00:00:01,000\r\nHello\r\nthere\r\n00:00:01,000 --> 00:00:02,000\r\nsecond\r\n"},
                {"vtt", "WEBVTT\n00:00.000 --> 00:01.000\nHello there\n\n00:01.000 --> 00:02.000\nsecond\n"},
                {"vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHello there\n00:01.000 --> 00:02.000\nsecond\n"},
                {"vtt", "WEBVTT\n\nNOTE made by hand\n00:00.000 --> 00:01.000\nHello there\n\nid\n00:01.000 --> 00:02.000\nsecond\n"}};
        for (String[] c : cases) {
            Transcript t = loader.load(Files.writeString(dir.resolve("together." + c[0]), c[1]));
            assertEquals(two, t.segments(), c[1]);
            assertEquals("Hello there second", t.text(), c[1]);
        }
        // a line of text that only mentions an arrow is text, and a number line before a timing is that cue's number
        Transcript arrow = loader.load(Files.writeString(dir.resolve("arrow.srt"),
                "1\n00:00:00,000 --> 00:00:01,000\nthis --> that\n12\n\n"));
        assertEquals("this --> that 12", arrow.text());
        // cues run together still stop at max-cues, saying so
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 30; i++) many.append(i + 1).append("\n00:00:0").append(i % 10).append(",000 --> 00:00:0")
                .append(i % 10).append(",500\nc").append(i).append('\n');
        Transcript bounded = new TranscriptLoader(new TranscriptLimits(1 << 20, 8192, 5, 5))
                .load(Files.writeString(dir.resolve("many.srt"), many));
        assertEquals(5, bounded.segments().size());
        assertEquals("c0 c1 c2 c3 c4", bounded.text());
        assertTrue(bounded.note().contains("only the first 5 cues kept"), bounded.note());
    }

    /**
     * Only CR, LF and CR LF end a line in WebVTT (and in SubRip as players read it): U+0085 (NEL), U+2028 and U+2029 in
     * a timing line's settings are characters of the settings, and the cue is read with its times. Before, Java's
     * {@code .} stopped at them and every such cue was refused as "has no valid timing line": 24 of this grid's 24.
     * Between the times they are no whitespace (WebVTT skips only space, tab, LF, FF and CR there), and a digit, '.',
     * ',' or ':' right after the end time makes it another time: each is still refused naming the cue.
     */
    @Test
    void lineSeparatorsInATimingLinesSettingsAreSettingsNotLineEnds() throws Exception {
        List<String> wrong = new java.util.ArrayList<>();
        int n = 0;
        for (String ext : new String[]{"srt", "vtt"}) {
            String mark = ext.equals("vtt") ? "." : ",";
            String head = ext.equals("vtt") ? "WEBVTT\n\n" : "1\n";
            for (String sep : new String[]{"\u0085", "\u2028", "\u2029"}) {
                for (String settings : new String[]{" align:start" + sep + "line:0", " " + sep, sep + "align:start",
                        " position:10%" + sep}) {
                    String body = head + "00:00:01" + mark + "000 --> 00:00:02" + mark + "500" + settings + "\nhello there\n";
                    Path f = Files.writeString(dir.resolve("sep" + n++ + "." + ext), body);
                    try {
                        Transcript t = loader.load(f);
                        if (!t.segments().equals(List.of(new Transcript.Segment(1.0, 2.5, "hello there"))))
                            wrong.add(ext + " " + escaped(settings) + ": read as " + t.segments());
                    } catch (MediaException e) {
                        wrong.add(ext + " " + escaped(settings) + ": refused: " + e.getMessage());
                    }
                }
            }
            for (String bad : new String[]{"00:00:01" + mark + "000\u2028--> 00:00:02" + mark + "500",
                    "00:00:01" + mark + "000 -->\u0085 00:00:02" + mark + "500", "00:00:01" + mark + "000 --> 00:00:02" + mark + "5000",
                    "00:00:01" + mark + "000 --> 00:00:02" + mark + "500" + mark + "5", "00:00:01" + mark + "000 --> 00:00:02" + mark + "500:7"}) {
                Path f = Files.writeString(dir.resolve("bad" + n++ + "." + ext), head + bad + "\nhello there\n");
                MediaException e = assertThrows(MediaException.class, () -> loader.load(f), ext + " " + escaped(bad));
                assertTrue(e.getMessage().contains("cue 1 has no valid timing line"), e.getMessage());
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of 24 wrong");
    }

    private static String escaped(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7E ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
