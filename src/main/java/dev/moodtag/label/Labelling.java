package dev.moodtag.label;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
        // Copied in the order given (the classifier's classes; a timeline's sorted by name): Map.copyOf iterates in an
        // order salted per process, and the result document writes these maps as they iterate, so the same file gave
        // another JSON on every run.
        probabilities = ordered(probabilities);
        perModality = ordered(perModality);
        if ((label == null) == (reason == null)) throw new IllegalArgumentException("exactly one of label and reason");
    }

    /** An unmodifiable copy that iterates as {@code m} does; nulls refused, as {@code Map.copyOf} refuses them. */
    public static <V> Map<String, V> ordered(Map<String, V> m) {
        Map<String, V> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
        return Collections.unmodifiableMap(copy);
    }

    public static Labelling none(String reason) {
        return new Labelling(null, Map.of(), Map.of(), reason);
    }
}
