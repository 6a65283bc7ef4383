package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.function.FunctionFixtures;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptLimits;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Schema 2.2: a timeline segment's own transcript and an encoder's note, written as the result writer writes them. */
class SegmentTranscriptSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static EmotionResult result(List<EmotionResult.Segment> segments, String encoderNote) {
        EmotionResult.Encoder text = new EmotionResult.Encoder("text-bge-small", "text", "bert-text", 384, "int8", "cpu",
                "", Map.of("model", "0".repeat(64)), true, null, 12.5, encoderNote);
        return new EmotionResult(EmotionResult.SCHEMA, EmotionResult.VERSION, EmotionResult.UNLABELLED, null,
                "no classifier in the pack", null,
                Map.of("text", new EmotionResult.ModalityResult(true, null, List.of("text-bge-small"), null),
                        "speech", new EmotionResult.ModalityResult(false, "no speech encoder", List.of(), null),
                        "video", new EmotionResult.ModalityResult(false, "no video stream", List.of(), null)),
                new EmotionResult.Source("file:///a/long.wav", "a", "long.wav", 10L, null, null, "audio/wav", null),
                new EmotionResult.Pack("p", "1"), new EmotionResult.Classifier(false, "none", List.of()), List.of(text),
                Map.of("fetch", 0.0, "total", 1.0), null, "r", "2026-12-03T00:00:00Z", "0.1.0",
                new EmotionResult.Timeline("vad", 40, segments), null);
    }

    @Test
    void aRecognisedSegmentCarriesItsWordsTimesConfidencesAndSource() throws Exception {
        Transcript heard = Transcript.recognised("kids are talking",
                List.of(new Transcript.Word("kids", 3.03, 3.3, 1.0), new Transcript.Word("are", 3.3, 3.41, 0.912345),
                        new Transcript.Word("talking", 3.41, 3.9, Double.NaN)),
                new Transcript.Recogniser("vosk 0.3.45", "a".repeat(64), "en", 0.956));
        EmotionResult.Segment segment = new EmotionResult.Segment(2, 5, EmotionResult.UNLABELLED, null, null,
                List.of("text", "speech"), EmotionResult.SegmentTranscript.of(heard));
        EmotionResult.Segment silent = new EmotionResult.Segment(20, 24, EmotionResult.UNLABELLED, null, null,
                List.of("speech"));
        JsonNode r = FunctionFixtures.validResult(JSON.writeValueAsBytes(result(List.of(segment, silent),
                "3 windows: 700 tokens read in windows of up to 256 on word boundaries, pooled weighted by length")));

        JsonNode t = r.at("/timeline/segments/0/transcript");
        assertEquals("recognised", t.get("source").asText());
        assertEquals("kids are talking", t.get("text").asText());
        assertEquals(0.956, t.get("meanConfidence").asDouble(), 1e-9);
        assertEquals(3, t.get("words").size());
        assertEquals(3.03, t.at("/words/0/start").asDouble(), 1e-9);
        assertEquals(0.912, t.at("/words/1/confidence").asDouble(), 1e-9, "rounded like the top-level word timings");
        assertTrue(t.at("/words/2/confidence").isNull(), "an unknown confidence is null, not NaN");
        assertFalse(r.at("/timeline/segments/1").has("transcript"), "a segment without text has no transcript field");
        assertTrue(r.at("/encoders/0/note").asText().startsWith("3 windows"));
    }

    @Test
    void aSidecarSegmentHasItsTextWithoutWordsAndDocumentsWithoutTheNewFieldsReadAsBefore() throws Exception {
        Transcript cue = new Transcript("from the cue", List.of(), "long.vtt", Transcript.Source.SIDECAR, List.of(), null);
        EmotionResult.Segment segment = new EmotionResult.Segment(0, 4, EmotionResult.UNLABELLED, null, null,
                List.of("text"), EmotionResult.SegmentTranscript.of(cue.part(List.of("from the cue"), TranscriptLimits.DEFAULTS)));
        JsonNode r = FunctionFixtures.validResult(JSON.writeValueAsBytes(result(List.of(segment), null)));
        assertEquals("{\"source\":\"sidecar\",\"text\":\"from the cue\"}", r.at("/timeline/segments/0/transcript").toString());
        assertFalse(r.at("/encoders/0").has("note"), "no note: the field is absent, as in schema 2.1");

        // A 2.1 reader's view: every 2.1 field is where it was; the 2.2 fields are additions a reader may ignore
        JsonNode plain = JSON.readTree(JSON.writeValueAsBytes(result(List.of(new EmotionResult.Segment(0, 4,
                EmotionResult.UNLABELLED, null, null, List.of("speech"))), null)));
        assertEquals(List.of("start", "end", "status", "label", "probabilities", "modalities"),
                iterable(plain.at("/timeline/segments/0").fieldNames()));
    }

    @Test
    void theSchemaRefusesAMalformedSegmentTranscript() throws Exception {
        String good = JSON.writeValueAsString(result(List.of(new EmotionResult.Segment(0, 4, EmotionResult.UNLABELLED,
                null, null, List.of("text"), new EmotionResult.SegmentTranscript("recognised", "hi", 0.9, null))), null));
        FunctionFixtures.validResult(good.getBytes());
        for (String bad : List.of(good.replace("\"source\":\"recognised\"", "\"source\":\"guessed\""),
                good.replace("\"meanConfidence\":0.9", "\"meanConfidence\":1.5"),
                good.replace("\"text\":\"hi\"", "\"text\":\"hi\",\"extra\":1"))) {
            assertThrows(AssertionError.class, () -> FunctionFixtures.validResult(bad.getBytes()), bad);
        }
    }

    /**
     * Schema 2.4: a segment's {@code textMissing} stands only where the segment has no text; beside a transcript, or with
     * {@code text} among its modalities, the document contradicts itself and the schema refuses it.
     */
    @Test
    void theSchemaTakesTextMissingOnlyWhereTheSegmentHasNoText() throws Exception {
        String why = "speech not recognised as English with enough confidence (mean word confidence 0.62 < 0.9 over 6 words)";
        FunctionFixtures.validResult(JSON.writeValueAsBytes(result(List.of(new EmotionResult.Segment(0, 4,
                EmotionResult.UNLABELLED, null, null, List.of("speech"), null, why)), null)));
        byte[] besideTranscript = JSON.writeValueAsBytes(result(List.of(new EmotionResult.Segment(0, 4,
                EmotionResult.UNLABELLED, null, null, List.of("text", "speech"),
                new EmotionResult.SegmentTranscript("recognised", "hi", 0.9, null), why)), null));
        assertThrows(AssertionError.class, () -> FunctionFixtures.validResult(besideTranscript));
        byte[] withTextPresent = JSON.writeValueAsBytes(result(List.of(new EmotionResult.Segment(0, 4,
                EmotionResult.UNLABELLED, null, null, List.of("text"), null, why)), null));
        assertThrows(AssertionError.class, () -> FunctionFixtures.validResult(withTextPresent));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
