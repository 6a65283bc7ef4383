package dev.moodtag.transcribe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TranscriptGateTest {
    private final TranscriptGate gate = new TranscriptGate(0.88, 0.3);

    static RecognisedSpeech speech(double voicedSeconds, double... confidences) {
        List<RecognisedWord> words = new ArrayList<>();
        for (int i = 0; i < confidences.length; i++) words.add(new RecognisedWord("w" + i, i * 0.5, i * 0.5 + 0.4, confidences[i]));
        return new RecognisedSpeech("", words, 4.0, voicedSeconds, "vosk test", "0".repeat(64), "en");
    }

    /**
     * Thresholds out of [0, 1] from configuration are a setting out of range naming the key: the recogniser (and its
     * gate) loads at the first object that needs it, so each object got an internal error result with a confidence
     * of 2; the tagging steps now build the gate at start ({@code RecognizerSteps}).
     */
    @Test
    void configuredThresholdsOutOfRangeNameTheSetting() {
        TestTranscribeConfig d = TestTranscribeConfig.defaults();
        for (double bad : new double[]{2, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var confidence = assertThrows(dev.moodtag.support.SettingOutOfRange.class, () -> TranscriptGate.fromConfig(
                    new TestTranscribeConfig(true, "en", bad, 0.3, WarmUp.PACK)));
            assertEquals("moodtag.transcribe.gate.min-mean-confidence must be in [0, 1], not " + bad, confidence.getMessage());
            var coverage = assertThrows(dev.moodtag.support.SettingOutOfRange.class, () -> TranscriptGate.fromConfig(
                    new TestTranscribeConfig(true, "en", 0.9, bad, WarmUp.PACK)));
            assertEquals("moodtag.transcribe.gate.min-voiced-coverage must be in [0, 1], not " + bad, coverage.getMessage());
        }
        assertNotNull(TranscriptGate.fromConfig(d));
        assertNotNull(TranscriptGate.fromConfig(new TestTranscribeConfig(true, "en", 0, 1, WarmUp.PACK)));
    }

    @Test
    void acceptsConfidentWordsThatAccountForTheSpeech() {
        GateDecision d = gate.decide(speech(2.0, 1, 1, 0.9, 0.8));
        assertTrue(d.accepted(), d::toString);
        assertNull(d.reason());
        assertEquals(0.925, d.figure(), 1e-9);
    }

    @Test
    void rejectsLowConfidenceWithTheFigureAndTheLanguage() {
        GateDecision d = gate.decide(speech(2.0, 0.9, 0.5, 0.6));
        assertFalse(d.accepted());
        assertEquals(GateDecision.Feature.MEAN_CONFIDENCE, d.feature());
        assertEquals(2.0 / 3, d.figure(), 1e-9);
        assertEquals("speech not recognised as English with enough confidence (mean word confidence 0.67 < 0.88 over 3 words)",
                d.reason());
    }

    @Test
    void rejectsFewConfidentWordsOverLongSpeech() {
        GateDecision d = gate.decide(speech(10.0, 1, 1)); // 0.8 s of words in 10 s of voiced audio
        assertFalse(d.accepted());
        assertEquals(GateDecision.Feature.VOICED_COVERAGE, d.feature());
        assertEquals(0.08, d.figure(), 1e-9);
        assertTrue(d.reason().startsWith("speech not recognised as English with enough confidence (words account for 8 %"),
                d.reason());
    }

    @Test
    void noWordsIsNoSpeech() {
        GateDecision d = gate.decide(speech(Double.NaN));
        assertFalse(d.accepted());
        assertEquals(GateDecision.Feature.WORDS, d.feature());
        assertEquals("no speech recognised in 4.0 s of audio", d.reason());
    }

    @Test
    void unknownVoicedTimeGatesOnConfidenceOnly() {
        assertTrue(gate.decide(speech(Double.NaN, 1)).accepted());
        assertTrue(gate.decide(speech(0, 1)).accepted(), "VAD found nothing, the recogniser found confident words");
    }

    @Test
    void decisionIsMonotoneInBothFeaturesOverAGrid() {
        for (int c = 0; c <= 100; c += 5) {
            for (int v = 1; v <= 40; v += 3) {
                double conf = c / 100.0, voiced = v / 2.0;
                RecognisedSpeech s = speech(voiced, conf, conf, conf, conf);
                boolean expected = conf >= 0.88 && Math.min(1, 1.6 / voiced) >= 0.3;
                GateDecision d = gate.decide(s);
                assertEquals(expected, d.accepted(), () -> "confidence " + conf + ", voiced " + voiced + ": " + d);
                if (!d.accepted()) assertTrue(d.reason().contains("English"), d.reason());
            }
        }
    }

    @Test
    void thresholdsOutsideZeroToOneAreRefused() {
        for (double bad : new double[]{-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new TranscriptGate(bad, 0.3));
            assertThrows(IllegalArgumentException.class, () -> new TranscriptGate(0.8, bad));
        }
    }

    @Test
    void namesOtherLanguagesInTheReason() {
        RecognisedSpeech german = new RecognisedSpeech("", speech(1, 0.1).words(), 1, 1, "vosk", "x", "de");
        assertTrue(gate.decide(german).reason().startsWith("speech not recognised as German"));
        RecognisedSpeech other = new RecognisedSpeech("", speech(1, 0.1).words(), 1, 1, "vosk", "x", "xx");
        assertTrue(gate.decide(other).reason().startsWith("speech not recognised as 'xx'"));
    }
    @Test
    void aConfidenceThatIsNotANumberIsRefusedNotTrusted() {
        // A NaN mean compared with "<" is never below the threshold: it was accepted before the gate negated the test
        GateDecision d = gate.decide(speech(2.0, 1, Double.NaN, 1));
        assertFalse(d.accepted(), d::toString);
        assertEquals(GateDecision.Feature.MEAN_CONFIDENCE, d.feature());
        assertTrue(d.reason().contains("mean word confidence NaN < 0.88 over 3 words"), d.reason());
        assertFalse(new TranscriptGate(0, 0).decide(speech(2.0, Double.NaN)).accepted(), "even with no threshold");
    }

    @Test
    void aWordWithNoTimeSpanStillNeedsTheConfidence() {
        RecognisedSpeech instant = new RecognisedSpeech("x", List.of(new RecognisedWord("x", 1, 1, 0.5)), 2, 1,
                "vosk", "x", "en");
        GateDecision d = gate.decide(instant);
        assertFalse(d.accepted());
        assertEquals(GateDecision.Feature.MEAN_CONFIDENCE, d.feature(), "the confidence fails first");
    }
}
