package dev.moodtag.encode.video;

import dev.moodtag.encode.video.face.FaceBox;

import java.util.List;

/**
 * The expression read from the face of one sampled frame.
 *
 * @param box      the face the crop was taken around (re-used from an earlier frame when the detector was skipped)
 * @param detected whether the detector ran on this frame, as opposed to the box being carried over
 * @param probs    class probabilities in {@code labels} order
 * @param features the expression net's pooled bottleneck, the part of the embedding that is not probs
 */
public record FrameExpression(double timestampSeconds, FaceBox box, boolean detected, List<String> labels,
                              float[] probs, float[] features) {

    public int topIndex() {
        int best = 0;
        for (int i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
        return best;
    }

    public String topLabel() {
        return labels.get(topIndex());
    }

    public float topProbability() {
        return probs[topIndex()];
    }
}
