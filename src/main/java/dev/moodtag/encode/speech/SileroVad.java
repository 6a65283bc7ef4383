package dev.moodtag.encode.speech;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.onnx.Tensors;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.EncoderSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Silero VAD v5 on 16 kHz audio, with the region logic of silero-vad's {@code get_speech_timestamps}.
 * <p>
 * The model is a recurrent net run on 32 ms chunks in order: each call takes 512 new samples behind the last
 * 64 samples of the previous chunk ([1, 576]; 64 zeros before the first) plus the state the previous call
 * returned, exactly as the reference wrappers do. Because the chunks depend on each other they cannot be batched;
 * instead every tensor of a pass is created once, on direct buffers that the next chunk simply overwrites, and the
 * two state tensors are swapped between input and (pinned) output, so a chunk allocates nothing but the result
 * handle.
 */
public final class SileroVad implements SpeechActivityDetector {

    public static final String KIND = "silero-vad";
    static final int CHUNK = 512;
    static final int CONTEXT = 64;
    static final int STATE_SIZE = 2 * 128;

    private final LoadedSession session;
    private final OrtEnvironment env;
    private final String inAudio, inState, inRate, outProbability, outState;
    private final float threshold;
    /** Speech ends only when the probability falls below this (hysteresis, as in silero-vad). */
    private final float negThreshold;
    private final int minSpeechSamples, minSilenceSamples, padSamples;

    public SileroVad(EncoderSpec spec, OnnxRuntime onnx) {
        this.env = onnx.environment();
        this.inAudio = spec.input("audio", "input");
        this.inState = spec.input("state", "state");
        this.inRate = spec.input("sampleRate", "sr");
        this.outProbability = spec.output("probability", "output");
        this.outState = spec.output("state", "stateN");
        SileroVadParams params = EncoderParameters.bind(spec, SileroVadParams.class);
        this.threshold = params.threshold().floatValue();
        this.negThreshold = params.negThreshold().floatValue();
        this.minSpeechSamples = ms(params.minSpeechMs());
        this.minSilenceSamples = ms(params.minSilenceMs());
        this.padSamples = ms(params.padMs());
        this.session = onnx.open(spec.id(), spec.file("model"));
    }

    private static int ms(double millis) {
        return (int) Math.round(millis * AudioTrack.RATE / 1000.0);
    }

    @Override
    public List<Region> speechRegions(AudioTrack audio) {
        requireRate(audio);
        return toRegions(probabilities(audio.samples()), audio.samples().length);
    }

    @Override
    public AudioTrack keepSpeech(AudioTrack audio) {
        List<Region> regions = speechRegions(audio);
        if (regions.isEmpty()) return audio;
        return new AudioTrack(SpeechRegions.concat(audio, regions), audio.sampleRate(), audio.startSeconds());
    }

    /** Speech probability of each 512-sample chunk; the last, partial chunk is zero-padded. */
    float[] probabilities(float[] x) {
        int chunks = (x.length + CHUNK - 1) / CHUNK;
        float[] probs = new float[chunks];
        FloatBuffer audio = directFloats(CONTEXT + CHUNK);
        FloatBuffer stateA = directFloats(STATE_SIZE), stateB = directFloats(STATE_SIZE);
        FloatBuffer prob = directFloats(1);
        try (OnnxTensor audioT = OnnxTensor.createTensor(env, audio, new long[]{1, CONTEXT + CHUNK});
             OnnxTensor stateAT = OnnxTensor.createTensor(env, stateA, new long[]{2, 1, 128});
             OnnxTensor stateBT = OnnxTensor.createTensor(env, stateB, new long[]{2, 1, 128});
             OnnxTensor probT = OnnxTensor.createTensor(env, prob, new long[]{1, 1});
             OnnxTensor rate = Tensors.longs(env, new long[]{AudioTrack.RATE})) {
            // Even chunks read state A and write B, odd chunks the reverse.
            List<Map<String, OnnxTensor>> inputs = List.of(
                    Map.of(inAudio, audioT, inState, stateAT, inRate, rate),
                    Map.of(inAudio, audioT, inState, stateBT, inRate, rate));
            List<Map<String, OnnxTensor>> outputs = List.of(
                    Map.of(outProbability, probT, outState, stateBT),
                    Map.of(outProbability, probT, outState, stateAT));
            OrtSession s = session.session();
            for (int c = 0; c < chunks; c++) {
                fillChunk(audio, x, c);
                try (OrtSession.Result ignored = s.run(inputs.get(c & 1), outputs.get(c & 1))) {
                    probs[c] = prob.get(0);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD failed: " + e.getMessage(), e);
        }
        return probs;
    }

    /** Writes the 64 samples before chunk {@code c} and its 512 samples (zeros outside the signal). */
    private static void fillChunk(FloatBuffer buf, float[] x, int c) {
        int from = c * CHUNK - CONTEXT;
        for (int i = 0; i < CONTEXT + CHUNK; i++) {
            int j = from + i;
            buf.put(i, j >= 0 && j < x.length ? x[j] : 0f);
        }
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Chunk probabilities → speech regions, following silero-vad's {@code get_speech_timestamps}: speech starts at
     * the first chunk ≥ threshold, ends once the probability has stayed below {@code negThreshold} for the minimum
     * silence; segments shorter than the minimum speech are dropped; each segment is padded, and where two padded
     * segments would overlap the gap between them is split in the middle.
     */
    List<Region> toRegions(float[] probs, int totalSamples) {
        List<int[]> segments = new ArrayList<>();
        boolean speaking = false;
        int start = 0, tempEnd = -1;
        for (int c = 0; c < probs.length; c++) {
            int at = c * CHUNK;
            float p = probs[c];
            if (p >= threshold) {
                tempEnd = -1;
                if (!speaking) {
                    speaking = true;
                    start = at;
                }
            } else if (speaking && p < negThreshold) {
                if (tempEnd < 0) tempEnd = at;
                if (at - tempEnd >= minSilenceSamples) {
                    if (tempEnd - start >= minSpeechSamples) segments.add(new int[]{start, tempEnd});
                    speaking = false;
                    tempEnd = -1;
                }
            }
        }
        if (speaking && totalSamples - start >= minSpeechSamples) segments.add(new int[]{start, totalSamples});

        List<Region> regions = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            int[] seg = segments.get(i);
            int s = seg[0] - padSamples;
            int e = seg[1] + padSamples;
            if (i > 0) {
                int previousEnd = segments.get(i - 1)[1];
                if (seg[0] - previousEnd < 2 * padSamples) s = (previousEnd + seg[0]) / 2;
            }
            if (i + 1 < segments.size()) {
                int nextStart = segments.get(i + 1)[0];
                if (nextStart - seg[1] < 2 * padSamples) e = (seg[1] + nextStart) / 2;
            }
            s = Math.max(0, s);
            e = Math.min(totalSamples, e);
            regions.add(new Region(s / (double) AudioTrack.RATE, e / (double) AudioTrack.RATE));
        }
        return regions;
    }

    private static void requireRate(AudioTrack audio) {
        if (audio.sampleRate() != AudioTrack.RATE) {
            throw new IllegalArgumentException("Silero VAD is run on " + AudioTrack.RATE + " Hz audio, got "
                    + audio.sampleRate() + " Hz");
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
