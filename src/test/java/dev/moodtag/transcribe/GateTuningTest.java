package dev.moodtag.transcribe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Choosing the gate's threshold from stored per-clip statistics, and the statistics file that carries them. */
class GateTuningTest {

    private static AsrClip clip(String input, String reference, double mean, double coverage, int edits) {
        SpeechStatistics s = new SpeechStatistics(mean > 0 ? 5 : 0, mean, mean / 2, mean > 0 ? 0.2 : 0, mean * 0.99, 3.0,
                2.0, coverage, "en");
        return new AsrClip(input, input + "/" + mean, reference, "kids are talking by the door", s,
                new TranscriptGate(0.5, 0.3).decide(s), edits, reference == null ? 0 : 6, false, 1.25);
    }

    @Test
    void choosesTheHighestThresholdThatKeepsTheShareRoundedDown() {
        List<AsrClip> english = new ArrayList<>();
        for (int i = 0; i < 20; i++) english.add(clip("en.csv", "kids are talking by the door", 0.80 + i * 0.01 + 0.0004, 1, 0));
        // 20 clips at 0.8004 .. 0.9904: keeping 95 % (19) means the second lowest, 0.8104, rounded down to 0.810
        assertEquals(0.810, GateTuning.highestKeeping(english, 0.95, 0.3), 1e-12);
        assertEquals(0.800, GateTuning.highestKeeping(english, 1.0, 0.3), 1e-12);
        assertEquals(0.990, GateTuning.highestKeeping(english, 0.05, 0.3), 1e-12);
        TranscriptGate chosen = new TranscriptGate(0.810, 0.3);
        assertEquals(19, english.stream().filter(c -> chosen.decide(c.statistics()).accepted()).count());
    }

    @Test
    void clipsTheCoverageGateRejectsAnywayCannotBeKeptByAnyThreshold() {
        List<AsrClip> english = new ArrayList<>();
        for (int i = 0; i < 10; i++) english.add(clip("en.csv", "x", 0.99, i < 2 ? 0.1 : 1, 0));
        assertEquals(0.99, GateTuning.highestKeeping(english, 0.8, 0.3), 1e-12);
        assertEquals(0, GateTuning.highestKeeping(english, 0.95, 0.3), "only 8 of 10 can pass: no threshold keeps 95 %");
    }

    @Test
    void refusesNonsense() {
        List<AsrClip> one = List.of(clip("en.csv", "x", 0.9, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> GateTuning.highestKeeping(one, 0, 0.3));
        assertThrows(IllegalArgumentException.class, () -> GateTuning.highestKeeping(one, 1.5, 0.3));
        assertThrows(IllegalArgumentException.class, () -> GateTuning.highestKeeping(one, Double.NaN, 0.3));
        assertThrows(IllegalArgumentException.class, () -> GateTuning.highestKeeping(List.of(), 0.95, 0.3));
    }

    /** Clips of two "languages": English with a reference and {@code edits} errors in 6 words, German without one. */
    private static List<AsrClip> tuningSplit(double[] english, double[] german, int edits) {
        List<AsrClip> clips = new ArrayList<>();
        for (double m : english) clips.add(clip("en.csv", "kids are talking by the door", m, 1, edits));
        for (double m : german) clips.add(clip("de.csv", null, m, 1, 0));
        return clips;
    }

    @Test
    void widestMarginBalancesBothGoalsAndRoundsDown() {
        // 20 English clips at 0.80..0.99; 10 German clips at 0.855..0.945. Goals: >= 90 % English, <= 20 % German.
        double[] en = new double[20], de = new double[10];
        for (int i = 0; i < 20; i++) en[i] = 0.8005 + i * 0.01;
        for (int i = 0; i < 10; i++) de[i] = 0.855 + i * 0.01;
        GateCandidate mean = GateCandidate.preRegistered().get(0);
        GateTuning.Tuned t = GateTuning.widestMargin(mean, tuningSplit(en, de, 0), new GateTuning.Goals(0.9, 0.2, 0.06),
                0.3).orElseThrow();
        // At t = 0.80 + 0.01 i: 20 - i English kept, and all 10 German up to i = 5, one fewer per step after.
        // Margins min((20 - i) / 20 - 0.9, 0.2 - German / 10): -0.8 up to i = 5, ..., -0.4 at i = 9 (55 %, 6 German)
        // and at i = 10 (50 %, 5 German), -0.45 at i = 11. The tie goes to the higher English acceptance: 0.89.
        assertEquals(0.89, t.threshold(), 1e-12);
        assertEquals(-0.4, t.margin(), 1e-9);
        assertEquals(11, t.inLanguage().accepted());
        assertEquals(6, t.other().accepted());
        assertEquals(0, t.inLanguage().acceptedWer());
    }

    @Test
    void widestMarginSkipsThresholdsWhoseAcceptedWerBreaksTheGoal() {
        double[] en = {0.95, 0.96, 0.97}, de = {0.5};
        // every English clip has 3 errors in 6 words: no threshold keeps WER <= 6 %
        assertTrue(GateTuning.widestMargin(GateCandidate.preRegistered().get(0), tuningSplit(en, de, 3),
                new GateTuning.Goals(0.95, 0.05, 0.06), 0.3).isEmpty());
        assertTrue(GateTuning.widestMargin(GateCandidate.preRegistered().get(0), tuningSplit(en, de, 0),
                new GateTuning.Goals(0.95, 0.05, 0.06), 0.3).isPresent());
    }

    @Test
    void widestMarginNeedsBothKindsOfClipsAndSaneGoals() {
        List<AsrClip> englishOnly = tuningSplit(new double[]{0.9}, new double[0], 0);
        assertThrows(IllegalArgumentException.class, () -> GateTuning.widestMargin(GateCandidate.preRegistered().get(0),
                englishOnly, new GateTuning.Goals(0.95, 0.05, 0.06), 0.3));
        assertThrows(IllegalArgumentException.class, () -> new GateTuning.Goals(1.5, 0.05, 0.06));
        assertThrows(IllegalArgumentException.class, () -> new GateTuning.Goals(0.95, Double.NaN, 0.06));
    }

    @Test
    void statisticsFileRoundTripsAndReDecidesExactlyUnderAnotherGate() throws IOException {
        List<AsrClip> clips = List.of(clip("en.csv", "Kids are talking, by the door.", 0.8812345678901234, 0.9, 1),
                clip("de.csv", null, 0.93, Double.NaN, 0), clip("de.csv", null, 0, 0, 0));
        Path file = Files.createTempFile("asr-stats", ".csv");
        try {
            AsrClipsCsv.write(file, clips);
            TranscriptGate gate = new TranscriptGate(0.8812345678901234, 0.3);
            List<AsrClip> back = AsrClipsCsv.read(file, gate);
            assertEquals(3, back.size());
            for (int i = 0; i < clips.size(); i++) {
                AsrClip a = clips.get(i), b = back.get(i);
                assertEquals(a.statistics(), b.statistics());
                assertEquals(a.input(), b.input());
                assertEquals(a.reference(), b.reference());
                assertEquals(a.edits(), b.edits());
                assertEquals(a.referenceWords(), b.referenceWords());
                assertEquals(gate.decide(a.statistics()), b.decision(), "decided from the file as from the recognition");
                assertTrue(b.cached());
            }
            assertTrue(back.get(0).decision().accepted(), "a mean exactly at the threshold survives the round trip");
            assertEquals("no speech recognised in 3.0 s of audio", back.get(2).decision().reason());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aFileWithoutTheStatisticsIsRefusedWithWhatItLacks() throws IOException {
        Path file = Files.createTempFile("asr-stats", ".csv");
        try {
            Files.writeString(file, "file,reference,hypothesis,accepted,reason,words,mean_confidence\nx.wav,,hi,true,,1,0.9\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AsrClipsCsv.read(file, new TranscriptGate(0.9, 0.3)));
            assertTrue(e.getMessage().contains("not an asr-eval statistics file") && e.getMessage().contains("voiced_coverage"),
                    e.getMessage());
            List<String> header = List.of(AsrClipsCsv.HEADER);
            Files.writeString(file, String.join(",", header) + "\nx.wav,,hi,true,,many,0.9,0.9,0,0.9,1,1,1,en,,,,in.csv\n");
            e = assertThrows(IllegalArgumentException.class, () -> AsrClipsCsv.read(file, new TranscriptGate(0.9, 0.3)));
            assertTrue(e.getMessage().contains("line 2: 'words' must be a whole number from 0 to 2147483647, not \"many\""),
                    e.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
