package dev.moodtag.batch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rows of a batch as they finish, holding on to results only as far as the report needs them. The report draws
 * the timelines of the first {@link BatchReport#MAX_TIMELINES} objects in name order, so only those rows keep what is
 * drawn of their result ({@link TimelineDrawing}, bounded whatever the recording's length); every row lets its result
 * document go as soon as it is placed. A batch then grows by a row's few fields per object, not by its results (a
 * long recording's result holds every segment and word). The classifiers' classes, which the
 * report colours by, are noted on the way.
 */
final class DrawnTimelines {

    private final int max;
    private final BatchRow[] rows;
    /** Object → slot of the rows whose timelines are drawn, at most {@link #max}. */
    private final TreeMap<String, Integer> drawn = new TreeMap<>();
    /** Each distinct list of classes → the first object (by name) whose result had it. */
    private final Map<List<String>, String> classLists = new HashMap<>();

    DrawnTimelines(int slots, int max) {
        this.rows = new BatchRow[slots];
        this.max = max;
    }

    /** Whether a timeline of {@code object} would be drawn, judged on the rows placed so far. */
    synchronized boolean wouldDraw(String object) {
        return max > 0 && (drawn.size() < max || drawn.containsKey(object) || object.compareTo(drawn.lastKey()) < 0);
    }

    /** Places a finished row in its slot, with what is drawn of its result only when its timeline is drawn. */
    synchronized void place(int slot, BatchRow row) {
        JsonNode result = row.result();
        if (result != null) {
            List<String> classes = new ArrayList<>();
            for (JsonNode c : result.path("classifier").path("classes")) classes.add(c.asText());
            if (!classes.isEmpty()) classLists.merge(List.copyOf(classes), row.object(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        if (result == null || !result.path("timeline").isObject() || !wouldDraw(row.object())) {
            rows[slot] = row.withoutResult();
            return;
        }
        rows[slot] = row.drawn();
        Integer before = drawn.put(row.object(), slot);
        if (before != null && before != slot) rows[before] = rows[before].withoutResult();
        if (drawn.size() > max) {
            int out = drawn.pollLastEntry().getValue();
            rows[out] = rows[out].withoutResult();
        }
    }

    /** Gives the row in {@code slot} the label its result was rewritten with. */
    synchronized void relabel(int slot, String label) {
        rows[slot] = rows[slot].withLabel(label);
    }

    /** The placed rows (slots never placed are left out), sorted by object. */
    synchronized List<BatchRow> rows() {
        return Arrays.stream(rows).filter(Objects::nonNull).sorted(Comparator.comparing(BatchRow::object)).toList();
    }

    /** The classes of every result placed, in the order of the first object that had each list. */
    synchronized List<String> classes() {
        Set<String> union = new LinkedHashSet<>();
        classLists.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> union.addAll(e.getKey()));
        return List.copyOf(union);
    }
}
