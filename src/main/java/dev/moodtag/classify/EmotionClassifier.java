package dev.moodtag.classify;

import dev.moodtag.fuse.FeatureLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The trained classifier: early fusion (one {@link FusedSvm} over all blocks) or late fusion (one per modality,
 * combined by a weighted mean of log-probabilities over the parts whose blocks the sample has).
 *
 * @param classes class names, index = class number
 * @param layout  the blocks a sample must be made of, in order
 * @param parts   one part (early) or one per modality (late)
 * @param weights one weight per part (late fusion); ignored in early fusion
 */
public record EmotionClassifier(FusionMode mode, List<String> classes, FeatureLayout layout, List<FusedSvm> parts,
                                double[] weights) {

    public EmotionClassifier {
        classes = List.copyOf(classes);
        // Labels and probabilities are read by class name: one name twice would merge two classes' probabilities
        if (java.util.Set.copyOf(classes).size() != classes.size())
            throw new IllegalArgumentException("class names must be distinct, not " + classes);
        parts = List.copyOf(parts);
        if (parts.isEmpty()) throw new IllegalArgumentException("a classifier needs at least one part");
        if (mode == FusionMode.EARLY && parts.size() != 1) throw new IllegalArgumentException("early fusion has one part");
        if (weights.length != parts.size()) throw new IllegalArgumentException("one weight per part");
        for (double w : weights)
            if (!Double.isFinite(w) || w < 0) throw new IllegalArgumentException("part weight " + w + " (finite, not negative)");
    }

    /**
     * @param label         the predicted class number, or -1 when the sample has none of the blocks
     * @param probabilities per class (late fusion, or early fusion trained with probabilities); null otherwise
     * @param partsUsed     the indices of the parts that voted
     */
    public record Prediction(int label, double[] probabilities, List<Integer> partsUsed) {
    }

    /** A lone utterance's prediction: every part but those that read vectors standardised over a recording. */
    public Prediction predict(float[][] sample) {
        return predict(sample, null, utteranceParts());
    }

    /**
     * A recording's segment: the {@link StandardisedOver#RECORDING} parts read {@code overRecording} (the segment's
     * blocks standardised over the recording, at least {@link #recordingBlocks()}) and vote in place of the utterance
     * parts that share a block with them; every other part reads {@code sample} as {@link #predict} does.
     */
    public Prediction predictOverRecording(float[][] sample, float[][] overRecording) {
        return predict(sample, java.util.Objects.requireNonNull(overRecording, "overRecording"), recordingParts());
    }

    /** The same classifier with every part marked as reading vectors standardised over {@code over}. */
    public EmotionClassifier standardisedOver(StandardisedOver over) {
        return new EmotionClassifier(mode, classes, layout, parts.stream().map(p -> p.standardisedOver(over)).toList(), weights);
    }

    /** Whether some part reads vectors standardised over a recording. */
    public boolean hasRecordingParts() {
        return parts.stream().anyMatch(p -> p.over() == StandardisedOver.RECORDING);
    }

    /** The layout positions the recording parts read, in order. */
    public int[] recordingBlocks() {
        return parts.stream().filter(p -> p.over() == StandardisedOver.RECORDING)
                .flatMapToInt(p -> java.util.Arrays.stream(p.fusion().blocks())).distinct().sorted().toArray();
    }

    /** The parts {@link #predict} uses. */
    public List<Integer> utteranceParts() {
        List<Integer> used = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) if (parts.get(k).over() == StandardisedOver.UTTERANCE) used.add(k);
        return used;
    }

    /** The parts {@link #predictOverRecording} uses. */
    public List<Integer> recordingParts() {
        java.util.Set<Integer> replaced = new java.util.HashSet<>();
        for (int b : recordingBlocks()) replaced.add(b);
        List<Integer> used = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            FusedSvm p = parts.get(k);
            if (p.over() == StandardisedOver.RECORDING
                    || java.util.Arrays.stream(p.fusion().blocks()).noneMatch(replaced::contains)) used.add(k);
        }
        return used;
    }

    /** The sample a part reads: the recording-standardised one for a recording part. */
    public static float[][] input(FusedSvm part, float[][] sample, float[][] overRecording) {
        return part.over() == StandardisedOver.RECORDING ? overRecording : sample;
    }

    /**
     * The prediction of the {@code active} parts ({@link #utteranceParts()} or {@link #recordingParts()}, which a
     * caller labelling many samples derives once); recording parts read {@code overRecording}.
     */
    public Prediction predict(float[][] sample, float[][] overRecording, List<Integer> active) {
        if (sample.length != layout.size())
            throw new IllegalArgumentException("sample has " + sample.length + " blocks, the layout " + layout.size());
        if (overRecording != null && overRecording.length != layout.size())
            throw new IllegalArgumentException("standardised sample has " + overRecording.length + " blocks, the layout " + layout.size());
        if (mode == FusionMode.EARLY) {
            FusedSvm p = parts.get(0);
            float[][] in = input(p, sample, overRecording);
            if (!active.contains(0) || !p.accepts(in)) return new Prediction(-1, null, List.of());
            double[] x = p.fusion().transform(in);
            if (p.model().hasProbabilities()) {
                double[] prob = p.model().probabilities(x);
                return new Prediction(argmax(prob), prob, List.of(0));
            }
            return new Prediction(p.model().predict(x), null, List.of(0));
        }
        double[][] partProbs = new double[parts.size()][];
        List<Integer> used = new ArrayList<>();
        for (int k : active) {
            FusedSvm p = parts.get(k);
            float[][] in = input(p, sample, overRecording);
            if (!p.accepts(in) || weights[k] <= 0) continue;
            partProbs[k] = p.model().probabilities(p.fusion().transform(in));
            used.add(k);
        }
        double[] prob = fuse(partProbs, weights);
        if (prob == null) return new Prediction(-1, null, List.of());
        return new Prediction(argmax(prob), prob, List.copyOf(used));
    }

    /**
     * The late-fusion rule: the softmax of the weighted mean log-probability over the parts that have probabilities
     * (a normalised weighted geometric mean), or null when none has.
     *
     * @param partProbs per part, its class probabilities or null
     */
    public static double[] fuse(double[][] partProbs, double[] weights) {
        double[] logSum = null;
        double wSum = 0;
        for (int k = 0; k < partProbs.length; k++) {
            if (partProbs[k] == null || weights[k] <= 0) continue;
            if (logSum == null) logSum = new double[partProbs[k].length];
            for (int c = 0; c < logSum.length; c++) logSum[c] += weights[k] * Math.log(Math.max(partProbs[k][c], 1e-9));
            wSum += weights[k];
        }
        if (logSum == null) return null;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logSum) max = Math.max(max, v / wSum);
        double[] prob = new double[logSum.length];
        double z = 0;
        for (int c = 0; c < prob.length; c++) z += prob[c] = Math.exp(logSum[c] / wSum - max);
        for (int c = 0; c < prob.length; c++) prob[c] /= z;
        return prob;
    }

    /**
     * Late fusion of separately trained classifiers over the same classes, e.g. a text classifier trained on one
     * corpus and a speech classifier trained on another (no corpus here has all modalities on one utterance). Each
     * part keeps its own scalers and SVM, which must have probability estimates; the layout is the union of theirs.
     *
     * @param weights one per classifier, multiplying its parts' own weights (1 for a classifier exported with one
     *                part), so that combining a combined classifier with another keeps the first one's weights
     */
    public static EmotionClassifier combineLate(List<EmotionClassifier> classifiers, double[] weights) {
        if (classifiers.isEmpty() || weights.length != classifiers.size())
            throw new IllegalArgumentException("one weight per classifier, at least one classifier");
        List<String> classes = classifiers.get(0).classes();
        List<dev.moodtag.fuse.FeatureBlock> blocks = new ArrayList<>();
        for (EmotionClassifier c : classifiers) {
            if (!c.classes().equals(classes))
                throw new IllegalArgumentException("classifiers to combine must share their classes: " + classes + " vs " + c.classes());
            for (dev.moodtag.fuse.FeatureBlock b : c.layout().blocks()) {
                var same = blocks.stream().filter(x -> x.id().equals(b.id())).findFirst();
                if (same.isEmpty()) blocks.add(b);
                else if (!same.get().equals(b)) throw new IllegalArgumentException("block " + b.id() + " differs between classifiers");
            }
        }
        FeatureLayout layout = new FeatureLayout(blocks);
        List<FusedSvm> parts = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int k = 0; k < classifiers.size(); k++) {
            EmotionClassifier c = classifiers.get(k);
            for (int j = 0; j < c.parts().size(); j++) {
                FusedSvm p = c.parts().get(j);
                if (!p.model().hasProbabilities())
                    throw new IllegalArgumentException("late fusion needs probability estimates; retrain with --fusion late");
                int[] idx = java.util.Arrays.stream(p.fusion().blocks()).map(b -> blocks.indexOf(c.layout().block(b))).toArray();
                parts.add(new FusedSvm(new dev.moodtag.fuse.EarlyFusion(layout, idx, p.fusion().scalers(),
                        p.fusion().blockWeights()), p.model(), p.params(), p.over(), p.rows()));
                w.add(weights[k] * c.weights()[j]);
            }
        }
        return new EmotionClassifier(FusionMode.LATE, classes, layout, parts, w.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
