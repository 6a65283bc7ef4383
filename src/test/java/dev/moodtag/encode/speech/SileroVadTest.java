package dev.moodtag.encode.speech;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.moodtag.encode.SpeechActivityDetector.Region;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.onnx.Tensors;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.moodtag.encode.speech.SpeechFixtures.padded;
import static dev.moodtag.encode.speech.SpeechFixtures.sample;
import static dev.moodtag.encode.speech.SpeechFixtures.silence;
import static dev.moodtag.encode.speech.SpeechFixtures.vad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SileroVadTest {

    @Test
    void findsTheSpeechInsideOneSecondOfPaddingEachSide() {
        for (double noise : new double[]{0, 0.003}) {
            AudioTrack clip = sample("03a05Fc.wav");
            // Where the speech really is inside the unpadded clip (EmoDB files start and end with a little silence).
            List<Region> inClip = vad().speechRegions(clip);
            AudioTrack padded = padded(clip, 1.0, noise, 7);
            List<Region> regions = vad().speechRegions(padded);
            assertTrue(!regions.isEmpty(), "speech found with noise rms " + noise);
            double start = regions.get(0).startSeconds(), end = regions.get(regions.size() - 1).endSeconds();
            assertEquals(1.0 + inClip.get(0).startSeconds(), start, 0.1, "start with noise " + noise);
            assertEquals(1.0 + inClip.get(inClip.size() - 1).endSeconds(), end, 0.1, "end with noise " + noise);
            assertTrue(start >= 0.9 && end <= 1.0 + clip.durationSeconds() + 0.1,
                    "regions " + regions + " stay near the speech of the " + clip.durationSeconds() + " s clip");

            AudioTrack kept = vad().keepSpeech(padded);
            double removed = padded.durationSeconds() - kept.durationSeconds();
            assertTrue(removed >= 1.8, "keepSpeech removed " + removed + " s of the 2 s padding");
            assertTrue(kept.durationSeconds() >= 0.8 * SpeechRegions.seconds(inClip), "the speech is kept");
        }
    }

    @Test
    void regionsAreOrderedDisjointAndInsideTheTrack() {
        for (String name : SpeechFixtures.SAMPLES) {
            AudioTrack clip = sample(name);
            List<Region> regions = vad().speechRegions(clip);
            assertTrue(!regions.isEmpty(), name);
            double last = 0;
            for (Region r : regions) {
                assertTrue(r.startSeconds() >= last && r.endSeconds() > r.startSeconds(), name + ": " + regions);
                last = r.endSeconds();
            }
            assertTrue(last <= clip.durationSeconds() + 1e-9);
        }
    }

    @Test
    void silenceHasNoSpeechAndKeepSpeechReturnsTheInput() {
        AudioTrack quiet = silence(1.5);
        assertTrue(vad().speechRegions(quiet).isEmpty());
        assertSame(quiet, vad().keepSpeech(quiet));
    }

    @Test
    void reusedTensorsGiveExactlyWhatAPlainLoopGives() throws Exception {
        // Reference: fresh tensors per chunk, stateN copied back by hand. Guards the swapped, pinned state buffers.
        float[] x = padded(sample("03a05Fc.wav"), 0.5, 0.001, 2).samples();
        float[] fast = vad().probabilities(x);
        OrtEnvironment env = Fixtures.onnxCpu().environment();
        EncoderSpec spec = SpeechFixtures.speechPack().vad().orElseThrow();
        try (LoadedSession s = Fixtures.onnxCpu().open("reference", spec.file("model").readAllBytes())) {
            float[] state = new float[256];
            for (int c = 0; c < fast.length; c++) {
                float[] in = new float[576];
                for (int i = 0; i < in.length; i++) {
                    int j = c * 512 - 64 + i;
                    in[i] = j >= 0 && j < x.length ? x[j] : 0;
                }
                try (OnnxTensor audio = Tensors.floats(env, in, 1, 576);
                     OnnxTensor st = Tensors.floats(env, state, 2, 1, 128);
                     OnnxTensor sr = Tensors.longs(env, new long[]{16000});
                     OrtSession.Result r = s.session().run(Map.of("input", audio, "state", st, "sr", sr))) {
                    assertEquals(Tensors.output(r, "output").data()[0], fast[c], "chunk " + c);
                    state = Tensors.output(r, "stateN").data();
                }
            }
        }
    }

    @Test
    void chunkProbabilitiesFollowTheSpeech() {
        AudioTrack padded = padded(sample("03b01Wa.wav"), 1.0, 0, 1);
        float[] p = vad().probabilities(padded.samples());
        assertEquals((padded.samples().length + 511) / 512, p.length);
        int inLeadingSilence = (int) (0.8 * 16000 / 512);
        assertTrue(p[inLeadingSilence] < 0.1, "silence: " + p[inLeadingSilence]);
        double max = 0;
        for (float v : p) max = Math.max(max, v);
        assertTrue(max > 0.9, "speech reaches " + max);
    }
}
