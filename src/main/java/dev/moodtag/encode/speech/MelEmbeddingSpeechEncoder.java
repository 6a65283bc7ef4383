package dev.moodtag.encode.speech;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.Pooling;
import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.media.Utterance;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.onnx.Tensors;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;

import java.util.Map;
import java.util.Optional;

/**
 * The openWakeWord speech embedding, pooled: (VAD) → (level normalisation, {@link SpeechLevel}) → melspectrogram.onnx on int16-range samples → {@code x/10+2}
 * → windows of 76 mel frames at a hop of 8 → embedding_model.onnx, all windows in one batch → 96-d per window →
 * mean and std over windows (192-d).
 * <p>
 * Speech shorter than one window (76 frames ≈ 0.78 s) is padded on the mel frames by mirroring them at both ends
 * (reflect padding, repeated as needed), centred, to exactly one window. Mirroring keeps every padded frame a
 * real speech frame next to its real neighbour, where zero audio would put silence (log-mel floor) frames into
 * the window and pull the embedding towards "silence" the shorter the utterance is.
 */
public final class MelEmbeddingSpeechEncoder implements Encoder {

    public static final String KIND = "mel-embedding";
    static final int MEL_BANDS = 32;
    static final int WINDOW_FRAMES = 76;
    static final int WINDOW_HOP = 8;
    static final int EMBEDDING_DIM = 96;
    /** The mel graph: 512-sample window, 160-sample hop. */
    static final int MEL_WINDOW = 512, MEL_HOP = 160;

    private final EncoderInfo info;
    private final LoadedSession mel, embedding;
    private final OrtEnvironment env;
    private final Optional<SpeechActivityDetector> vad;
    private final String melIn, melOut, embIn, embOut;
    private final double minSpeechSeconds;
    private final Optional<SpeechLevel> level;

    public MelEmbeddingSpeechEncoder(EncoderSpec spec, EncoderContext context) {
        if (spec.dim() != 2 * EMBEDDING_DIM) {
            throw new ModelPackException("encoder " + spec.id() + " (" + KIND + ") has dim " + 2 * EMBEDDING_DIM
                    + " (mean + std of the " + EMBEDDING_DIM + "-d window embedding), not " + spec.dim());
        }
        MelEmbeddingParams params = EncoderParameters.bind(spec, MelEmbeddingParams.class);
        this.env = context.onnx().environment();
        this.vad = SpeechInput.detectorFor(spec, context, params.vad());
        this.melIn = spec.input("melInput", "input");
        this.melOut = spec.output("melOutput", "output");
        this.embIn = spec.input("embeddingInput", "input_1");
        this.embOut = spec.output("embeddingOutput", "conv2d_19");
        this.minSpeechSeconds = params.minSpeechSeconds();
        this.level = params.level();
        this.mel = context.onnx().open(spec.id() + "/mel", spec.file("mel"));
        try {
            this.embedding = context.onnx().open(spec.id() + "/embedding", spec.file("embedding"));
        } catch (RuntimeException e) {
            mel.close();
            throw e;
        }
        this.info = EncoderInfo.of(spec, mel, embedding);
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public EncoderOutput encode(Utterance utterance) {
        SpeechInput input = SpeechInput.of(utterance, vad, minSpeechSeconds, level);
        if (input instanceof SpeechInput.NoSpeech none) return EncoderOutput.missing(none.reason());
        float[] speech = ((SpeechInput.Speech) input).speechSamples();
        try {
            float[] frames = melFrames(speech);
            int frameCount = frames.length / MEL_BANDS;
            int n = windowCount(frameCount);
            float[] perWindow = embedWindows(windows(frames, frameCount), n, WINDOWS_PER_RUN);
            return EncoderOutput.of(Pooling.meanStd(perWindow, n, EMBEDDING_DIM));
        } catch (OrtException e) {
            throw new IllegalStateException("speech embedding of " + utterance.source() + " failed: " + e.getMessage(), e);
        }
    }

    /** Transformed mel frames, row-major [frames × 32], already through {@code x/10+2}. */
    float[] melFrames(float[] samples) throws OrtException {
        // The graph expects int16-range values; the track holds int16/32768.
        float[] scaled = new float[Math.max(samples.length, MEL_WINDOW)];
        for (int i = 0; i < samples.length; i++) scaled[i] = Math.max(-32768f, Math.min(32767f, samples[i] * 32768f));
        try (OnnxTensor in = Tensors.floats(env, scaled, 1, scaled.length);
             OrtSession.Result r = mel.session().run(Map.of(melIn, in))) {
            float[] out = Tensors.output(r, melOut).data();
            for (int i = 0; i < out.length; i++) out[i] = out[i] / 10f + 2f;
            return out;
        }
    }

    static int windowCount(int frames) {
        return frames < WINDOW_FRAMES ? 1 : (frames - WINDOW_FRAMES) / WINDOW_HOP + 1;
    }

    /** Complete 76-frame windows at hop 8 as [N, 76, 32, 1]; fewer than 76 frames are reflect-padded to one window. */
    static float[] windows(float[] frames, int frameCount) {
        int n = windowCount(frameCount);
        int windowSize = WINDOW_FRAMES * MEL_BANDS;
        float[] out = new float[n * windowSize];
        if (frameCount >= WINDOW_FRAMES) {
            for (int w = 0; w < n; w++) {
                System.arraycopy(frames, w * WINDOW_HOP * MEL_BANDS, out, w * windowSize, windowSize);
            }
        } else {
            int lead = (WINDOW_FRAMES - frameCount) / 2;
            for (int f = 0; f < WINDOW_FRAMES; f++) {
                int src = reflect(f - lead, frameCount);
                System.arraycopy(frames, src * MEL_BANDS, out, f * MEL_BANDS, MEL_BANDS);
            }
        }
        return out;
    }

    /** Index {@code i} mirrored into [0, n) without repeating the edge frame (…2 1 0 1 2…), any distance out. */
    static int reflect(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /**
     * Windows per run of the embedding model. All of an utterance's windows in one run took about 0.64 MB of native
     * memory each: 4.8 GB for the 10 minutes an utterance may last. A fixed batch keeps it near 40 MB, and each
     * utterance's windows are cut into batches the same way every time, so the vectors stay the same run after run.
     */
    static final int WINDOWS_PER_RUN = 64;

    /** Each window's embedding, row-major [n × 96], the model run on at most {@code perRun} windows at a time. */
    float[] embedWindows(float[] windows, int n, int perRun) throws OrtException {
        int windowSize = WINDOW_FRAMES * MEL_BANDS;
        float[] out = new float[n * EMBEDDING_DIM];
        for (int from = 0; from < n; from += perRun) {
            int count = Math.min(perRun, n - from);
            float[] batch = from == 0 && count == n ? windows
                    : java.util.Arrays.copyOfRange(windows, from * windowSize, (from + count) * windowSize);
            try (OnnxTensor in = Tensors.floats(env, batch, count, WINDOW_FRAMES, MEL_BANDS, 1);
                 OrtSession.Result r = embedding.session().run(Map.of(embIn, in))) {
                float[] got = Tensors.output(r, embOut).data();
                if (got.length != count * EMBEDDING_DIM)
                    throw new IllegalStateException("the speech embedding gave " + got.length + " values for " + count + " windows");
                System.arraycopy(got, 0, out, from * EMBEDDING_DIM, got.length);
            }
        }
        return out;
    }

    @Override
    public void close() {
        mel.close();
        embedding.close();
    }
}
