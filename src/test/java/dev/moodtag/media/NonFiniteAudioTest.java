package dev.moodtag.media;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 32-bit float WAV may hold NaN samples (a broken recorder, a fuzzed file), and resampling spreads each one. They
 * passed the decoder's clamp to [-1, 1], made the speech level's gain NaN, and the clip read as "no speech detected"
 * (found by a review): the decoder now gives silence for them, so the rest of the clip is heard.
 */
class NonFiniteAudioTest {

    @Test
    void nanSamplesDecodeAsSilenceAndTheSpeechIsStillHeard(@TempDir Path dir) throws IOException {
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        AudioTrack clean = decoder.decode(Fixtures.sample("03a05Fc.wav"), null).audioTrack().orElseThrow();
        for (int rate : new int[]{16_000, 44_100}) {
            float[] x = resampleNearest(clean.samples(), 16_000, rate);
            for (int i = 1_000; i < x.length; i += 7_919) x[i] = Float.NaN;
            x[x.length / 2] = Float.POSITIVE_INFINITY;
            Path wav = floatWav(dir.resolve("nan-" + rate + ".wav"), x, rate);
            AudioTrack got = decoder.decode(wav, null).audioTrack().orElseThrow();
            int nonFinite = 0;
            for (float s : got.samples()) if (!Float.isFinite(s) || Math.abs(s) > 1) nonFinite++;
            assertEquals(0, nonFinite, rate + " Hz: every sample finite and in [-1, 1]");
        }
        try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.defaultPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false)) {
            UtteranceEmbeddings e = engine.embed(decoder.decode(dir.resolve("nan-44100.wav"), null));
            assertTrue(e.hasModality(Modality.SPEECH), "the speech is heard: " + e.results());
        }
    }

    private static float[] resampleNearest(float[] x, int from, int to) {
        float[] out = new float[(int) ((long) x.length * to / from)];
        for (int i = 0; i < out.length; i++) out[i] = x[(int) Math.min(x.length - 1, (long) i * from / to)];
        return out;
    }

    /** A mono WAV of IEEE float samples (format tag 3). */
    static Path floatWav(Path file, float[] samples, int rate) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 4 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 4 * samples.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 3).putShort((short) 1).putInt(rate).putInt(rate * 4)
                .putShort((short) 4).putShort((short) 32);
        b.put("data".getBytes()).putInt(4 * samples.length);
        for (float s : samples) b.putFloat(s);
        return Files.write(file, b.array());
    }
}
