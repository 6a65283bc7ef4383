package dev.moodtag.label;

import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.FusedSvm;
import dev.moodtag.classify.StandardisedOver;
import dev.moodtag.train.PartRetraining;
import dev.moodtag.train.TrainingProgress;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.media.Modality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The pack's trained classifier ({@link ClassifierStore}) behind {@link Labeller}. Per-modality probabilities come
 * from the parts that each cover one modality (late fusion); an early-fusion classifier scores only the whole.
 */
public final class SvmLabeller implements Labeller {

    private final EmotionClassifier classifier;
    private final String description;
    private final List<Integer> utteranceParts, recordingParts;

    public SvmLabeller(EmotionClassifier classifier, String description) {
        this.classifier = classifier;
        this.description = description;
        this.utteranceParts = classifier.utteranceParts();
        this.recordingParts = classifier.recordingParts();
    }

    @Override
    public boolean present() {
        return true;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> classes() {
        return classifier.classes();
    }

    @Override
    public Labelling label(UtteranceEmbeddings embeddings) {
        float[][] sample = ClassifierStore.sample(classifier, embeddings);
        return labelling(classifier.predict(sample, null, utteranceParts), sample, null, utteranceParts);
    }

    @Override
    public Optional<OverRecording> overRecording() {
        if (!classifier.hasRecordingParts()) return Optional.empty();
        return Optional.of(new OverRecording() {
            @Override
            public float[][] sample(UtteranceEmbeddings embeddings) {
                return ClassifierStore.sample(classifier, embeddings);
            }

            @Override
            public int[] blocks() {
                return classifier.recordingBlocks();
            }

            @Override
            public Labelling label(float[][] sample, float[][] standardised) {
                return labelling(classifier.predict(sample, standardised, recordingParts), sample, standardised,
                        recordingParts);
            }

            @Override
            public Optional<String> whyNotRetrainable() {
                for (int k = 0; k < classifier.parts().size(); k++) {
                    FusedSvm p = classifier.parts().get(k);
                    Optional<String> problem = p.over() == StandardisedOver.RECORDING ? PartRetraining.problem(p)
                            : Optional.empty();
                    if (problem.isPresent())
                        return Optional.of("the classifier's recording part (parts[" + k + "]) " + problem.get());
                }
                return Optional.empty();
            }

            @Override
            public OverRecording retrained(List<float[][]> added, List<String> labels, TrainingProgress progress) {
                whyNotRetrainable().ifPresent(why -> {
                    throw new IllegalStateException(why);
                });
                int[] classes = labels.stream().mapToInt(l -> classifier.classes().indexOf(l)).toArray();
                for (int c : classes) if (c < 0) throw new IllegalArgumentException("a label outside " + classifier.classes());
                List<FusedSvm> parts = new ArrayList<>(classifier.parts());
                for (int k = 0; k < parts.size(); k++)
                    if (parts.get(k).over() == StandardisedOver.RECORDING)
                        parts.set(k, PartRetraining.retrain(classifier, k, added, classes, progress));
                EmotionClassifier again = new EmotionClassifier(classifier.mode(), classifier.classes(), classifier.layout(),
                        parts, classifier.weights());
                return new SvmLabeller(again, description).overRecording().orElseThrow();
            }
        });
    }

    private Labelling labelling(EmotionClassifier.Prediction p, float[][] sample, float[][] standardised, List<Integer> active) {
        if (p.label() < 0 && active.isEmpty())
            return Labelling.none("every part of the classifier reads speech standardised over a whole recording"
                    + " (a timeline's second pass); a single utterance gets no label from it");
        if (p.label() < 0)
            return Labelling.none("the classifier was trained on " + classifier.layout().blocks().stream()
                    .map(b -> b.id()).toList() + ", none of which this media gave");
        return new Labelling(classifier.classes().get(p.label()), p.probabilities() == null ? Map.of()
                : named(p.probabilities()), perModality(sample, standardised, active), null);
    }

    private Map<String, Map<String, Double>> perModality(float[][] sample, float[][] standardised, List<Integer> active) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (int k : active) {
            FusedSvm part = classifier.parts().get(k);
            float[][] in = EmotionClassifier.input(part, sample, standardised);
            int[] blocks = part.fusion().blocks();
            Modality m = classifier.layout().block(blocks[0]).modality();
            boolean oneModality = true;
            for (int b : blocks) oneModality &= classifier.layout().block(b).modality() == m;
            if (!oneModality || !part.model().hasProbabilities() || !part.accepts(in)) continue;
            out.put(m.name().toLowerCase(Locale.ROOT), named(part.model().probabilities(part.fusion().transform(in))));
        }
        return out;
    }

    private Map<String, Double> named(double[] probabilities) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < probabilities.length; c++)
            m.put(classifier.classes().get(c), Math.round(probabilities[c] * 1e6) / 1e6);
        return m;
    }
}
