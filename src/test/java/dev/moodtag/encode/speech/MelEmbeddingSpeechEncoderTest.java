package dev.moodtag.encode.speech;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.Pooling;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static dev.moodtag.encode.speech.SpeechFixtures.sample;
import static dev.moodtag.encode.speech.SpeechFixtures.utterance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MelEmbeddingSpeechEncoderTest {

    static MelEmbeddingSpeechEncoder fp32, int8;

    @BeforeAll
    static void open() {
        fp32 = new MelEmbeddingSpeechEncoder(SpeechFixtures.spec(SpeechFixtures.speechPack("speech-oww-embedding", "fp32"),
                MelEmbeddingSpeechEncoder.KIND), SpeechFixtures.context());
        int8 = new MelEmbeddingSpeechEncoder(SpeechFixtures.spec(SpeechFixtures.speechPack("speech-oww-embedding", "int8"),
                MelEmbeddingSpeechEncoder.KIND), SpeechFixtures.context());
    }

    @AfterAll
    static void close() {
        fp32.close();
        int8.close();
    }

    static float[] vector(EncoderOutput out) {
        return assertInstanceOf(EncoderOutput.Vector.class, out, () -> "missing: " + out).values();
    }

    @Test
    void infoNamesThePrecisionThatRuns() {
        assertEquals(192, fp32.info().dim());
        assertEquals("fp32", fp32.info().precision());
        assertEquals("int8", int8.info().precision());
        assertEquals("cpu", int8.info().provider());
        assertEquals("2aa6b8e52b25f2aa1e8806ffbc25a5f0a7258163e4bcaad4208641427564d868", int8.info().sha256().get("embedding"));
    }

    @Test
    void sampleGives215MelFramesAnd18Windows() throws Exception {
        float[] frames = fp32.melFrames(sample("03b01Wa.wav").samples());
        assertEquals(215 * 32, frames.length);
        assertEquals(18, MelEmbeddingSpeechEncoder.windowCount(215));
        // The graph's log floor is -100 (dB of 1e-10); after x/10 + 2 digital silence reads -8, int16-range speech
        // about 4..13 (it would be about -60 if the samples were left in [-1, 1]).
        for (float v : fp32.melFrames(new float[16000])) assertEquals(-8f, v, 1e-4f);
        for (float v : frames) assertTrue(v > 0 && v < 16, "transformed mel of speech " + v);
    }

    @Test
    void embedsTheSamplesTo192FiniteValuesAndRepeatsExactly() {
        for (String name : SpeechFixtures.SAMPLES) {
            float[] a = vector(fp32.encode(utterance(sample(name))));
            float[] b = vector(fp32.encode(utterance(sample(name))));
            assertEquals(192, a.length);
            SpeechFixtures.assertFinite(a);
            assertArrayEquals(a, b, name + " twice");
            double std = 0;
            for (int i = 96; i < 192; i++) std += a[i];
            assertTrue(std > 0, "several windows, so a non-zero std part");
        }
    }

    /**
     * A long utterance's windows go through the model in batches of 64, not all at once (about 0.64 MB of native
     * memory per window: 4.8 GB for a 10-minute utterance, found by a review), and the batches give exactly what one
     * run over every window gives.
     */
    @Test
    void longSpeechIsEmbeddedInBatchesThatChangeNothing() throws Exception {
        float[] one = sample("03b01Wa.wav").samples();
        float[] speech = new float[one.length * 12];
        for (int k = 0; k < 12; k++) System.arraycopy(one, 0, speech, k * one.length, one.length);
        float[] frames = fp32.melFrames(speech);
        int frameCount = frames.length / 32, n = MelEmbeddingSpeechEncoder.windowCount(frameCount);
        assertTrue(n > 3 * MelEmbeddingSpeechEncoder.WINDOWS_PER_RUN, n + " windows");
        float[] windows = MelEmbeddingSpeechEncoder.windows(frames, frameCount);
        float[] batched = fp32.embedWindows(windows, n, MelEmbeddingSpeechEncoder.WINDOWS_PER_RUN);
        float[] whole = fp32.embedWindows(windows, n, n);
        assertEquals(n * 96, batched.length, "96 values a window");
        assertArrayEquals(whole, batched, 1e-6f, "batches of 64 against one run of " + n);
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        // One encoder (and the one VAD it shares) serves several threads at once.
        Map<String, float[]> sequential = new HashMap<>();
        for (String name : SpeechFixtures.SAMPLES) sequential.put(name, vector(fp32.encode(utterance(sample(name)))));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> same = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String name = SpeechFixtures.SAMPLES.get(i % 3);
                AudioTrack clip = sample(name);
                same.add(pool.submit(() -> Arrays.equals(sequential.get(name), vector(fp32.encode(utterance(clip))))));
            }
            for (Future<Boolean> f : same) assertTrue(f.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void int8AgreesWithFp32OnThePooledVector() {
        for (String name : SpeechFixtures.SAMPLES) {
            double cos = Pooling.cosine(vector(int8.encode(utterance(sample(name)))),
                    vector(fp32.encode(utterance(sample(name)))));
            assertTrue(cos >= 0.99, name + ": cos " + cos);
        }
    }

    @Test
    void shortSpeechIsPaddedToOneWindow() {
        // 0.5 s from the middle of a clip: 47 mel frames, reflect-padded to one 76-frame window.
        AudioTrack half = SpeechFixtures.middle(sample("03a05Fc.wav"), 0.5);
        EncoderSpec noVad = SpeechFixtures.withParams(fp32Spec(), Map.of("vad", false));
        try (MelEmbeddingSpeechEncoder enc = new MelEmbeddingSpeechEncoder(noVad, SpeechFixtures.context())) {
            float[] v = vector(enc.encode(utterance(half)));
            assertEquals(192, v.length);
            SpeechFixtures.assertFinite(v);
            for (int i = 96; i < 192; i++) assertEquals(0f, v[i], "one window: zero std");
        }
    }

    @Test
    void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        assertArrayEquals(new int[]{2, 1, 0, 1, 2, 1, 0, 1, 2},
                IntStream.rangeClosed(-2, 6).map(i -> MelEmbeddingSpeechEncoder.reflect(i, 3)).toArray());
        assertEquals(0, MelEmbeddingSpeechEncoder.reflect(-5, 1));
    }

    @Test
    void tooLittleSpeechSilenceAndNoAudioAreMissing() {
        EncoderSpec noVad = SpeechFixtures.withParams(fp32Spec(), Map.of("vad", false));
        try (MelEmbeddingSpeechEncoder enc = new MelEmbeddingSpeechEncoder(noVad,
                new EncoderContext(Fixtures.onnxCpu(), Optional.empty()))) {
            assertInstanceOf(EncoderOutput.Missing.class,
                    enc.encode(utterance(SpeechFixtures.middle(sample("03a05Fc.wav"), 0.05))));
            assertInstanceOf(EncoderOutput.Missing.class, enc.encode(utterance(SpeechFixtures.silence(1))));
        }
        assertInstanceOf(EncoderOutput.Missing.class, fp32.encode(utterance(SpeechFixtures.silence(2))));
        EncoderOutput none = fp32.encode(SpeechFixtures.withoutAudio("the file has no audio stream"));
        assertEquals(new EncoderOutput.Missing("the file has no audio stream"), none);
    }

    @Test
    void vadWithoutDetectorInThePackIsAPackError() {
        assertThrows(ModelPackException.class, () -> new MelEmbeddingSpeechEncoder(fp32Spec(),
                new EncoderContext(Fixtures.onnxCpu(), Optional.empty())));
    }

    private static EncoderSpec fp32Spec() {
        return SpeechFixtures.spec(SpeechFixtures.speechPack("speech-oww-embedding", "fp32"), MelEmbeddingSpeechEncoder.KIND);
    }
}
