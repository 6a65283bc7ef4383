package dev.moodtag.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.junit.jupiter.api.Assertions.*;

/**
 * One transcript source for every caller: inline, then a sidecar of each format, through the real decoder. A sidecar
 * that cannot be used is a missing text modality with its reason; the audio is still decoded.
 */
class TranscriptSourceTest {
    static final Path DIR = TestMediaWriter.DIR.resolve("transcript-source");
    private static Path wav;
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    /** The same words in each sidecar format, with layout, tags and timings the text must not keep. */
    static final Map<String, String> SIDECARS = Map.of(
            "txt", "  Kids are talking\r\n\tby the door.\n",
            "vtt", "WEBVTT\n\n00:00.100 --> 00:00.300\n<v Ann>Kids are <b>talking</b>\n\n00:00.300 --> 00:00.450\nby the door.\n",
            "srt", "1\n00:00:00,100 --> 00:00:00,300\nKids are talking\n\n2\n00:00:00,300 --> 00:00:00,450\n{\\an8}by the door.\n",
            "json", "{\"segments\": [{\"start\": 0.1, \"end\": 0.3, \"text\": \" Kids are talking\", \"words\": ["
                    + "{\"word\": \"Kids\", \"start\": 0.1, \"end\": 0.15, \"score\": 0.92}, {\"word\": \"are\"}]},"
                    + " {\"start\": 0.3, \"end\": 0.45, \"text\": \"by the door.\"}]}");

    @BeforeAll
    static void generate() throws Exception {
        Files.createDirectories(DIR);
        wav = GeneratedContainersTest.audioOnly("wav", AV_CODEC_ID_PCM_S16LE, 16_000, 1).seconds(0.5)
                .write("transcript-source.wav");
    }

    private static Path mediaWith(String base, String ext, byte[] sidecar) throws Exception {
        Path media = Files.copy(wav, DIR.resolve(base + ".wav"), StandardCopyOption.REPLACE_EXISTING);
        Files.write(DIR.resolve(base + "." + ext), sidecar);
        return media;
    }

    @Test
    void inlineTextIsTheInlineSource() {
        Utterance u = decoder.decode(wav, Transcript.inline("  Said inline. "));
        assertEquals("Said inline.", u.transcriptText().orElseThrow().text());
        assertEquals(Transcript.Source.INLINE, u.transcript().source());
    }

    /**
     * README: training and serving see the same text, cut after max-text-chars. Before, inline text (a manifest's
     * transcript column, embed --transcript) was only stripped: 33,999 characters where its sidecar gave 8,191.
     */
    @Test
    void inlineTextIsNormalisedAndCutLikeTheSameTextInASidecar() throws Exception {
        String said = "I am\n\nso  happy. ".repeat(2_000); // 36,000 characters
        TranscriptChain chain = TranscriptChain.standard(TranscriptLimits.DEFAULTS);
        Transcript sidecar = chain.resolve(new TranscriptRequest(null, null,
                Files.writeString(DIR.resolve("inline-alike.txt"), said))).transcript();
        Transcript inline = chain.resolve(new TranscriptRequest(null, Transcript.inline(said), null)).transcript();
        assertEquals(sidecar.text().length(), inline.text().length(), "cut where the sidecar's is");
        assertTrue(sidecar.text().equals(inline.text()), "the same text");
        assertEquals(sidecar.note(), inline.note(), "the cut is noted");
        assertEquals(Transcript.Source.INLINE, inline.source());
    }

    @Test
    void everySidecarFormatGivesTheSameNormalisedText() throws Exception {
        for (var e : SIDECARS.entrySet()) {
            Path media = mediaWith("same-" + e.getKey(), e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
            Utterance u = decoder.decode(media);
            Transcript t = u.transcriptText().orElseThrow(() -> new AssertionError(e.getKey() + ": " + u.missing()));
            assertEquals("Kids are talking by the door.", t.text(), e.getKey());
            assertEquals(Transcript.Source.SIDECAR, t.source(), e.getKey());
            assertEquals("same-" + e.getKey() + "." + e.getKey(), t.origin());
            assertEquals(e.getKey().equals("txt") ? 0 : 2, t.segments().size(), e.getKey());
            assertNull(t.note(), "nothing was left out");
            assertTrue(u.audioTrack().isPresent());
        }
    }

    @Test
    void jsonWordTimingsAndConfidencesAreKeptWhereKnown() throws Exception {
        Transcript t = new TranscriptLoader().load(Files.writeString(DIR.resolve("words.json"), SIDECARS.get("json")));
        assertEquals(2, t.words().size());
        Transcript.Word kids = t.words().get(0);
        assertEquals("Kids", kids.text());
        assertEquals(0.1, kids.startSeconds(), 1e-9);
        assertEquals(0.92, kids.confidence(), 1e-9);
        assertTrue(Double.isNaN(t.words().get(1).startSeconds()) && Double.isNaN(t.words().get(1).confidence()),
                "an unaligned word has no time and no confidence");
    }

    @Test
    void anUnusableSidecarIsMissingTextWithItsReasonAndTheAudioIsStillDecoded() throws Exception {
        byte[] latin1 = "Kids are talking by the d\u00f6or.\n".getBytes(StandardCharsets.ISO_8859_1);
        Object[][] cases = {
                {"txt", latin1, "not UTF-8"},
                {"srt", ("1\n00:00:00,100 --> 00:00:00,300\nd\u00f6or\n").getBytes(StandardCharsets.ISO_8859_1), "not UTF-8"},
                {"vtt", latin1, "not UTF-8"},
                {"json", "{\"text\": \"d\u00f6or\"}".getBytes(StandardCharsets.ISO_8859_1), "not UTF-8"},
                {"vtt", "this is not a WebVTT file".getBytes(StandardCharsets.UTF_8), "WEBVTT"},
                {"srt", "1\n00:00:01 -> 00:00:02\nhello\n".getBytes(StandardCharsets.UTF_8), "timing"},
                {"srt", "1\n00:00:01,000 --> 00:00:02,000\nhello\n\n2\nno timing here\n".getBytes(StandardCharsets.UTF_8), "cue 2"},
                {"json", "{\"text\": ".getBytes(StandardCharsets.UTF_8), "JSON"},
                {"json", "{\"segments\": [{\"start\": \"soon\"}]}".getBytes(StandardCharsets.UTF_8), "segment 0"},
                {"json", "{\"segments\": [{\"start\": 1e999, \"end\": 2, \"text\": \"x\"}]}".getBytes(StandardCharsets.UTF_8), "finite"},
                {"json", "[1, 2]".getBytes(StandardCharsets.UTF_8), "JSON object"},
        };
        for (int i = 0; i < cases.length; i++) {
            String ext = (String) cases[i][0];
            Path media = mediaWith("unusable-" + i, ext, (byte[]) cases[i][1]);
            Utterance u = assertDoesNotThrow(() -> decoder.decode(media), "case " + i);
            assertTrue(u.transcriptText().isEmpty(), "case " + i);
            String why = u.whyMissing(Modality.TEXT).orElseThrow();
            assertTrue(why.contains("unusable-" + i + "." + ext) && why.contains((String) cases[i][2]), "case " + i + ": " + why);
            assertTrue(u.audioTrack().isPresent(), "the audio is still used");
        }
    }

    @Test
    void aSidecarOverTheSizeLimitIsNotReadAndSaysWhichSetting() throws Exception {
        Path media = mediaWith("over-limit", "txt", "word ".repeat(100).getBytes(StandardCharsets.UTF_8));
        FfmpegMediaDecoder small = new FfmpegMediaDecoder(TestMediaConfig.defaults(),
                TranscriptChain.standard(new TranscriptLimits(100, 8192, 10, 10)));
        Utterance u = small.decode(media);
        String why = u.whyMissing(Modality.TEXT).orElseThrow();
        assertTrue(why.contains("moodtag.transcript.max-sidecar-bytes=100"), why);
        assertTrue(u.audioTrack().isPresent());
    }

    @Test
    void noTranscriptAnywhereSaysWhatWasLookedFor() {
        TranscriptResolution r = TranscriptChain.standard(TranscriptLimits.DEFAULTS).resolve(TranscriptRequest.beside(wav));
        assertNull(r.transcript());
        assertEquals("no transcript: none given inline and no transcript-source.txt, .vtt, .srt or .json beside "
                + "transcript-source.wav", r.whyMissing());
    }

    @Test
    void anExplicitTranscriptFileIsReadLikeASidecar() throws Exception {
        Path file = Files.writeString(DIR.resolve("explicit.srt"), SIDECARS.get("srt"));
        TranscriptResolution r = TranscriptChain.standard(TranscriptLimits.DEFAULTS)
                .resolve(new TranscriptRequest(null, null, file));
        assertEquals("Kids are talking by the door.", r.transcript().text());
        Path unknownType = Files.writeString(DIR.resolve("explicit.lab"), "Kids are\ntalking.\n");
        assertEquals("Kids are talking.", TranscriptChain.standard(TranscriptLimits.DEFAULTS)
                .resolve(new TranscriptRequest(null, null, unknownType)).transcript().text(), "any other type is plain text");
    }

    @Test
    void aChainLinkAddedAfterTheSidecarRunsOnlyWhenNothingEarlierAnswered() throws Exception {
        TranscriptSource.Link recogniser = new TranscriptSource.Link() {
            @Override
            public java.util.Optional<TranscriptResolution> find(TranscriptRequest request) {
                return java.util.Optional.of(TranscriptResolution.of(new Transcript("heard", List.of(), "engine",
                        Transcript.Source.RECOGNISED, List.of(new Transcript.Word("heard", 0, 0.2, 0.9)), null)));
            }

            @Override
            public String notFound(TranscriptRequest request) {
                return "nothing recognised";
            }
        };
        TranscriptLoader loader = new TranscriptLoader();
        TranscriptChain chain = new TranscriptChain(List.of(TranscriptChain.inline(loader), new SidecarTranscripts(loader),
                recogniser));
        assertEquals(Transcript.Source.RECOGNISED, chain.resolve(TranscriptRequest.beside(wav)).transcript().source());
        Path withSidecar = mediaWith("chain-sidecar", "txt", "From the sidecar.".getBytes(StandardCharsets.UTF_8));
        assertEquals(Transcript.Source.SIDECAR, chain.resolve(TranscriptRequest.beside(withSidecar)).transcript().source());
        Path broken = mediaWith("chain-broken", "vtt", "not vtt".getBytes(StandardCharsets.UTF_8));
        assertTrue(chain.resolve(TranscriptRequest.beside(broken)).whyMissing().contains("WEBVTT"),
                "an unusable sidecar ends the chain with its reason: no guess over a transcript someone provided");
    }
}
