package dev.moodtag.batch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a batch did: one row per object, sorted by object.
 *
 * @param stopped whether a stop (Ctrl-C) left something undone: objects not started ({@code not-run}), or results
 *                the second pass over the batch's speech did not rewrite ({@link BatchSpeech#leftByStop}); a stop
 *                that comes once everything is done is none
 * @param classes the classifiers' classes of the results, the first object's list first (the report's colours)
 * @param speech  what the second pass over the batch's speech did ({@code --speech-over-batch}); null without it
 */
public record BatchSummary(List<BatchRow> rows, double seconds, boolean stopped, List<String> classes,
                           BatchSpeech speech) {

    public BatchSummary {
        rows = List.copyOf(rows);
        classes = List.copyOf(classes);
    }

    public BatchSummary(List<BatchRow> rows, double seconds, boolean stopped, List<String> classes) {
        this(rows, seconds, stopped, classes, null);
    }

    /** A summary whose classes are read from the rows' results, in row order. */
    public BatchSummary(List<BatchRow> rows, double seconds, boolean stopped) {
        this(rows, seconds, stopped, classesOf(rows));
    }

    private static List<String> classesOf(List<BatchRow> rows) {
        Set<String> classes = new LinkedHashSet<>();
        for (BatchRow r : rows)
            if (r.result() != null) for (JsonNode c : r.result().path("classifier").path("classes")) classes.add(c.asText());
        return List.copyOf(classes);
    }

    /** How to finish what a stop left undone, for the console and the report; null when nothing was. */
    public String toContinue() {
        if (!stopped) return null;
        // Objects skipped on a rerun do not join the batch's statistics: only --force reads the whole batch over itself
        return rows.stream().anyMatch(BatchRow::notRun) ? "run again to continue"
                : "run again with --force to read the batch over itself";
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
