package dev.moodtag.encode.speech;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.Pooling;
import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.Utterance;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.onnx.Tensors;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A wav2vec2-style model ({@code input_values} [batch, samples] → {@code last_hidden_state} [batch, frames, hidden]),
 * pooled to mean + std over frames (2 × hidden).
 * <p>
 * The waveform is normalised to zero mean and unit variance over the whole utterance, as wav2vec2's feature
 * extractor does. Audio longer than {@code chunkSeconds} (default 20) is cut into equal chunks (no short
 * remainder, which would give a few unreliable frames) run one after another, so memory stays bounded; the frames
 * of all chunks are pooled together, so each chunk weighs by its frame count.
 */
public final class Wav2Vec2SpeechEncoder implements Encoder {

    public static final String KIND = "wav2vec2";
    /** One frame of a wav2vec2 conv front end needs 400 samples. */
    static final int MIN_SAMPLES = 400;

    private final EncoderInfo info;
    private final LoadedSession model;
    private final OrtEnvironment env;
    private final Optional<SpeechActivityDetector> vad;
    private final String input, output;
    private final int chunkSamples;
    private final double minSpeechSeconds;

    public Wav2Vec2SpeechEncoder(EncoderSpec spec, EncoderContext context) {
        if (spec.dim() % 2 != 0) {
            throw new ModelPackException("encoder " + spec.id() + " (" + KIND + "): dim must be"
                    + " 2 × hidden (mean + std), not " + spec.dim());
        }
        Wav2Vec2Params params = EncoderParameters.bind(spec, Wav2Vec2Params.class);
        this.env = context.onnx().environment();
        this.vad = SpeechInput.detectorFor(spec, context, params.vad());
        this.input = spec.input("audio", "input_values");
        this.output = spec.output("hidden", "last_hidden_state");
        this.chunkSamples = (int) Math.round(params.chunkSeconds() * AudioTrack.RATE);
        this.minSpeechSeconds = Math.max(params.minSpeechSeconds(), MIN_SAMPLES / (double) AudioTrack.RATE);
        this.model = context.onnx().open(spec.id(), spec.file("model"));
        this.info = EncoderInfo.of(spec, model);
        try {
            checkHiddenSize(spec);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Fails at start-up, not at the first utterance, when the manifest's dim does not fit the model. */
    private void checkHiddenSize(EncoderSpec spec) {
        try {
            NodeInfo node = model.session().getOutputInfo().get(output);
            if (node == null) {
                throw new ModelPackException("encoder " + spec.id() + ": the model has no output '" + output + "'; it has "
                        + model.session().getOutputNames());
            }
            long[] shape = ((TensorInfo) node.getInfo()).getShape();
            long hidden = shape[shape.length - 1];
            if (hidden > 0 && hidden * 2 != spec.dim()) {
                throw new ModelPackException("encoder " + spec.id() + ": the model's hidden size is " + hidden
                        + ", so dim must be " + 2 * hidden + " (mean + std), not " + spec.dim());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("reading the outputs of " + spec.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public EncoderOutput encode(Utterance utterance) {
        SpeechInput in = SpeechInput.of(utterance, vad, minSpeechSeconds);
        if (in instanceof SpeechInput.NoSpeech none) return EncoderOutput.missing(none.reason());
        try {
            HiddenFrames frames = hiddenFrames(((SpeechInput.Speech) in).speechSamples());
            return EncoderOutput.of(Pooling.meanStd(frames.data(), frames.count(), frames.hidden()));
        } catch (OrtException e) {
            throw new IllegalStateException("wav2vec2 encoding of " + utterance.source() + " failed: " + e.getMessage(), e);
        }
    }

    /** The hidden states of all chunks, stacked row-major [count × hidden]. */
    record HiddenFrames(float[] data, int count, int hidden) {
    }

    HiddenFrames hiddenFrames(float[] speech) throws OrtException {
        float[] x = normalised(speech);
        int hidden = info.dim() / 2;
        List<float[]> perChunk = new ArrayList<>();
        int count = 0;
        for (int[] chunk : chunks(x.length, chunkSamples)) {
            float[] h = hiddenStates(x, chunk[0], chunk[1], hidden);
            perChunk.add(h);
            count += h.length / hidden;
        }
        return new HiddenFrames(Pooling.concat(perChunk.toArray(float[][]::new)), count, hidden);
    }

    /** [start, end) of ⌈n / max⌉ chunks of (nearly) equal length. */
    static List<int[]> chunks(int n, int max) {
        int count = Math.max(1, (n + max - 1) / max);
        List<int[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(new int[]{(int) ((long) n * i / count), (int) ((long) n * (i + 1) / count)});
        return out;
    }

    /** Row-major [frames × hidden] for samples [from, to). */
    private float[] hiddenStates(float[] x, int from, int to, int hidden) throws OrtException {
        float[] chunk = Arrays.copyOfRange(x, from, to);
        try (OnnxTensor t = Tensors.floats(env, chunk, 1, chunk.length);
             OrtSession.Result r = model.session().run(Map.of(input, t), Set.of(output))) {
            Tensors.FloatOutput out = Tensors.output(r, output);
            long h = out.shape()[out.shape().length - 1];
            if (h != hidden) {
                throw new IllegalStateException("encoder " + info.id() + ": model hidden size is " + h + " but the"
                        + " manifest's dim " + info.dim() + " implies " + hidden);
            }
            return out.data();
        }
    }

    /** Zero mean, unit variance (the 1e-7 guard is wav2vec2's feature extractor's). */
    static float[] normalised(float[] x) {
        double sum = 0, sq = 0;
        for (float v : x) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / x.length;
        double inv = 1 / Math.sqrt(Math.max(0, sq / x.length - mean * mean) + 1e-7);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) ((x[i] - mean) * inv);
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
