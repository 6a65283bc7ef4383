package dev.moodtag.encode.speech;

import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.SpeechActivityDetector.Region;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static dev.moodtag.encode.speech.SpeechFixtures.assertFinite;
import static dev.moodtag.encode.speech.SpeechFixtures.sample;
import static dev.moodtag.encode.speech.SpeechFixtures.utterance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Level normalisation and utterance-relative functionals: what makes a clip's features independent of its gain. */
class SpeechLevelTest {

    static final List<String> ALL_RELATIVE = List.of("f0", "loudness", "mfcc");

    static AudioTrack scaled(AudioTrack a, double db) {
        float g = (float) Math.pow(10, db / 20);
        float[] s = new float[a.samples().length];
        for (int i = 0; i < s.length; i++) s[i] = a.samples()[i] * g;
        return new AudioTrack(s);
    }

    /** A sample 12 dB down, so that +6 dB on it cannot reach full scale. */
    static AudioTrack quietSample(String name) {
        return scaled(sample(name), -12);
    }

    static double dbfs(float[] x) {
        return 20 * Math.log10(SpeechLevel.rms(x));
    }

    static float[] vector(EncoderOutput out) {
        return assertInstanceOf(EncoderOutput.Vector.class, out, () -> "missing: " + out).values();
    }

    static EncoderSpec functionalsSpec(Map<String, Object> params, int dim) {
        EncoderSpec s = SpeechFixtures.spec(SpeechFixtures.speechPack(), AcousticFunctionalsEncoder.KIND);
        Map<String, Object> p = new HashMap<>(s.params());
        p.putAll(params);
        return new EncoderSpec(s.id(), s.modality(), s.kind(), s.files(), s.inputs(), s.outputs(), p, dim,
                s.precision(), s.licence(), s.source());
    }

    static EncoderSpec melSpec(Map<String, Object> params) {
        return SpeechFixtures.withParams(SpeechFixtures.spec(SpeechFixtures.speechPack("speech-oww-embedding", "fp32"),
                MelEmbeddingSpeechEncoder.KIND), params);
    }

    /** Largest |a − b| relative to the feature's own size (at least 1, so near-zero features compare absolutely). */
    static double worstRelativeDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.max(Math.abs(a[i]), Math.abs(b[i]))));
        }
        return worst;
    }

    @Test
    void bringsTheSpeechToTheTargetLevelWithOneGain() {
        AudioTrack clip = quietSample("03a05Fc.wav");
        SpeechInput.Speech speech = new SpeechInput.Speech(clip, List.of(new Region(0.5, 1.5)));
        SpeechInput.Speech levelled = new SpeechLevel(-23).apply(speech);
        assertEquals(-23, dbfs(levelled.speechSamples()), 0.01);
        assertEquals(speech.regions(), levelled.regions());
        double gain = levelled.track().samples()[8000] / (double) clip.samples()[8000];
        for (int i = 0; i < clip.samples().length; i += 997) {
            assertEquals(clip.samples()[i] * gain, levelled.track().samples()[i], 1e-6);
        }
        assertTrue(clip.samples()[8000] != 0 && levelled.track().samples() != clip.samples());
    }

    @Test
    void neverClipsNeverBlowsUpNoiseAndLeavesDigitalSilenceAlone() {
        // A single full-scale click on quiet speech: reaching −23 dBFS would push the click far past full scale.
        float[] s = quietSample("03a05Fc.wav").samples().clone();
        s[100] = 0.9f;
        SpeechInput.Speech clicked = new SpeechLevel(-10).apply(whole(new AudioTrack(s)));
        double peak = 0;
        for (float v : clicked.track().samples()) peak = Math.max(peak, Math.abs(v));
        assertEquals(SpeechLevel.PEAK_CEILING, peak, 1e-6);

        Random r = new Random(3);
        float[] hiss = new float[16000];
        for (int i = 0; i < hiss.length; i++) hiss[i] = (float) (r.nextGaussian() * 1e-4);
        SpeechInput.Speech lifted = new SpeechLevel(-23).apply(whole(new AudioTrack(hiss)));
        assertEquals(dbfs(hiss) + SpeechLevel.MAX_GAIN_DB, dbfs(lifted.track().samples()), 0.01);

        SpeechInput.Speech silent = whole(SpeechFixtures.silence(1));
        assertSame(silent, new SpeechLevel(-23).apply(silent));
    }

    static SpeechInput.Speech whole(AudioTrack a) {
        return new SpeechInput.Speech(a, List.of(new Region(0, a.durationSeconds())));
    }

    /**
     * Each sample at −6 and +6 dB (12 dB apart): the levelled encoder gives the same vector within 2 %, and the test
     * can fail: the encoder as recorded gives vectors at least {@code asRecordedApart} apart.
     */
    static void assertGainInvariant(Encoder levelled, Encoder asRecorded, double asRecordedApart) {
        for (String name : SpeechFixtures.SAMPLES) {
            AudioTrack clip = quietSample(name);
            float[] down = vector(levelled.encode(utterance(scaled(clip, -6))));
            float[] up = vector(levelled.encode(utterance(scaled(clip, 6))));
            assertEquals(levelled.info().dim(), down.length);
            assertTrue(worstRelativeDifference(down, up) < 0.02,
                    name + ": levelled vectors differ by " + worstRelativeDifference(down, up));
            float[] rawDown = vector(asRecorded.encode(utterance(scaled(clip, -6))));
            float[] rawUp = vector(asRecorded.encode(utterance(scaled(clip, 6))));
            assertTrue(worstRelativeDifference(rawDown, rawUp) > asRecordedApart,
                    name + ": as recorded only " + worstRelativeDifference(rawDown, rawUp));
        }
    }

    @Test
    void functionalsOfAClipAtMinusAndPlusSixDbAgreeWithLevelAndRelativeDescriptors() {
        Map<String, Object> params = Map.of("levelDbfs", -23.0, "utteranceRelative", ALL_RELATIVE);
        int dim = AcousticFunctionals.featureNames(Set.of(UtteranceRelative.values())).size();
        try (AcousticFunctionalsEncoder levelled = new AcousticFunctionalsEncoder(functionalsSpec(params, dim),
                SpeechFixtures.context());
             AcousticFunctionalsEncoder asRecorded = new AcousticFunctionalsEncoder(functionalsSpec(Map.of(), 105),
                     SpeechFixtures.context())) {
            // As recorded, 12 dB moves the level descriptors (loudness, energy) a lot.
            assertGainInvariant(levelled, asRecorded, 0.5);
        }
    }

    @Test
    void speechEmbeddingOfAClipAtMinusAndPlusSixDbAgreesWithLevel() {
        try (MelEmbeddingSpeechEncoder levelled = new MelEmbeddingSpeechEncoder(melSpec(Map.of("levelDbfs", -23.0)),
                SpeechFixtures.context());
             MelEmbeddingSpeechEncoder asRecorded = new MelEmbeddingSpeechEncoder(melSpec(Map.of()),
                     SpeechFixtures.context())) {
            assertGainInvariant(levelled, asRecorded, 0.1);
        }
    }

    @Test
    void extremesGiveFiniteVectors() {
        Map<String, Object> params = Map.of("vad", false, "levelDbfs", -23.0, "utteranceRelative", ALL_RELATIVE);
        int dim = AcousticFunctionals.featureNames(Set.of(UtteranceRelative.values())).size();
        EncoderContext noVad = new EncoderContext(Fixtures.onnxCpu(), Optional.empty());
        Random r = new Random(5);
        float[] square = new float[32000], hiss = new float[32000];
        for (int i = 0; i < square.length; i++) {
            square[i] = r.nextBoolean() ? 1f : -1f;
            hiss[i] = (float) (r.nextGaussian() * 2e-4);
        }
        try (AcousticFunctionalsEncoder functionals = new AcousticFunctionalsEncoder(functionalsSpec(params, dim), noVad);
             MelEmbeddingSpeechEncoder embedding = new MelEmbeddingSpeechEncoder(
                     melSpec(Map.of("vad", false, "levelDbfs", -23.0)), noVad)) {
            for (float[] x : List.of(square, hiss, SpeechFixtures.middle(sample("03a05Fc.wav"), 0.2).samples())) {
                AudioTrack a = new AudioTrack(x);
                assertFinite(vector(functionals.encode(utterance(a))));
                assertFinite(vector(embedding.encode(utterance(a))));
            }
            assertInstanceOf(EncoderOutput.Missing.class, functionals.encode(utterance(SpeechFixtures.silence(1))));
            assertInstanceOf(EncoderOutput.Missing.class, embedding.encode(utterance(SpeechFixtures.silence(1))));
        }
    }

    @Test
    void relativeDescriptorsReplaceTheAbsoluteOnes() {
        List<String> all = AcousticFunctionals.featureNames(Set.of(UtteranceRelative.values()));
        assertEquals(90, all.size());
        assertEquals(104, AcousticFunctionals.featureNames(Set.of(UtteranceRelative.F0)).size());
        assertEquals(92, AcousticFunctionals.featureNames(Set.of(UtteranceRelative.MFCC)).size());
        assertTrue(all.containsAll(List.of("f0_semitone_re_median_p80", "loudness_re_median_range_p20_p80",
                "energy_db_re_median_mean", "mfcc1_std")));
        for (String gone : List.of("f0_semitone_p50", "f0_semitone_re_median_p50", "loudness_mean", "mfcc1_mean"))
            assertFalse(all.contains(gone), gone);

        // F0 re the median is the absolute F0 statistics minus the absolute median, on a real clip.
        AudioTrack clip = SpeechFixtures.emodb("08a01Na.wav");
        List<String> absNames = AcousticFunctionals.FEATURE_NAMES, relNames = AcousticFunctionals.featureNames(Set.of(UtteranceRelative.F0));
        float[] abs = whole(new AcousticFunctionals(55, 600, 0.2), clip);
        float[] rel = whole(new AcousticFunctionals(55, 600, 0.2, Set.of(UtteranceRelative.F0)), clip);
        float median = abs[absNames.indexOf("f0_semitone_p50")];
        assertTrue(median > 30, "a woman's median F0 in semitones re 27.5 Hz: " + median);
        for (String f : List.of("mean", "p20", "p80"))
            assertEquals(abs[absNames.indexOf("f0_semitone_" + f)] - median, rel[relNames.indexOf("f0_semitone_re_median_" + f)], 1e-3, f);
        for (String f : List.of("std", "range_p20_p80"))
            assertEquals(abs[absNames.indexOf("f0_semitone_" + f)], rel[relNames.indexOf("f0_semitone_re_median_" + f)], 1e-3, f);
        assertEquals(abs[absNames.indexOf("hnr_db_mean")], rel[relNames.indexOf("hnr_db_mean")]);
    }

    static float[] whole(AcousticFunctionals f, AudioTrack a) {
        return f.compute(a.samples(), List.of(new Region(0, a.durationSeconds())));
    }

    @Test
    void badParametersArePackErrors() {
        EncoderContext noVad = new EncoderContext(Fixtures.onnxCpu(), Optional.empty());
        assertThrows(ModelPackException.class, () -> new AcousticFunctionalsEncoder(
                functionalsSpec(Map.of("vad", false, "levelDbfs", 0.0), 105), noVad));
        assertThrows(ModelPackException.class, () -> new AcousticFunctionalsEncoder(
                functionalsSpec(Map.of("vad", false, "utteranceRelative", List.of("pitch")), 105), noVad));
        ModelPackException dim = assertThrows(ModelPackException.class, () -> new AcousticFunctionalsEncoder(
                functionalsSpec(Map.of("vad", false, "utteranceRelative", ALL_RELATIVE), 105), noVad));
        assertTrue(dim.getMessage().contains("produces 90 features"), dim.getMessage());
        assertThrows(ModelPackException.class, () -> new MelEmbeddingSpeechEncoder(
                melSpec(Map.of("vad", false, "levelDbfs", Double.NaN)), noVad));
    }
}
