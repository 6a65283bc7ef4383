package dev.moodtag.encode.video;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.Pooling;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.media.VideoTrack;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.onnx.Tensors;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Video encoder {@code videomae}: a VideoMAE-style clip transformer over the whole frame. Samples {@code frames}
 * frames uniformly over the track (repeating frames when the track is shorter), resizes the shorter side to
 * {@code size} and centre-crops a square, normalises with {@code mean}/{@code std} after /255 (the Hugging Face
 * image-processor convention), feeds {@code pixel_values} [1, T, 3, size, size] and mean-pools
 * {@code last_hidden_state} [1, tokens, hidden] over tokens. Frame count, size and hidden width come from the
 * manifest and the model, so the 8×64² placeholder and a 16×224² VideoMAE-base run the same code.
 */
public final class VideoMaeEncoder implements Encoder {

    public static final String KIND = "videomae";

    private final OrtEnvironment env;
    private final LoadedSession session;
    private final EncoderInfo info;
    private final String pixelsInput;
    private final String hiddenOutput;
    private final int frames;
    private final int size;
    private final ImageOps.PixelNorm norm;
    private final int dim;

    public VideoMaeEncoder(EncoderSpec spec, EncoderContext context) {
        VideoMaeParams params = EncoderParameters.bind(spec, VideoMaeParams.class);
        frames = params.frames();
        size = params.size();
        norm = ImageOps.PixelNorm.meanStd(params.mean(), params.std());
        pixelsInput = spec.input("pixels", "pixel_values");
        hiddenOutput = spec.output("hidden", "last_hidden_state");
        dim = spec.dim();
        env = context.onnx().environment();
        session = context.onnx().open(spec.id() + "/model", spec.file("model"));
        try {
            checkShapes(spec);
            info = EncoderInfo.of(spec, session);
        } catch (OrtException | RuntimeException e) {
            session.close();
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException("encoder " + spec.id() + ": reading model shapes: " + e.getMessage(), e);
        }
    }

    /** Fails at start, not on the first request, when the manifest's frames/size/dim disagree with the model. */
    private void checkShapes(EncoderSpec spec) throws OrtException {
        long[] in = ModelShapes.of(session.session().getInputInfo(), pixelsInput, spec);
        long[] want = {-1, frames, 3, size, size};
        if (in.length != 5) throw new ModelPackException("encoder " + spec.id() + ": input '" + pixelsInput
                + "' has shape " + Arrays.toString(in) + "; expected [batch, frames, 3, height, width]");
        for (int i = 1; i < 5; i++) {
            if (in[i] > 0 && in[i] != want[i]) throw new ModelPackException("encoder " + spec.id() + ": the model takes "
                    + Arrays.toString(in) + " but the manifest's frames=" + frames + ", size=" + size
                    + " give [b, " + frames + ", 3, " + size + ", " + size + "]");
        }
        long[] out = ModelShapes.of(session.session().getOutputInfo(), hiddenOutput, spec);
        long hidden = out[out.length - 1];
        if (hidden > 0 && hidden != dim) throw hiddenMismatch(spec.id(), hidden);
    }

    private ModelPackException hiddenMismatch(String id, long hidden) {
        return new ModelPackException("encoder " + id + ": 'dim' is " + dim + " but the model's '" + hiddenOutput
                + "' has hidden size " + hidden + "; set dim to " + hidden);
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public EncoderOutput encode(Utterance utterance) {
        if (utterance.videoTrack().isEmpty()) {
            return EncoderOutput.missing(utterance.whyMissing(Modality.VIDEO).orElse("no video frames"));
        }
        float[] pixels = pixelValues(utterance.videoTrack().get());
        try (OnnxTensor t = Tensors.floats(env, pixels, 1, frames, 3, size, size);
             OrtSession.Result r = session.session().run(Map.of(pixelsInput, t), Set.of(hiddenOutput))) {
            Tensors.FloatOutput hidden = Tensors.output(r, hiddenOutput);
            long[] shape = hidden.shape();
            int width = (int) shape[shape.length - 1];
            if (width != dim) throw hiddenMismatch(info.id(), width);
            int tokens = hidden.data().length / width;
            return EncoderOutput.of(Pooling.mean(hidden.data(), tokens, width));
        } catch (OrtException e) {
            throw new IllegalStateException("encoder " + info.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** [T, 3, size, size] floats: T frames sampled uniformly, shorter side to size, centre square, normalised. */
    float[] pixelValues(VideoTrack track) {
        List<VideoFrame> all = track.frames();
        int plane = 3 * size * size;
        float[] out = new float[frames * plane];
        for (int k = 0; k < frames; k++) {
            // The centre of the k-th of T equal segments; with fewer frames than T some indices repeat.
            int index = (int) Math.min(all.size() - 1, Math.floor((k + 0.5) * all.size() / frames));
            VideoFrame f = all.get(index);
            byte[] rgb = ImageOps.centredSquare(f, Math.min(f.width(), f.height()), size);
            ImageOps.toChw(rgb, size, size, norm, out, k * plane);
        }
        return out;
    }


    @Override
    public void close() {
        session.close();
    }
}
