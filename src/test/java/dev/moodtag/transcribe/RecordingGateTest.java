package dev.moodtag.transcribe;

import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.support.SettingOutOfRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Rule R1 (TRAINING.md, "A recording is one language"): a recording's recognised text judged as a whole. */
class RecordingGateTest {
    private final RecordingGate gate = new RecordingGate(0.5, 3);

    static TranscriptResolution accepted(int words) {
        List<Transcript.Word> w = new ArrayList<>();
        for (int i = 0; i < words; i++) w.add(new Transcript.Word("w" + i, i, i + 0.5, 0.95));
        return TranscriptResolution.of(Transcript.recognised(String.join(" ", w.stream().map(Transcript.Word::text).toList()),
                w, new Transcript.Recogniser("vosk test", "0".repeat(64), "en", 0.95))).heard(words);
    }

    static TranscriptResolution refused(int words) {
        return TranscriptResolution.missing(words == 0 ? "no speech recognised in 2.0 s of audio"
                : "speech not recognised as English with enough confidence (mean word confidence 0.70 < 0.9 over "
                + words + " words)").heard(words);
    }

    /**
     * Every recording of 0 to 7 segments with words (5 words each, plus 0 to 2 segments with none), each with 0 to all
     * of them accepted, against the rule written out: refused exactly when at least 3 segments have words and fewer
     * than half of the words lie in accepted ones; the reason names both counts.
     */
    @Test
    void aGridOfSegmentCountsAndAcceptedSharesAroundTheThresholds() {
        int refusedCount = 0, cases = 0;
        for (int withWords = 0; withWords <= 7; withWords++) {
            for (int acceptedSegments = 0; acceptedSegments <= withWords; acceptedSegments++) {
                for (int silent = 0; silent <= 2; silent++) {
                    List<TranscriptResolution> segments = new ArrayList<>();
                    for (int i = 0; i < withWords; i++) segments.add(i < acceptedSegments ? accepted(5) : refused(5));
                    for (int i = 0; i < silent; i++) segments.add(Math.min(1, segments.size()), refused(0));
                    Optional<String> why = gate.refuse(segments, "en");
                    boolean expected = withWords >= 3 && 2 * acceptedSegments < withWords;
                    assertEquals(expected, why.isPresent(), withWords + " with words, " + acceptedSegments + " accepted, "
                            + silent + " silent: " + why);
                    if (expected) {
                        refusedCount++;
                        assertEquals("the recording as a whole is not recognised as English with enough confidence ("
                                + 5 * acceptedSegments + " of " + 5 * withWords
                                + " recognised words in segments that passed the gate)", why.get());
                    }
                    cases++;
                }
            }
        }
        assertEquals(3 * 36, cases);
        assertEquals(3 * (2 + 2 + 3 + 3 + 4), refusedCount);
    }

    /** The share is of words, not segments: one long accepted segment outweighs several short refused ones. */
    @Test
    void wordsNotSegmentsAreCountedAtAndAroundHalf() {
        // 3 segments: accepted words a of a + b (b split in two refused segments); half exactly is not fewer than half.
        for (int a = 0; a <= 12; a++) {
            for (int b = 2; b <= 12; b++) {
                List<TranscriptResolution> s = List.of(refused(b / 2), accepted(Math.max(a, 1)), refused(b - b / 2));
                int acc = Math.max(a, 1);
                boolean expected = 2 * acc < acc + b;
                assertEquals(expected, gate.refuse(s, "en").isPresent(), acc + " of " + (acc + b));
            }
        }
        assertTrue(gate.refuse(List.of(accepted(4), refused(2), refused(2)), "en").isEmpty(), "4 of 8 is half: stands");
        assertTrue(gate.refuse(List.of(accepted(4), refused(2), refused(3)), "en").isPresent(), "4 of 9 is under half");
    }

    @Test
    void otherSharesAndSegmentCountsAndTheLanguageName() {
        List<TranscriptResolution> oneInFour = List.of(accepted(5), refused(5), refused(5), refused(5));
        assertTrue(new RecordingGate(0.25, 3).refuse(oneInFour, "en").isEmpty(), "5 of 20 is not under 0.25");
        assertTrue(new RecordingGate(0.26, 3).refuse(oneInFour, "en").isPresent());
        assertTrue(new RecordingGate(0.5, 5).refuse(oneInFour, "en").isEmpty(), "4 segments, 5 asked for");
        assertTrue(new RecordingGate(0.5, 4).refuse(oneInFour, "en").isPresent());
        assertTrue(new RecordingGate(1, 1).refuse(List.of(refused(1)), "en").isPresent(), "the strictest setting");
        assertTrue(new RecordingGate(1, 1).refuse(List.of(accepted(1)), "en").isEmpty(), "all accepted is never refused");
        assertEquals("the recording as a whole is not recognised as German with enough confidence (5 of 20 recognised"
                + " words in segments that passed the gate)", new RecordingGate(0.5, 3).refuse(oneInFour, "de").orElseThrow());
        assertTrue(new RecordingGate(0.5, 3).refuse(oneInFour, "xx").orElseThrow().contains("as 'xx' with"));
    }

    /** 0 turns the check off: even a recording of nothing but refused words keeps each segment's own verdict. */
    @Test
    void zeroTurnsItOff() {
        List<TranscriptResolution> allRefused = new ArrayList<>();
        for (int i = 0; i < 50; i++) allRefused.add(refused(7));
        assertTrue(new RecordingGate(0, 3).refuse(allRefused, "en").isEmpty());
        assertTrue(RecordingGate.OFF.refuse(allRefused, "en").isEmpty());
        assertTrue(gate.refuse(allRefused, "en").isPresent());
        assertTrue(gate.refuse(List.of(), "en").isEmpty());
    }

    @Test
    void settingsOutOfRangeNameTheKey() {
        for (double bad : new double[]{-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            var e = assertThrows(SettingOutOfRange.class, () -> RecordingGate.fromConfig(
                    new TestTranscribeConfig(true, "en", 0.9, 0.3, WarmUp.PACK, bad, 3)));
            assertEquals("moodtag.transcribe.gate.recording-min-accepted-share must be in [0, 1] (0: off), not " + bad,
                    e.getMessage());
        }
        for (int bad : new int[]{0, -1, Integer.MIN_VALUE, 1_000_001, Integer.MAX_VALUE}) {
            var e = assertThrows(SettingOutOfRange.class, () -> RecordingGate.fromConfig(
                    new TestTranscribeConfig(true, "en", 0.9, 0.3, WarmUp.PACK, 0.5, bad)));
            assertEquals("moodtag.transcribe.gate.recording-min-segments must be in [1, 1000000], not " + bad,
                    e.getMessage());
        }
        assertEquals(new RecordingGate(0.5, 3), RecordingGate.fromConfig(TestTranscribeConfig.defaults()));
        assertEquals(new RecordingGate(0, 1), RecordingGate.fromConfig(new TestTranscribeConfig(true, "en", 0.9, 0.3, WarmUp.PACK, 0, 1)));
        assertEquals(new RecordingGate(1, 1_000_000), RecordingGate.fromConfig(
                new TestTranscribeConfig(true, "en", 0.9, 0.3, WarmUp.PACK, 1, 1_000_000)));
    }
}
