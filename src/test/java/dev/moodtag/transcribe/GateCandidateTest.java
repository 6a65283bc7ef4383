package dev.moodtag.transcribe;

import dev.moodtag.transcribe.GateCandidate.Condition;
import dev.moodtag.transcribe.GateDecision.Feature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.moodtag.transcribe.TranscriptGateTest.speech;
import static org.junit.jupiter.api.Assertions.*;

/** The gate rules tried against the served one: their figures, boundaries and hostile recognitions. */
class GateCandidateTest {

    private static final GateCandidate MEAN = GateCandidate.preRegistered().get(0);

    private static GateCandidate meanAnd(Feature feature, boolean atLeast, double limit) {
        return new GateCandidate("test", Feature.MEAN_CONFIDENCE, List.of(new Condition(feature, atLeast, limit)));
    }

    @Test
    void theFiguresOfARecognition() {
        SpeechStatistics s = speech(2.0, 1, 0.25, 0.5, 0.64).statistics();
        assertEquals(4, s.words());
        assertEquals(0.25, s.lowConfidenceShare(), 1e-12, "0.5 itself is not under 0.5");
        assertEquals(Math.pow(1 * 0.25 * 0.5 * 0.64, 0.25), s.geometricMeanConfidence(), 1e-12);
        assertEquals(2.0, s.wordsPerVoicedSecond(), 1e-12);
        assertTrue(Double.isNaN(speech(Double.NaN, 1).statistics().wordsPerVoicedSecond()));
        assertEquals(0, speech(2.0, 1, 0).statistics().geometricMeanConfidence(), "a word at confidence 0");
    }

    @Test
    void withoutConditionsTheMeanCandidateIsTheServedGateOverAGrid() {
        for (int c = 0; c <= 100; c += 5) {
            for (int v = 1; v <= 40; v += 3) {
                SpeechStatistics s = speech(v / 2.0, c / 100.0, 1, c / 100.0).statistics();
                for (double t : new double[]{0, 0.5, 0.88, 0.9, 1}) {
                    assertEquals(new TranscriptGate(t, 0.3).decide(s), MEAN.decide(s, t, 0.3), () -> s + " at " + t);
                }
            }
        }
    }

    @Test
    void conditionsHoldAtTheirLimitAndFailJustPastIt() {
        SpeechStatistics five = speech(2.0, 1, 1, 1, 1, 0.4).statistics(); // 5 words, one of 5 under 0.5
        assertTrue(meanAnd(Feature.WORDS, true, 5).decide(five, 0.8, 0.3).accepted());
        GateDecision six = meanAnd(Feature.WORDS, true, 6).decide(five, 0.8, 0.3);
        assertFalse(six.accepted());
        assertEquals(Feature.WORDS, six.feature());
        assertEquals("words 5.000, not words >= 6", six.reason());
        assertTrue(meanAnd(Feature.LOW_CONFIDENCE_SHARE, false, 0.2).decide(five, 0.8, 0.3).accepted());
        assertFalse(meanAnd(Feature.LOW_CONFIDENCE_SHARE, false, 0.19).decide(five, 0.8, 0.3).accepted());
        assertTrue(meanAnd(Feature.MIN_CONFIDENCE, true, 0.4).decide(five, 0.8, 0.3).accepted());
        GateDecision min = meanAnd(Feature.MIN_CONFIDENCE, true, 0.41).decide(five, 0.8, 0.3);
        assertEquals(Feature.MIN_CONFIDENCE, min.feature());
        assertEquals(0.4, min.figure(), 1e-12);
        assertEquals(0.41, min.threshold(), 1e-12);
        // the score itself: a threshold exactly at the mean passes
        assertTrue(meanAnd(Feature.WORDS, true, 1).decide(five, five.meanConfidence(), 0.3).accepted());
        GateDecision below = meanAnd(Feature.WORDS, true, 1).decide(five, Math.nextUp(five.meanConfidence()), 0.3);
        assertEquals(Feature.MEAN_CONFIDENCE, below.feature());
    }

    @Test
    void aSpeakingRateLimitIsNotAppliedWithoutVoicedTime() {
        GateCandidate slow = meanAnd(Feature.WORDS_PER_VOICED_SECOND, false, 1);
        assertFalse(slow.decide(speech(2.0, 1, 1, 1).statistics(), 0.5, 0.3).accepted(), "1.5 words a second");
        assertTrue(slow.decide(speech(Double.NaN, 1, 1, 1).statistics(), 0.5, 0.3).accepted(), "no VAD");
        assertTrue(slow.decide(speech(0, 1, 1, 1).statistics(), 0.5, 0.3).accepted(), "the VAD found nothing");
    }

    @Test
    void noWordsAndHostileConfidencesAreRefusedByEveryCandidate() {
        SpeechStatistics none = speech(2.0).statistics();
        SpeechStatistics nan = speech(2.0, 1, Double.NaN, 1).statistics();
        SpeechStatistics negative = speech(2.0, 1, -5, 1).statistics();
        for (GateCandidate c : GateCandidate.preRegistered()) {
            GateDecision d = c.decide(none, 0, 0.3);
            assertFalse(d.accepted(), c::describe);
            assertEquals(Feature.WORDS, d.feature(), c::describe);
            assertFalse(c.decide(nan, 0, 0.3).accepted(), () -> c.describe() + " accepted a NaN confidence");
            assertFalse(c.decide(negative, 0, 0.3).accepted(), () -> c.describe() + " accepted a negative confidence");
        }
    }

    @Test
    void thePreRegisteredFamiliesAreThoseInTraining() {
        List<GateCandidate> all = GateCandidate.preRegistered();
        assertEquals(30, all.size());
        assertEquals(List.of("F0", "F1", "F2", "F3", "F4", "F5"), all.stream().map(GateCandidate::family).distinct().toList());
        assertEquals("F2: mean_confidence >= t and low_confidence_share <= 0.1", all.get(6).describe());
        assertEquals("F4: geometric_mean_confidence >= t", all.stream().filter(c -> c.family().equals("F4"))
                .findFirst().orElseThrow().describe());
        assertThrows(IllegalArgumentException.class, () -> new GateCandidate("x", Feature.VOICED_COVERAGE, List.of()));
    }
}
