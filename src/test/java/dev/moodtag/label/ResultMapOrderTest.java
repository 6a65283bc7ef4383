package dev.moodtag.label;

import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.media.Modality;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The maps a result document writes ({@code probabilities}, the per-modality scores, an encoder's {@code sha256}) keep
 * one order, the same in every process. {@code Map.copyOf} iterates in an order salted per JVM (found by running the
 * same file in separate processes: "probabilities" came out as neutral, sad, angry, happy in one and angry, sad,
 * neutral, happy in the next), so the same file and pack gave a different result JSON on every run. Every order of
 * the classes must come back as it was given: no salted order can match all 24.
 */
class ResultMapOrderTest {

    private static final List<String> CLASSES = List.of("neutral", "happy", "sad", "angry");

    @Test
    void aLabellingKeepsItsProbabilitiesInTheOrderTheClassifierGaveThem() {
        for (List<String> order : permutations(CLASSES)) {
            Map<String, Double> p = new LinkedHashMap<>();
            for (String c : order) p.put(c, 0.25);
            Map<String, Map<String, Double>> perModality = new LinkedHashMap<>();
            for (String m : List.of("video", "speech", "text")) perModality.put(m, p);
            Labelling l = new Labelling(order.get(0), p, perModality, null);
            assertEquals(order, List.copyOf(l.probabilities().keySet()), "probabilities given in the order " + order);
            assertEquals(List.of("video", "speech", "text"), List.copyOf(l.perModality().keySet()));
        }
    }

    @Test
    void anEncoderInfoKeepsItsFileChecksumsInTheOrderGiven() {
        List<String> roles = List.of("detector", "expression", "model", "tokenizer");
        for (List<String> order : permutations(roles)) {
            Map<String, String> sums = new LinkedHashMap<>();
            for (String r : order) sums.put(r, "sha-" + r);
            EncoderInfo i = new EncoderInfo("e", Modality.VIDEO, "k", 1, "fp32", "cpu", "", sums);
            assertEquals(order, List.copyOf(i.sha256().keySet()), "checksums given in the order " + order);
            assertEquals(order, List.copyOf(i.loadedSha256().keySet()));
        }
    }

    /** What the pack's files give, whatever order the manifest's map iterates in: sorted by role. */
    @Test
    void anEncoderOfThePackListsItsFilesByRole() {
        for (EncoderSpec spec : Fixtures.defaultPack().encoders()) {
            List<String> roles = List.copyOf(EncoderInfo.of(spec).sha256().keySet());
            assertEquals(roles.stream().sorted().toList(), roles, spec.id());
        }
    }

    static List<List<String>> permutations(List<String> items) {
        if (items.size() <= 1) return List.of(items);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<String> rest = new ArrayList<>(items);
            String first = rest.remove(i);
            for (List<String> p : permutations(rest)) {
                List<String> withFirst = new ArrayList<>(List.of(first));
                withFirst.addAll(p);
                out.add(withFirst);
            }
        }
        return out;
    }
}
