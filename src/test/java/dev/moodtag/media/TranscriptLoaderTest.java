package dev.moodtag.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.junit.jupiter.api.Assertions.*;

/** Sidecar transcripts: plain text, WebVTT, SubRip and JSON, found beside the media; inline text wins. */
class TranscriptLoaderTest {
    static final Path DIR = TestMediaWriter.DIR.resolve("transcripts");
    private static Path wav;
    private final TranscriptLoader loader = new TranscriptLoader();
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    @BeforeAll
    static void generate() throws Exception {
        Files.createDirectories(DIR);
        wav = GeneratedContainersTest.audioOnly("wav", AV_CODEC_ID_PCM_S16LE, 16_000, 1).seconds(0.5)
                .write("transcript-media.wav");
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(DIR.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** A fresh media file with the given sidecar beside it. */
    private static Path mediaWithSidecar(String base, String ext, String content) throws Exception {
        Path media = Files.copy(wav, DIR.resolve(base + ".wav"), StandardCopyOption.REPLACE_EXISTING);
        file(base + "." + ext, content);
        return media;
    }

    @Test
    void webVttCuesKeepTheirTimesAndLoseTheirTags() throws Exception {
        Transcript t = loader.load(file("talk.vtt", """
                WEBVTT - an interview

                NOTE this block is a comment
                and spans two lines

                intro
                00:00:01.030 --> 00:00:02.200 align:start position:10%
                <v Speaker 1>Kids are <b>talking</b>
                by the door.</v>

                01:02:03.5 --> 01:02:04.250
                Dogs &amp; cats &lt;3
                """));
        assertEquals(List.of(
                new Transcript.Segment(1.03, 2.2, "Kids are talking by the door."),
                new Transcript.Segment(3723.5, 3724.25, "Dogs & cats <3")), t.segments());
        assertEquals("Kids are talking by the door. Dogs & cats <3", t.text());
        assertEquals("talk.vtt", t.origin());
    }

    /**
     * WebVTT's signature is the word alone or followed by a space or a tab (and then anything): "WEBVTTX" or
     * "WEBVTT-1" is no WebVTT file, as browsers' parsers judge it.
     */
    @Test
    void webVttSignatureIsTheWordAloneOrFollowedBySpaceOrTab() throws Exception {
        String cue = "\n\n00:00.100 --> 00:00.400\nHello there.\n";
        for (String header : List.of("WEBVTT", "WEBVTT ", "WEBVTT\t", "WEBVTT - an interview", "WEBVTT\tnotes",
                "\uFEFFWEBVTT")) {
            assertEquals("Hello there.", loader.load(file("good.vtt", header + cue)).text(), header);
        }
        for (String header : List.of("WEBVTTX", "WEBVTT-1", "WEBVTT:", "WEBVTT\u00A0x", "WEBVTTT", " WEBVTT", "webvtt",
                "WEBVT", "")) {
            MediaException e = assertThrows(MediaException.class, () -> loader.load(file("bad.vtt", header + cue)),
                    header);
            assertEquals(MediaException.Kind.BAD_TRANSCRIPT, e.kind(), header);
            assertTrue(e.getMessage().contains("must start with WEBVTT"), e.getMessage());
        }
    }

    @Test
    void subRipCuesWithCrlfAndABom() throws Exception {
        Transcript t = loader.load(file("talk.srt", "\uFEFF1\r\n00:00:01,030 --> 00:00:02,200\r\n<i>Kids are talking</i>\r\n"
                + "by the door.\r\n\r\n2\r\n00:00:02,500 --> 00:00:03,000\r\n{\\an8}Really?\r\n"));
        assertEquals(List.of(
                new Transcript.Segment(1.03, 2.2, "Kids are talking by the door."),
                new Transcript.Segment(2.5, 3.0, "Really?")), t.segments());
        assertEquals("Kids are talking by the door. Really?", t.text());
    }

    @Test
    void jsonWithTextOnly() throws Exception {
        Transcript t = loader.load(file("plain.json", "{\"text\": \"  Kids are talking\\nby the door. \"}"));
        assertEquals("Kids are talking by the door.", t.text());
        assertTrue(t.segments().isEmpty());
    }

    @Test
    void jsonWhisperXSegments() throws Exception {
        Transcript t = loader.load(file("whisperx.json", """
                {"segments": [
                  {"start": 1.031, "end": 1.9, "text": " Kids are talking", "words": [{"word": "Kids", "start": 1.031}]},
                  {"start": 1.9, "end": 2.2, "text": " by the door."}
                ], "language": "en"}
                """));
        assertEquals(List.of(new Transcript.Segment(1.031, 1.9, "Kids are talking"),
                new Transcript.Segment(1.9, 2.2, "by the door.")), t.segments());
        assertEquals("Kids are talking by the door.", t.text());
    }

    @Test
    void jsonTextWinsOverJoinedSegmentsWhenBothExist() throws Exception {
        Transcript t = loader.load(file("both.json",
                "{\"text\": \"Kids are talking by the door.\", \"segments\": [{\"start\": 0, \"end\": 1, \"text\": \"Kids\"}]}"));
        assertEquals("Kids are talking by the door.", t.text());
        assertEquals(1, t.segments().size());
    }

    /** Before, what followed the first JSON value was never read: these sidecars gave "I am happy". */
    @Test
    void jsonWithAnythingAfterItsObjectIsMalformed() throws Exception {
        for (String trailing : new String[]{" }}} not json at all", " {\"text\": \"more\"}", " junk"}) {
            Path json = file("trailing.json", "{\"text\": \"I am happy\"}" + trailing);
            MediaException e = assertThrows(MediaException.class, () -> loader.load(json), trailing);
            assertEquals(MediaException.Kind.BAD_TRANSCRIPT, e.kind());
            assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        }
    }

    @Test
    void decodeFindsTheSidecarBesideTheMedia() throws Exception {
        Path media = mediaWithSidecar("with-vtt", "vtt", "WEBVTT\n\n00:00.100 --> 00:00.400\nHello there.\n");
        Utterance u = decoder.decode(media);
        assertEquals("Hello there.", u.transcriptText().orElseThrow().text());
        assertEquals("with-vtt.vtt", u.transcript().origin());
        assertEquals(0.1, u.transcript().segments().get(0).startSeconds(), 1e-9);
        assertTrue(u.whyMissing(Modality.TEXT).isEmpty());
    }

    @Test
    void inlineTranscriptWinsEvenOverABrokenSidecar() throws Exception {
        Path media = mediaWithSidecar("inline-wins", "json", "{ not json");
        Utterance u = decoder.decode(media, Transcript.inline("Said inline."));
        assertEquals("Said inline.", u.transcriptText().orElseThrow().text());
        assertEquals("inline", u.transcript().origin());
    }

    @Test
    void txtComesBeforeTheOtherSidecars() throws Exception {
        Path media = mediaWithSidecar("two-sidecars", "srt", "1\n00:00:00,000 --> 00:00:01,000\nFrom srt.\n");
        file("two-sidecars.txt", "From txt.\n");
        assertEquals("two-sidecars.txt", decoder.decode(media).transcript().origin());
    }

    @Test
    void blankSidecarMeansTextIsMissing() throws Exception {
        Path media = mediaWithSidecar("blank", "txt", " \n");
        Utterance u = decoder.decode(media);
        assertTrue(u.transcriptText().isEmpty());
        assertTrue(u.whyMissing(Modality.TEXT).orElseThrow().contains("blank.txt"), u.missing()::toString);
        assertTrue(u.audioTrack().isPresent());
    }

    @Test
    void noSidecarMeansTextIsMissingWithTheNamesLookedFor() {
        Utterance u = decoder.decode(wav);
        String why = u.whyMissing(Modality.TEXT).orElseThrow();
        assertTrue(why.contains("transcript-media.txt") && why.contains(".vtt") && why.contains(".json"), why);
    }

    /** Read as a stream, a segment's fields may come in any order, and other fields (any shape) are passed over. */
    @Test
    void jsonFieldsInAnyOrder() throws Exception {
        String ordered = "{\"segments\": [{\"start\": 0.5, \"end\": 1.5, \"text\": \"I am\", \"words\": "
                + "[{\"word\": \"I\", \"start\": 0.5, \"end\": 0.7, \"score\": 0.9}, {\"word\": \"am\"}]}], \"language\": \"en\"}";
        String shuffled = "{\"meta\": {\"a\": [1, {\"b\": null}]}, \"segments\": [{\"words\": [{\"score\": 0.9, "
                + "\"end\": 0.7, \"extra\": [[]], \"word\": \"I\", \"start\": 0.5}, {\"word\": \"am\"}], \"text\": \"I am\", "
                + "\"id\": 3, \"end\": 1.5, \"start\": 0.5}]}";
        Transcript a = loader.load(file("ordered.json", ordered)), b = loader.load(file("shuffled.json", shuffled));
        assertEquals(a.text(), b.text());
        assertEquals(a.segments(), b.segments());
        assertEquals(a.words(), b.words());
        assertEquals(2, b.words().size());
        assertEquals(0.7, b.words().get(0).endSeconds());
        // a bad word entry in a segment that is itself bad: the segment is what is named, as before
        MediaException e = assertThrows(MediaException.class, () -> loader.load(file("bad.json",
                "{\"segments\": [{\"words\": [{\"start\": 1}], \"text\": \"x\"}]}")));
        assertTrue(e.getMessage().contains("segment 0 needs"), e.getMessage());
        e = assertThrows(MediaException.class, () -> loader.load(file("badword.json",
                "{\"segments\": [{\"words\": [{\"start\": 1}], \"text\": \"x\", \"start\": 0, \"end\": 1}]}")));
        assertTrue(e.getMessage().contains("needs a string \"word\""), e.getMessage());
    }

    /**
     * Half a surrogate pair written as a JSON escape is no character: it reached the text encoder (which dropped it
     * unseen) and the result's segment text. It becomes U+FFFD; whole pairs (an emoji) stay.
     */
    @Test
    void loneSurrogateEscapesBecomeReplacementCharacters() throws Exception {
        Transcript t = loader.load(file("halves.json",
                "{\"text\": \"a \\ud800 b \\udc00 c \\udc00\\ud800 d \\ud83d\\ude00 e \\ud83d\"}"));
        String text = t.text();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) assertTrue(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(++i)), text);
            else assertFalse(Character.isLowSurrogate(c), "half a character at " + i + ": " + text);
        }
        assertEquals("a \uFFFD b \uFFFD c \uFFFD\uFFFD d \uD83D\uDE00 e \uFFFD", text);
    }

    /** Subtitles saved as "Unicode" on Windows are UTF-16 with a byte-order mark: read as such, not refused as not UTF-8. */
    @Test
    void utf16WithAByteOrderMarkReadsAsItsUtf8Twin() throws Exception {
        String srt = "1\r\n00:00:00,500 --> 00:00:02,000\r\nJ'ai été très heureux \uD83D\uDE00\r\n\r\n"
                + "2\r\n00:00:02,500 --> 00:00:03,000\r\nZweiter Satz\r\n";
        Transcript utf8 = loader.load(file("utf8.srt", srt));
        for (var variant : java.util.Map.of("le", new Object[]{java.nio.charset.StandardCharsets.UTF_16LE, new byte[]{(byte) 0xFF, (byte) 0xFE}},
                "be", new Object[]{java.nio.charset.StandardCharsets.UTF_16BE, new byte[]{(byte) 0xFE, (byte) 0xFF}}).entrySet()) {
            Path f = DIR.resolve("utf16" + variant.getKey() + ".srt");
            byte[] mark = (byte[]) variant.getValue()[1];
            byte[] body = srt.getBytes((java.nio.charset.Charset) variant.getValue()[0]);
            byte[] all = java.util.Arrays.copyOf(mark, mark.length + body.length);
            System.arraycopy(body, 0, all, mark.length, body.length);
            Files.write(f, all);
            Transcript t = loader.load(f);
            assertEquals(utf8.text(), t.text(), variant.getKey());
            assertEquals(utf8.segments(), t.segments(), variant.getKey());
        }
        // without a mark, bytes that are not UTF-8 are still refused, saying what is read
        Path latin1 = DIR.resolve("latin1.txt");
        Files.write(latin1, "\u00e9t\u00e9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        MediaException e = assertThrows(MediaException.class, () -> loader.load(latin1));
        assertTrue(e.getMessage().contains("latin1.txt: not UTF-8 text: on line 1 of the file (at byte offset 0)")
                && e.getMessage().contains("save it as UTF-8 (or UTF-16 with a byte-order mark)"), e.getMessage());
    }
}
