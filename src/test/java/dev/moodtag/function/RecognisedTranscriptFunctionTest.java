package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.label.Labeller;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.Modality;
import dev.moodtag.media.StreamInfo;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptConfig;
import dev.moodtag.tagging.EmotionResult;
import dev.moodtag.tagging.TimeBudgetConfig;
import dev.moodtag.tagging.TimelineConfig;
import dev.moodtag.tagging.TimelineTagger;
import dev.moodtag.testing.Fixtures;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function on recordings that come without a transcript: the pack's recogniser (loaded at start-up with the other
 * models) gives the text modality, recorded in the result with its engine, model and word timings; speech it does not
 * trust leaves the text missing with the gate's reason.
 */
@QuarkusTest
@TestProfile(RecognisedTranscriptFunctionTest.Profile.class)
@Tag("quarkus")
class RecognisedTranscriptFunctionTest {

    static final Path ROOT = Path.of("target", "recognised-root").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(), "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void theSampleFilmWithoutItsSidecarGetsARecognisedTranscriptAndItsTextModality() throws IOException {
        JsonNode r = tag(copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"), "no-sidecar"));

        assertEquals("labelled", r.get("status").asText(), r.toPrettyString());
        for (String m : List.of("text", "speech", "video")) assertTrue(r.at("/modalities/" + m + "/present").asBoolean(), m);
        JsonNode t = r.get("transcript");
        assertEquals("recognised", t.get("source").asText());
        assertEquals("vosk 0.3.45", t.get("origin").asText());
        assertEquals(0, t.get("cues").asInt());
        assertEquals(6, t.get("words").asInt());
        assertEquals("vosk 0.3.45", t.at("/recogniser/engine").asText());
        assertTrue(t.at("/recogniser/modelSha256").asText().matches("[0-9a-f]{64}"), t::toString);
        assertEquals("en", t.at("/recogniser/language").asText());
        assertTrue(t.at("/recogniser/meanConfidence").asDouble() >= 0.9, t::toString);
        List<String> words = new ArrayList<>();
        double previousEnd = 0;
        for (JsonNode w : t.get("wordTimings")) {
            words.add(w.get("word").asText());
            assertTrue(w.get("start").asDouble() >= previousEnd - 1e-9 && w.get("end").asDouble() > w.get("start").asDouble(), w::toString);
            assertTrue(w.get("confidence").asDouble() > 0 && w.get("confidence").asDouble() <= 1, w::toString);
            previousEnd = w.get("end").asDouble();
        }
        assertEquals("kids are talking by the door", String.join(" ", words));
        assertEquals(1.03, t.at("/wordTimings/0/start").asDouble(), 0.25);
        // The text vector was computed: the text encoder ran and is present.
        boolean textEncoded = false;
        for (JsonNode e : r.get("encoders"))
            textEncoded |= e.get("modality").asText().equals("text") && e.get("present").asBoolean();
        assertTrue(textEncoded, r.get("encoders")::toString);
    }

    @Test
    void germanSpeechLeavesTheTextMissingWithTheGatesReasonAndTheSpeechLabelled() throws IOException {
        JsonNode r = tag(copy(Fixtures.shared("data/emodb/wav/03a01Nc.wav"), "german"));

        assertEquals("labelled", r.get("status").asText(), r.toPrettyString());
        assertTrue(r.at("/modalities/speech/present").asBoolean());
        assertFalse(r.at("/modalities/text/present").asBoolean());
        String why = r.at("/modalities/text/reason").asText();
        assertTrue(why.matches("speech not recognised as English with enough confidence \\(mean word confidence 0\\.\\d\\d < 0\\.9 over \\d+ words\\)"), why);
        assertFalse(r.has("transcript"), "no transcript was used");
    }

    @Test
    void aSilentRecordingHasNoText() throws Exception {
        Path dir = Files.createDirectories(ROOT.resolve("silent"));
        Path media = dev.moodtag.transcribe.VoskTranscriberTestAccess.silentWav(dir.resolve("silence.wav"), 3);
        JsonNode r = tag(media);

        assertFalse(r.at("/modalities/text/present").asBoolean());
        assertTrue(r.at("/modalities/text/reason").asText().startsWith("no speech recognised in 3.0 s of audio"), r::toPrettyString);
        assertFalse(r.has("transcript"));
    }

    static final String RECORDING_REFUSED = "the recording as a whole is not recognised as English with enough confidence (";

    /**
     * Issue 15: a recording longer than an utterance (EmoDB clips with silence between, no sidecar) gets a timeline whose
     * segments are recognised one by one; German speech the English gate refuses leaves each such segment without text
     * and with a reason, where before it said nothing (silence and refusal read the same). The gate alone let one of
     * the 12 segments keep a wrong English reading ("the museum it was up game"); judged as a whole (rule R1), the
     * recording's 12 segments all lose their recognised text, each with the recording's reason and figures.
     */
    @Test
    void aLongGermanRecordingsSegmentsSayTheGateRefusedTheirWords() throws IOException {
        Path media = germanRecording();
        JsonNode r = tag(media);

        JsonNode segments = r.at("/timeline/segments");
        assertTrue(segments.size() >= 4, "a timeline: " + r.toPrettyString());
        int withText = 0, refused = 0;
        for (JsonNode seg : segments) {
            boolean text = seg.get("modalities").toString().contains("\"text\"");
            assertEquals(text, seg.has("transcript"), seg::toString);
            assertEquals(!text, seg.has("textMissing"), "every segment without text says why: " + seg);
            if (text) withText++;
            else if (seg.get("textMissing").asText().startsWith(RECORDING_REFUSED)) {
                refused++;
                assertTrue(seg.get("textMissing").asText()
                        .matches(".*\\((\\d+) of (\\d+) recognised words in segments that passed the gate\\)"), seg::toString);
            }
        }
        System.out.println("segments " + segments.size() + ", with text " + withText + ", refused as a recording "
                + refused + "; e.g. " + segments.get(0).path("textMissing").asText());
        assertEquals(0, withText, "no German segment keeps recognised text: " + segments);
        assertEquals(segments.size(), refused, "every segment says the recording's reason: " + segments);
        assertFalse(r.at("/modalities/text/present").asBoolean(), r.at("/modalities/text").toString());
        assertTrue(r.at("/modalities/text/reason").asText().startsWith(RECORDING_REFUSED), r.at("/modalities/text").toString());
        assertEquals("labelled", r.get("status").asText(), "speech still labels it");
    }

    @Inject
    TimelineTagger tagger;
    @Inject
    MediaDecoder decoder;
    @Inject
    EmbeddingEngine engine;
    @Inject
    Labeller labeller;
    @Inject
    TimelineConfig timelineConfig;
    @Inject
    TimeBudgetConfig budgetConfig;
    @Inject
    TranscriptChain chain;
    @Inject
    TranscriptConfig transcriptConfig;

    /**
     * No refused text votes: a recording whose segments all lose their text to the recording's verdict is labelled
     * segment by segment exactly as the same recording is without a recogniser (same segments, same speech, same
     * labels and probabilities, to the last digit), the second pass included.
     */
    @Test
    void aRecordingRefusedAsAWholeIsLabelledAsWithoutARecogniser() throws IOException {
        Path media = germanRecording();
        StreamInfo info = decoder.probe(media);
        TimelineTagger.Tagged heard = tagger.tag(media, info, media.getFileName().toString());
        TimelineTagger.Tagged deaf = new TimelineTagger(decoder, engine, labeller, timelineConfig, budgetConfig,
                chain.withoutRecognition(), transcriptConfig).tag(media, info, media.getFileName().toString());

        List<EmotionResult.Segment> a = heard.timeline().segments(), b = deaf.timeline().segments();
        assertEquals(b.size(), a.size(), () -> a + "\n" + b);
        List<String> otherwise = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            EmotionResult.Segment x = a.get(i), y = b.get(i);
            assertEquals(y.start(), x.start());
            assertEquals(y.end(), x.end());
            assertEquals(y.status(), x.status());
            if (!y.modalities().equals(x.modalities()) || !java.util.Objects.equals(y.label(), x.label())
                    || !java.util.Objects.equals(y.probabilities(), x.probabilities()))
                otherwise.add(x + "\n  without a recogniser: " + y);
        }
        System.out.println("segments " + a.size() + ", labelled otherwise than without a recogniser: " + otherwise.size());
        assertEquals(List.of(), otherwise);
        for (EmotionResult.Segment x : a) assertTrue(x.textMissing().startsWith(RECORDING_REFUSED), x::toString);
        assertEquals(deaf.whole().label(), heard.whole().label());
        assertEquals(deaf.whole().probabilities(), heard.whole().probabilities());
        assertEquals(deaf.timeline().speechStandardisation(), heard.timeline().speechStandardisation());
        assertEquals(0, heard.segmentsWith().getOrDefault(Modality.TEXT, 0));
    }

    /**
     * English speech keeps its text: one RAVDESS actor's clips with silence between (about 40 s, no sidecar) are
     * recognised segment by segment, and the segments the gate accepted keep their words; none says the recording's
     * reason.
     */
    @Test
    void anEnglishRecordingKeepsItsAcceptedSegmentsText() throws IOException {
        Path dir = Files.createDirectories(ROOT.resolve("english-long"));
        Path media = dir.resolve("ravdess-sequence.wav");
        List<Path> clips;
        try (var s = Files.list(Fixtures.shared("data/ravdess/speech/Actor_05"))) {
            clips = s.filter(p -> p.toString().endsWith(".flac")).sorted().toList();
        }
        writeSequence(media, clips, 40);
        JsonNode r = tag(media);

        JsonNode segments = r.at("/timeline/segments");
        int withText = 0;
        for (JsonNode seg : segments) {
            assertFalse(seg.path("textMissing").asText().startsWith(RECORDING_REFUSED), seg::toString);
            if (seg.has("transcript")) {
                withText++;
                assertEquals("recognised", seg.at("/transcript/source").asText(), seg::toString);
                assertTrue(seg.get("modalities").toString().contains("\"text\""), seg::toString);
            }
        }
        System.out.println("English recording: segments " + segments.size() + ", with text " + withText);
        assertTrue(segments.size() >= 4 && 2 * withText > segments.size(), "English keeps its text: " + segments);
        assertTrue(r.at("/modalities/text/present").asBoolean(), r.at("/modalities/text").toString());
    }

    /** The 42 s German recording (EmoDB clips in name order, 1.5 s of silence before each), written once. */
    private static Path germanRecording() throws IOException {
        Path media = Files.createDirectories(ROOT.resolve("german-long")).resolve("emodb-sequence.wav");
        if (!Files.exists(media)) {
            List<Path> wavs;
            try (var s = Files.list(Fixtures.shared("data/emodb/wav"))) {
                wavs = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
            }
            writeSequence(media, wavs, 40);
        }
        return media;
    }

    /** Clips in the order given, 1.5 s of silence before each, until {@code atLeast} seconds: a 16 kHz mono WAV. */
    private static double writeSequence(Path out, List<Path> wavs, double atLeast) throws IOException {
        var decoder = new dev.moodtag.media.FfmpegMediaDecoder(dev.moodtag.media.TestMediaConfig.defaults());
        int rate = dev.moodtag.media.AudioTrack.RATE, gap = rate * 3 / 2;
        java.io.ByteArrayOutputStream pcm = new java.io.ByteArrayOutputStream();
        int samples = 0;
        for (int i = 0; samples < atLeast * rate; i++) {
            pcm.write(new byte[2 * gap]);
            samples += gap;
            for (float v : decoder.decode(wavs.get(i)).audio().samples()) {
                int q = Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f);
                pcm.write(q & 0xff);
                pcm.write((q >> 8) & 0xff);
                samples++;
            }
        }
        var format = new javax.sound.sampled.AudioFormat(rate, 16, 1, true, false);
        try (var in = new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(pcm.toByteArray()), format, samples)) {
            javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, out.toFile());
        }
        return samples / (double) rate;
    }

    /** The file alone in a folder of its own under the root: no sidecar beside it. */
    private static Path copy(Path file, String folder) throws IOException {
        Path dir = Files.createDirectories(ROOT.resolve(folder));
        return Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private static JsonNode tag(Path media) throws IOException {
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        return FunctionFixtures.validResult(Files.readAllBytes(media.resolveSibling(media.getFileName() + ".emotion.json")));
    }
}
