package dev.moodtag.label;

import java.util.Map;

/**
 * What a classifier made of one utterance's embeddings.
 *
 * @param label         the predicted emotion, or null when there is none (then {@code reason} says why)
 * @param probabilities class → probability, over all modalities present; empty when there is no label
 * @param perModality   modality ({@code text}, {@code speech}, {@code video}) → class → probability, for each
 *                      modality the classifier scores on its own; empty when it cannot
 * @param reason        why there is no label; null when there is one
 */
public record Labelling(String label, Map<String, Double> probabilities, Map<String, Map<String, Double>> perModality,
                        String reason) {

    public Labelling {
        probabilities = Map.copyOf(probabilities);
        perModality = Map.copyOf(perModality);
        if ((label == null) == (reason == null)) throw new IllegalArgumentException("exactly one of label and reason");
    }

    public static Labelling none(String reason) {
        return new Labelling(null, Map.of(), Map.of(), reason);
    }
}
