package dev.moodtag.batch;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.tagging.EmotionResult;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.StoredResult;

import java.util.Locale;

import static dev.moodtag.support.SpreadsheetCells.guard;

/**
 * One object of a batch in the index ({@code index.jsonl}, {@code index.csv}).
 *
 * @param outcome   as the function reports it: {@code processed}, {@code skipped} (a result from the same model pack
 *                  exists), {@code ignored}, {@code rejected}, {@code failed}; or {@code retry} (storage unavailable, or
 *                  the object starved of CPU time past its time budget's cap: nothing written)
 *                  and {@code not-run} (the batch was stopped first); {@code moodtag status} adds {@code pending}
 *                  (no current result yet)
 * @param status    the result's status ({@code labelled}, {@code unlabelled}, {@code error}); null without a result
 * @param reason    why there is no label: the outcome's reason, or the result's error message
 * @param seconds   wall time spent on the object in this run
 * @param result    the result document while the row is made; not written to the index
 * @param drawing   what the report draws of the result's timeline, for the timelines a batch's report draws
 *                  ({@link DrawnTimelines}), which keeps this in place of the result; not written to the index
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"object", "outcome", "status", "label", "segments", "dominant", "reason", "resultUri", "seconds"})
public record BatchRow(String object, String outcome, String status, String label, Integer segments, String dominant,
                       String reason, String resultUri, double seconds, @JsonIgnore JsonNode result,
                       @JsonIgnore TimelineDrawing drawing) {

    public BatchRow(String object, String outcome, String status, String label, Integer segments, String dominant,
                    String reason, String resultUri, double seconds, JsonNode result) {
        this(object, outcome, status, label, segments, dominant, reason, resultUri, seconds, result, null);
    }

    /** {@code moodtag status}: the object has no result from the current model pack yet. */
    public static final String PENDING = "pending";

    /** A row whose label, segments and dominant emotion come from {@code result} (null when there is none). */
    public static BatchRow of(String object, String outcome, String status, String label, String reason, String resultUri,
                              double seconds, JsonNode result) {
        JsonNode segments = result == null ? null : result.path("timeline").path("segments");
        return new BatchRow(object, outcome, status, label, segments != null && segments.isArray() ? segments.size() : null,
                result == null ? null : result.path("summary").path("dominant").asText(null), reason, resultUri, seconds,
                result);
    }

    /** A row from a result read back from storage: its segments are counted there, kept or not. */
    public static BatchRow of(String object, String outcome, String reason, String resultUri, double seconds,
                              StoredResult stored) {
        JsonNode r = stored.document();
        return new BatchRow(object, outcome, r.path("status").asText(null), r.path("label").asText(null), stored.segments(),
                r.path("summary").path("dominant").asText(null), reason, resultUri, seconds, r);
    }

    /** This row with {@code drawn}, what the report draws of its result's timeline (read as the result streamed past). */
    BatchRow withDrawing(TimelineDrawing drawn) {
        return new BatchRow(object, outcome, status, label, segments, dominant, reason, resultUri, seconds, result, drawn);
    }

    /** This row without its result document, or anything drawn of it. */
    BatchRow withoutResult() {
        return result == null && drawing == null ? this : new BatchRow(object, outcome, status, label, segments, dominant,
                reason, resultUri, seconds, null, null);
    }

    /** This row with the label a batch's second pass gave its result. */
    BatchRow withLabel(String newLabel) {
        return new BatchRow(object, outcome, status, newLabel, segments, dominant, reason, resultUri, seconds, result, drawing);
    }

    /** This row with what the report draws of its result's timeline in place of the result. */
    BatchRow drawn() {
        return new BatchRow(object, outcome, status, label, segments, dominant, reason, resultUri, seconds, null,
                drawing != null ? drawing : TimelineDrawing.of(result));
    }

    /** "kind: message" of a result with status {@code error}, or null for any other result. */
    public static String errorReason(JsonNode result) {
        if (result == null || !result.path("error").isObject()) return null;
        return result.path("error").path("kind").asText() + ": " + result.path("error").path("message").asText();
    }

    /**
     * Whether this object counts as a failure in the summary (tried, and no usable result). An ignored file (not
     * media, or filtered out by {@code moodtag.function.filter.*}) was never meant to get a result: it is listed
     * apart, and does not fail the batch.
     */
    @JsonIgnore
    public boolean failed() {
        return !notRun() && !PENDING.equals(outcome) && !ignored()
                && !((ObjectOutcome.PROCESSED.equals(outcome) || ObjectOutcome.SKIPPED.equals(outcome))
                && !EmotionResult.ERROR.equals(status));
    }

    /** Whether the tagger passed over this file on purpose (see {@link #failed()}). */
    @JsonIgnore
    public boolean ignored() {
        return ObjectOutcome.IGNORED.equals(outcome);
    }

    /** Not started: the batch was stopped first. */
    public boolean notRun() {
        return BatchTagger.NOT_RUN.equals(outcome);
    }

    static final String[] CSV_HEADER = {"object", "outcome", "status", "label", "segments", "dominant", "reason",
            "result", "seconds"};

    /** The CSV index's cells: text guarded against formula injection (names and reasons come from anyone), numbers not. */
    String[] csv() {
        return new String[]{guard(object), guard(outcome), guard(status), guard(label),
                segments == null ? "" : segments.toString(), guard(dominant), guard(reason), guard(resultUri),
                secondsCell(seconds)};
    }

    /**
     * Seconds to three places, as {@code String.format} writes them; a row that took no time (every row of
     * {@code moodtag status}) is the constant, where parsing the pattern per row cost 1-8 µs (100,000 pending objects).
     */
    static String secondsCell(double seconds) {
        return Double.doubleToRawLongBits(seconds) == 0L ? "0.000" : String.format(Locale.ROOT, "%.3f", seconds);
    }
}
