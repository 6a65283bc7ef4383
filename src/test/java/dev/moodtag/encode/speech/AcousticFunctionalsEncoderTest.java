package dev.moodtag.encode.speech;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.SpeechActivityDetector.Region;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static dev.moodtag.encode.speech.SpeechFixtures.assertFinite;
import static dev.moodtag.encode.speech.SpeechFixtures.sample;
import static dev.moodtag.encode.speech.SpeechFixtures.utterance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcousticFunctionalsEncoderTest {

    static final AcousticFunctionals FUNCTIONALS = new AcousticFunctionals(55, 600, 0.2);
    static final List<String> NAMES = AcousticFunctionals.FEATURE_NAMES;

    static EncoderSpec spec() {
        return SpeechFixtures.spec(SpeechFixtures.speechPack(), AcousticFunctionalsEncoder.KIND);
    }

    static float[] whole(AudioTrack a) {
        return FUNCTIONALS.compute(a.samples(), List.of(new Region(0, a.durationSeconds())));
    }

    static float feature(float[] v, String name) {
        int i = NAMES.indexOf(name);
        assertTrue(i >= 0, "no feature " + name);
        return v[i];
    }

    static double medianF0Hz(float[] v) {
        return 27.5 * Math.pow(2, feature(v, "f0_semitone_p50") / 12);
    }

    @Test
    void featureListIsFixedUniqueAndMatchesTheManifestDim() {
        assertEquals(105, NAMES.size());
        assertEquals(NAMES.size(), new HashSet<>(NAMES).size());
        assertEquals(NAMES.size(), spec().dim());
        assertEquals(NAMES, AcousticFunctionalsEncoder.FEATURE_NAMES);
        assertTrue(NAMES.containsAll(List.of("f0_semitone_mean", "mfcc13_delta_std", "hnr_db_mean", "voiced_ratio",
                "pause_mean_s", "alpha_ratio_db_unvoiced_mean")));
    }

    @Test
    void encodesTheSamplesWithTheDimOfTheManifest() {
        try (AcousticFunctionalsEncoder enc = new AcousticFunctionalsEncoder(spec(), SpeechFixtures.context())) {
            assertEquals("java", enc.info().provider());
            for (String name : SpeechFixtures.SAMPLES) {
                float[] v = assertInstanceOf(EncoderOutput.Vector.class, enc.encode(utterance(sample(name)))).values();
                assertEquals(enc.info().dim(), v.length);
                assertFinite(v);
                assertTrue(feature(v, "voiced_ratio") > 0.2 && feature(v, "voiced_ratio") <= 1, name);
                assertTrue(feature(v, "voiced_segments_per_s") > 0.5 && feature(v, "voiced_segments_per_s") < 10, name);
            }
        }
    }

    @Test
    void maleSpeakerF0IsInTheMaleRangeAndAFemaleSpeakerIsHigher() {
        double male = 0;
        for (String name : SpeechFixtures.SAMPLES) {
            double f0 = medianF0Hz(whole(sample(name)));
            assertTrue(f0 >= 80 && f0 <= 220, name + " (speaker 03, male): median F0 " + f0);
            male = Math.max(male, f0);
        }
        double maleNeutral = medianF0Hz(whole(SpeechFixtures.emodb("03a01Nc.wav")));
        double femaleNeutral = medianF0Hz(whole(SpeechFixtures.emodb("08a01Na.wav")));
        assertTrue(maleNeutral >= 80 && maleNeutral <= 160, "male neutral " + maleNeutral);
        assertTrue(femaleNeutral > 1.4 * maleNeutral && femaleNeutral < 350,
                "female neutral " + femaleNeutral + " vs male " + maleNeutral);
    }

    @Test
    void staysFiniteOnSilenceShortClipsAndClippingNoise() {
        float[] silent = whole(SpeechFixtures.silence(1));
        assertFinite(silent);
        assertEquals(0f, feature(silent, "voiced_ratio"));

        float[] short02 = whole(SpeechFixtures.middle(sample("03a05Fc.wav"), 0.2));
        assertFinite(short02);

        Random r = new Random(5);
        float[] noise = new float[32000];
        for (int i = 0; i < noise.length; i++) noise[i] = r.nextBoolean() ? 1f : -1f;
        float[] clipped = whole(new AudioTrack(noise));
        assertFinite(clipped);
        assertTrue(feature(clipped, "voiced_ratio") < 0.1, "noise is not voiced");

        float[] tiny = whole(new AudioTrack(new float[100]));
        assertFinite(tiny);
    }

    @Test
    void vadRegionsRestrictTheSpeechStatisticsNotThePauses() {
        AudioTrack clip = sample("03b09Tc.wav");
        AudioTrack padded = SpeechFixtures.padded(clip, 1.0, 0.002, 3);
        try (AcousticFunctionalsEncoder enc = new AcousticFunctionalsEncoder(spec(), SpeechFixtures.context())) {
            float[] v = ((EncoderOutput.Vector) enc.encode(utterance(padded))).values();
            float[] bare = ((EncoderOutput.Vector) enc.encode(utterance(clip))).values();
            assertFinite(v);
            // Padding with a second of noise each side changes neither the loudness statistics of the speech nor
            // the rhythm (which is measured between the first and last sound) by much.
            assertEquals(feature(bare, "loudness_mean"), feature(v, "loudness_mean"), 0.1 * feature(bare, "loudness_mean"));
            assertEquals(feature(bare, "voiced_ratio"), feature(v, "voiced_ratio"), 0.1);
            assertEquals(feature(bare, "f0_semitone_mean"), feature(v, "f0_semitone_mean"), 0.5);
        }
    }

    @Test
    void missingOnSilenceTooLittleSpeechAndNoAudio() {
        try (AcousticFunctionalsEncoder withVad = new AcousticFunctionalsEncoder(spec(), SpeechFixtures.context());
             AcousticFunctionalsEncoder noVad = new AcousticFunctionalsEncoder(
                     SpeechFixtures.withParams(spec(), Map.of("vad", false)),
                     new EncoderContext(Fixtures.onnxCpu(), Optional.empty()))) {
            assertInstanceOf(EncoderOutput.Missing.class, withVad.encode(utterance(SpeechFixtures.silence(1))));
            assertInstanceOf(EncoderOutput.Missing.class, noVad.encode(utterance(SpeechFixtures.silence(1))));
            assertInstanceOf(EncoderOutput.Missing.class,
                    noVad.encode(utterance(SpeechFixtures.middle(sample("03a05Fc.wav"), 0.05))));
            float[] v = assertInstanceOf(EncoderOutput.Vector.class,
                    noVad.encode(utterance(SpeechFixtures.middle(sample("03a05Fc.wav"), 0.2)))).values();
            assertFinite(v);
            assertEquals(new EncoderOutput.Missing("no audio"), withVad.encode(SpeechFixtures.withoutAudio("no audio")));
        }
    }

    @Test
    void wrongDimIsAPackError() {
        assertThrows(ModelPackException.class, () -> new AcousticFunctionalsEncoder(
                new EncoderSpec("f", spec().modality(), spec().kind(), Map.of(), Map.of(), Map.of(), Map.of("vad", false),
                        88, "fp32", "", ""), new EncoderContext(Fixtures.onnxCpu(), Optional.empty())));
    }
}
