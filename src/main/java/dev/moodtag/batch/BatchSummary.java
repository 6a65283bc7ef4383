package dev.moodtag.batch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a batch did: one row per object, sorted by object.
 *
 * @param stopped whether the batch was stopped before every object was started
 */
public record BatchSummary(List<BatchRow> rows, double seconds, boolean stopped) {

    public BatchSummary {
        rows = List.copyOf(rows);
    }

    /** Label → number of objects with that label (a long recording counts once, under its dominant emotion). */
    public Map<String, Long> labels() {
        return rows.stream().filter(r -> r.label() != null)
                .collect(Collectors.groupingBy(BatchRow::label, TreeMap::new, Collectors.counting()));
    }

    /** Outcome → number of objects. */
    public Map<String, Long> outcomes() {
        return rows.stream().collect(Collectors.groupingBy(BatchRow::outcome, TreeMap::new, Collectors.counting()));
    }

    public List<BatchRow> failures() {
        return rows.stream().filter(BatchRow::failed).toList();
    }

    /** Files passed over on purpose (not media, filtered out): neither results nor failures. */
    public List<BatchRow> ignored() {
        return rows.stream().filter(BatchRow::ignored).toList();
    }
}
