package dev.moodtag.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 16: a huge sidecar costs its bound, not its size. Asserted on what is kept (counts, lengths) and on what is
 * never read; the timeouts only stop a regression to quadratic parsing from hanging the build.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TranscriptBoundsTest {
    static final Path DIR = TestMediaWriter.DIR.resolve("transcript-bounds");
    private final TranscriptLoader loader = new TranscriptLoader();

    @BeforeAll
    static void dir() throws Exception {
        Files.createDirectories(DIR);
    }

    @Test
    void theConfigDefaultsAreTheLimitsUsedOutsideCdi() {
        TranscriptConfig c = new io.smallrye.config.SmallRyeConfigBuilder().withMapping(TranscriptConfig.class).build()
                .getConfigMapping(TranscriptConfig.class);
        assertEquals(TranscriptLimits.DEFAULTS, TranscriptLimits.of(c));
    }

    @Test
    void aHugeTextSidecarIsReadOnlyAsFarAsTheTextEncoderCanUse() throws Exception {
        // 15.5 MB under the 16 MiB limit, with a byte that is not UTF-8 near the end: never reached, never read.
        Path txt = DIR.resolve("huge.txt");
        try (OutputStream out = Files.newOutputStream(txt)) {
            byte[] line = "I am so happy to see you, and this goes on and on.\n".getBytes(StandardCharsets.UTF_8);
            for (long n = 0; n < 15_500_000L; n += line.length) out.write(line);
            out.write(0xFF);
        }
        Transcript t = loader.load(txt);
        assertTrue(t.text().length() <= TranscriptLimits.DEFAULTS.maxTextChars(), "length " + t.text().length());
        assertTrue(t.text().length() > TranscriptLimits.DEFAULTS.maxTextChars() - 60);
        assertTrue(t.text().startsWith("I am so happy to see you, and this goes on and on. I am"));
        assertTrue(t.note().contains("moodtag.transcript.max-text-chars"), t.note());
    }

    /**
     * A text cut at max-text-chars is cut between characters, never inside one: the cut fell between the two halves of
     * a character outside the BMP (an emoji), and the transcript, the result's segment text and the text encoder's
     * input ended with half a surrogate pair, which is no character (the tokenizer drops it; a UTF-8 writer cannot
     * write it).
     */
    @Test
    void aTextCutAtTheLimitKeepsWholeCharacters() throws Exception {
        String emoji = "\uD83D\uDE00";
        TranscriptLimits limits = new TranscriptLimits(1 << 20, 8, 10, 10);
        TranscriptLoader small = new TranscriptLoader(limits);
        Path txt = Files.writeString(DIR.resolve("emoji.txt"), "a" + emoji.repeat(10));
        Path srt = Files.writeString(DIR.resolve("emoji.srt"), "1\n00:00:00,000 --> 00:00:01,000\nx" + emoji.repeat(10) + "\n");
        Path json = Files.writeString(DIR.resolve("emoji.json"), "{\"text\": \"a" + emoji.repeat(10) + "\"}");
        List<String> texts = List.of(small.load(txt).text(), small.load(srt).text(), small.load(srt).segments().get(0).text(),
                small.load(json).text(), small.given(Transcript.inline("a" + emoji.repeat(10))).text(),
                Transcript.inline("x").part(List.of("b" + emoji.repeat(3), emoji.repeat(3)), limits).text());
        for (String t : texts) {
            assertTrue(t.length() <= 8, t);
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                boolean paired = Character.isHighSurrogate(c) ? i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))
                        : !Character.isLowSurrogate(c) || i > 0 && Character.isHighSurrogate(t.charAt(i - 1));
                assertTrue(paired, () -> "half a character at " + t.length() + ": " + t.chars().mapToObj(Integer::toHexString).toList());
            }
        }
        assertEquals("a" + emoji.repeat(3), small.load(txt).text());
    }

    /** Before, a FIFO given as a manifest's transcript_file passed the size check (0 bytes) and its read never returned. */
    @Test
    void aFifoAsTranscriptFileIsRefusedNotWaitedOn() throws Exception {
        Path fifo = DIR.resolve("row.fifo");
        Files.deleteIfExists(fifo);
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        TranscriptResolution r = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                TranscriptChain.standard(TranscriptLimits.DEFAULTS).resolve(new TranscriptRequest(null, null, fifo)));
        assertNull(r.transcript());
        assertTrue(r.whyMissing().contains("row.fifo: " + dev.moodtag.support.NotARegularFile.OTHER), r.whyMissing());
    }

    /** Before, a file with more bytes than its size said (here procfs's, 0 bytes) was read on past max-sidecar-bytes. */
    @Test
    void aFileLongerThanItsSizeSaidIsReadOnlyUpToTheLimit() {
        Path maps = Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "a Linux procfs");
        MediaException e = assertThrows(MediaException.class,
                () -> new TranscriptLoader(new TranscriptLimits(100, 8192, 10, 10)).load(maps));
        assertTrue(e.getMessage().contains("more than moodtag.transcript.max-sidecar-bytes=100"), e.getMessage());
    }

    @Test
    void twoHundredThousandCuesKeepTheCueLimitAndABoundedText() throws Exception {
        Path srt = DIR.resolve("many.srt");
        try (BufferedWriter w = Files.newBufferedWriter(srt)) {
            for (int i = 0; i < 200_000; i++) {
                w.write((i + 1) + "\n" + time(i) + " --> " + time(i + 1) + "\nCue number " + i + " says <i>hello</i>.\n\n");
            }
        }
        Transcript t = loader.load(srt);
        assertEquals(TranscriptLimits.DEFAULTS.maxCues(), t.segments().size());
        assertEquals("Cue number 19999 says hello.", t.segments().get(19_999).text());
        assertTrue(t.text().length() <= TranscriptLimits.DEFAULTS.maxTextChars());
        assertTrue(t.note().contains("moodtag.transcript.max-cues") && t.note().contains("max-text-chars"), t.note());
    }

    @Test
    void cuesUnderTheLimitAreAllKeptWithoutANote() throws Exception {
        TranscriptLoader small = new TranscriptLoader(new TranscriptLimits(1 << 20, 1000, 3, 10));
        Path three = Files.writeString(DIR.resolve("three.vtt"), "WEBVTT\n\n" + cue(0) + cue(1) + cue(2));
        assertNull(small.load(three).note());
        assertEquals(3, small.load(three).segments().size());
        Path four = Files.writeString(DIR.resolve("four.vtt"), "WEBVTT\n\n" + cue(0) + cue(1) + cue(2) + cue(3));
        assertEquals(3, small.load(four).segments().size());
        assertTrue(small.load(four).note().contains("first 3 cues"));
    }

    @Test
    void jsonSegmentsAndWordsStopAtTheirLimits() throws Exception {
        StringBuilder json = new StringBuilder("{\"segments\": [");
        for (int i = 0; i < 50; i++) {
            json.append(i == 0 ? "" : ",").append("{\"start\": ").append(i).append(", \"end\": ").append(i + 1)
                    .append(", \"text\": \"seg ").append(i).append("\", \"words\": [{\"word\": \"seg\", \"start\": ")
                    .append(i).append("}, {\"word\": \"").append(i).append("\"}]}");
        }
        Path file = Files.writeString(DIR.resolve("limits.json"), json.append("]}"));
        Transcript t = new TranscriptLoader(new TranscriptLimits(1 << 20, 30, 20, 7)).load(file);
        assertEquals(20, t.segments().size());
        assertEquals(7, t.words().size());
        assertTrue(t.text().length() <= 30, t.text());
        assertTrue(t.note().contains("max-cues") && t.note().contains("max-words") && t.note().contains("max-text-chars"), t.note());
    }

    /** Tag stripping was a regular expression that backtracks: quadratic on a cue of unclosed '<'. */
    @Test
    void aCueOfUnclosedTagsIsParsedInOnePass() throws Exception {
        String opens = "<".repeat(2_000_000) + "{\\".repeat(1_000_000);
        Path srt = Files.writeString(DIR.resolve("unclosed.srt"), "1\n00:00:00,000 --> 00:00:01,000\n" + opens + "\n");
        Transcript t = loader.load(srt);
        assertEquals(1, t.segments().size());
        assertEquals(TranscriptLimits.DEFAULTS.maxTextChars(), t.segments().get(0).text().length(), "kept as text, cut");
        assertTrue(t.segments().get(0).text().startsWith("<<<<"));
    }

    @Test
    void tagsAreStrippedAndUnclosedMarksKept() {
        assertEquals("Kids are talking", CueParser.clean("<v Ann>Kids</v> are <b>talking</b>"));
        assertEquals("a < b", CueParser.clean("a < b"));
        assertEquals("x y", CueParser.clean("{\\an8}x {\\i1}y"));
        assertEquals("1 <2 {\\ 3", CueParser.clean("1 <2 {\\ 3"));
        assertEquals("Dogs & cats <3", CueParser.clean("Dogs &amp; cats &lt;3"));
    }

    /** Subtitle exports write apostrophes and quotes as entities: "I&#39;m" reached the text encoder as markup. */
    @Test
    void numericAndQuoteEntitiesAreTheirCharacters() {
        assertEquals("I'm \"so\" happy \u2019 \uD83D\uDE00", CueParser.clean("I&#39;m &quot;so&quot; happy &#x2019; &#128512;"));
        assertEquals("it's", CueParser.clean("it&apos;s"));
        // one pass: an escaped entity stays an entity's text; what is no entity stays as written
        assertEquals("&lt; &#39; &#0; &#xD800; &#99999999; &bogus; & ; &#; &#x;", CueParser.clean(
                "&amp;lt; &amp;#39; &#0; &#xD800; &#99999999; &bogus; & ; &#; &#x;"));
    }

    @Test
    void aCueOfAmpersandsIsParsedInOnePass() throws Exception {
        Path srt = Files.writeString(DIR.resolve("ampersands.srt"), "1\n00:00:00,000 --> 00:00:01,000\n"
                + "&".repeat(4_000_000) + "\n");
        Transcript t = loader.load(srt);
        assertEquals(TranscriptLimits.DEFAULTS.maxTextChars(), t.segments().get(0).text().length(), "kept as text, cut");
    }

    /**
     * Fuzz: mutated subtitles and JSON either load (bounded) or are a BAD_TRANSCRIPT, never another exception; through
     * the chain they are never an exception at all.
     */
    @Test
    void mutatedSidecarsAreATranscriptOrAReasonNeverACrash() throws Exception {
        Random random = new Random(13);
        String[] seeds = {
                "WEBVTT\n\n00:00.100 --> 00:00.300\n<v Ann>Kids</v>\n\nNOTE x\n\n01:02:03.5 --> 01:02:04.250 align:start\nDogs\n",
                "1\n00:00:01,030 --> 00:00:02,200\n<i>Kids</i>\n\n2\n00:00:02,500 --> 00:00:03,000\n{\\an8}Really?\n",
                "{\"segments\": [{\"start\": 1.0, \"end\": 1.9, \"text\": \"Kids\", \"words\": [{\"word\": \"Kids\", \"start\": 1}]}]}",
                "{\"text\": \"Kids are talking\"}"};
        String[] exts = {"vtt", "srt", "json", "json"};
        String[] inserts = {"99999999999999999999:", "-->", "\n\n", "\uFEFF", "<", "{\\", "1e999", "-1", "\"", "null",
                "\r", "\u0000", "99:99:99,9999", "NaN", "]", "}", "WEBVTT", ":"};
        TranscriptLoader small = new TranscriptLoader(new TranscriptLimits(1 << 16, 64, 5, 5));
        TranscriptChain chain = TranscriptChain.standard(new TranscriptLimits(1 << 16, 64, 5, 5));
        int loaded = 0, refused = 0;
        for (int i = 0; i < 600; i++) {
            int s = i % seeds.length;
            StringBuilder b = new StringBuilder(seeds[s]);
            for (int m = 0, n = 1 + random.nextInt(4); m < n; m++) {
                int at = random.nextInt(b.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> b.insert(at, inserts[random.nextInt(inserts.length)]);
                    case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(6)));
                    default -> b.insert(at, (char) random.nextInt(0x80));
                }
            }
            Path f = Files.writeString(DIR.resolve("fuzz-" + i + "." + exts[s]), b);
            try {
                Transcript t = small.load(f);
                assertTrue(t.text().length() <= 64 && t.segments().size() <= 5 && t.words().size() <= 5);
                for (Transcript.Segment c : t.segments())
                    assertTrue(Double.isFinite(c.startSeconds()) && c.startSeconds() >= 0 && c.text().length() <= 64, c::toString);
                loaded++;
            } catch (MediaException e) {
                assertEquals(MediaException.Kind.BAD_TRANSCRIPT, e.kind(), e::getMessage);
                refused++;
            }
            TranscriptResolution r = assertDoesNotThrow(() -> chain.resolve(new TranscriptRequest(null, null, f)));
            assertTrue(r.transcript() != null || r.whyMissing().contains(f.getFileName().toString()), r::toString);
            Files.delete(f);
        }
        assertTrue(loaded > 50 && refused > 50, "the grid reaches both outcomes: " + loaded + " loaded, " + refused + " refused");
    }

    private static String cue(int i) {
        return time(i).replace(',', '.') + " --> " + time(i + 1).replace(',', '.') + "\ncue " + i + "\n\n";
    }

    /** hh:mm:ss,000 (without String.format: 400,000 of these are written). */
    private static String time(int s) {
        return two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) + ",000";
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
