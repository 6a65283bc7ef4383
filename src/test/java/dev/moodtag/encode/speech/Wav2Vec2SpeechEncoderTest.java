package dev.moodtag.encode.speech;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static dev.moodtag.encode.speech.SpeechFixtures.assertFinite;
import static dev.moodtag.encode.speech.SpeechFixtures.utterance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wiring and shapes only: the placeholder model has random weights, so its outputs mean nothing. */
class Wav2Vec2SpeechEncoderTest {

    static EncoderSpec spec() {
        return Fixtures.pack(SpeechFixtures.WAV2VEC2_PACK).encoders().get(0);
    }

    static EncoderContext noVad() {
        return new EncoderContext(Fixtures.onnxCpu(), Optional.empty());
    }

    /** Real speech repeated to {@code seconds}. */
    static AudioTrack speech(double seconds) {
        float[] clip = SpeechFixtures.sample("03a05Fc.wav").samples();
        float[] s = new float[(int) Math.round(seconds * AudioTrack.RATE)];
        for (int i = 0; i < s.length; i++) s[i] = clip[i % clip.length];
        return new AudioTrack(s);
    }

    @Test
    void oneSecondGives49FramesOf64AndA128dVector() throws Exception {
        try (Wav2Vec2SpeechEncoder enc = new Wav2Vec2SpeechEncoder(spec(), noVad())) {
            AudioTrack oneSecond = speech(1.0);
            Wav2Vec2SpeechEncoder.HiddenFrames h = enc.hiddenFrames(oneSecond.samples());
            assertEquals(49, h.count());
            assertEquals(64, h.hidden());
            float[] v = assertInstanceOf(EncoderOutput.Vector.class, enc.encode(utterance(oneSecond))).values();
            assertEquals(128, v.length);
            assertEquals(128, enc.info().dim());
            assertFinite(v);
            assertArrayEquals(v, ((EncoderOutput.Vector) enc.encode(utterance(oneSecond))).values());
        }
    }

    @Test
    void audioLongerThanAChunkIsRunInEqualChunksAndPooledOverAllFrames() throws Exception {
        EncoderSpec oneSecondChunks = SpeechFixtures.withParams(spec(), Map.of("chunkSeconds", 1.0));
        try (Wav2Vec2SpeechEncoder chunked = new Wav2Vec2SpeechEncoder(oneSecondChunks, noVad());
             Wav2Vec2SpeechEncoder whole = new Wav2Vec2SpeechEncoder(spec(), noVad())) {
            AudioTrack threeSeconds = speech(3.0);
            // Three 1 s chunks of 49 frames each, against 149 frames for one 3 s pass.
            assertEquals(3 * 49, chunked.hiddenFrames(threeSeconds.samples()).count());
            assertEquals(149, whole.hiddenFrames(threeSeconds.samples()).count());
            float[] v = assertInstanceOf(EncoderOutput.Vector.class, chunked.encode(utterance(threeSeconds))).values();
            assertEquals(128, v.length);
            assertFinite(v);
            // 2.5 s in 1 s chunks: 3 equal chunks of 0.83 s rather than 1 + 1 + 0.5.
            assertEquals(List.of(0, 13333, 13333, 26666, 26666, 40000),
                    Wav2Vec2SpeechEncoder.chunks(40000, 16000).stream().flatMap(c -> IntStream.of(c).boxed()).toList());
        }
    }

    @Test
    void inputIsNormalisedPerUtterance() {
        float[] n = Wav2Vec2SpeechEncoder.normalised(new float[]{0.1f, 0.3f, 0.1f, 0.3f});
        assertArrayEquals(new float[]{-1, 1, -1, 1}, n, 1e-3f);
        try (Wav2Vec2SpeechEncoder enc = new Wav2Vec2SpeechEncoder(spec(), noVad())) {
            AudioTrack a = speech(1.0);
            float[] louder = a.samples().clone();
            for (int i = 0; i < louder.length; i++) louder[i] *= 3;
            float[] v1 = ((EncoderOutput.Vector) enc.encode(utterance(a))).values();
            float[] v2 = ((EncoderOutput.Vector) enc.encode(utterance(new AudioTrack(louder)))).values();
            assertArrayEquals(v1, v2, 1e-3f, "gain does not change the embedding");
        }
    }

    @Test
    void aDimThatDoesNotFitTheModelFailsAtStart() {
        assertThrows(ModelPackException.class, () -> new Wav2Vec2SpeechEncoder(
                new EncoderSpec(spec().id(), spec().modality(), spec().kind(), spec().files(), spec().inputs(),
                        spec().outputs(), spec().params(), 1536, "int8", "", ""), noVad()));
    }

    @Test
    void silenceAndNoAudioAreMissing() {
        try (Wav2Vec2SpeechEncoder enc = new Wav2Vec2SpeechEncoder(spec(), noVad())) {
            assertInstanceOf(EncoderOutput.Missing.class, enc.encode(utterance(SpeechFixtures.silence(1))));
            assertEquals(new EncoderOutput.Missing("no sound"), enc.encode(SpeechFixtures.withoutAudio("no sound")));
            assertTrue(enc.encode(utterance(new AudioTrack(new float[200]))) instanceof EncoderOutput.Missing);
        }
    }
}
