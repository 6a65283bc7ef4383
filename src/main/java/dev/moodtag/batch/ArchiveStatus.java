package dev.moodtag.batch;

import dev.moodtag.pack.PackIdentity;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.StorageException;
import dev.moodtag.tagging.ObjectFilter;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.ResultLocator;
import dev.moodtag.tagging.StoredResult;

import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where an archive stands, read from the results in storage only: an object has a current result (same pack,
 * classifier and object version, as the function's skip-if-done compares them), or none yet ({@link BatchRow#PENDING}), or is not
 * something the function tags ({@code ignored}). The rows make the same index and report as {@code moodtag tag}.
 */
@ApplicationScoped
public class ArchiveStatus {

    /**
     * Results and the pack's identity only: through the {@link Recognizer} status verified the pack, read the
     * classifier and made every encoder's ONNX session to compare results with the pack (about 5 s of CPU, 450 MB).
     */
    private final ResultLocator results;
    private final ObjectFilter filter;

    public ArchiveStatus(ResultLocator results, ObjectFilter filter) {
        this.results = results;
        this.filter = filter;
    }

    /**
     * The configured pack's identity, which results are compared with ({@link ResultLocator#identity}).
     *
     * @throws dev.moodtag.pack.ModelPackException when the pack's manifest or files cannot be read
     */
    public PackIdentity pack() {
        return results.identity();
    }

    /**
     * One row per object, sorted by object.
     *
     * @throws dev.moodtag.pack.ModelPackException when the configured pack cannot be read, whatever storage holds
     */
    public BatchSummary scan(List<BatchItem> items) {
        long t0 = System.nanoTime();
        pack(); // no pack, no current result: said as before, not as "none yet" for every object
        DrawnTimelines rows = new DrawnTimelines(items.size(), BatchReport.MAX_TIMELINES);
        for (int i = 0; i < items.size(); i++) rows.place(i, row(items.get(i), rows));
        return new BatchSummary(rows.rows(), (System.nanoTime() - t0) / 1e9, false, rows.classes());
    }

    /**
     * What status says of a file where a result goes that is no result document: tagging reads no result in it either,
     * and tags the object again over it (tag, watch, the function).
     */
    static final String NOT_A_RESULT = "is not a result document (empty, no JSON, or cut or damaged among its first fields):"
            + " the next run tags the object again, replacing it";

    private BatchRow row(BatchItem item, DrawnTimelines drawn) {
        String uri = item.ref().uri();
        Optional<String> ignored = filter.byKey(item.store(), item.ref());
        if (ignored.isPresent()) return BatchRow.of(uri, ObjectOutcome.IGNORED, null, null, ignored.get(), null, 0, null);
        Optional<StoredResult> result;
        TimelineDrawing.Reader reader;
        boolean unreadable = false;
        try {
            ignored = item.rules().found() ? filter.byContent(item.store(), item.ref()) : Optional.empty();
            if (ignored.isPresent()) return BatchRow.of(uri, ObjectOutcome.IGNORED, null, null, ignored.get(), null, 0, null);
            // One stat per object, for its result's comparison and for what the function ignores: an object with no
            // result was stat'ed a second time for the latter (100,000 pending empty files: 200,000 stats).
            Optional<ObjectInfo> info = item.store().stat(item.ref());
            // The segments of a result whose timeline is drawn are drawn as it streams past, none of them kept
            reader = drawn.wouldDraw(uri) ? new TimelineDrawing.Reader() : null;
            TimelineDrawing.Reader first = reader;
            Optional<ResultLocator.Found> found = info.map(i -> results.current(item.store(), i, first));
            TimelineDrawing.Reader again = first == null ? null
                    : found.flatMap(ResultLocator.Found::current).map(first::again).orElse(null);
            if (again != null) {
                reader = again;
                found = info.map(i -> results.current(item.store(), i, again));
            }
            result = found.flatMap(ResultLocator.Found::current);
            unreadable = found.map(ResultLocator.Found::unreadable).orElse(false);
            Optional<BigInteger> newer = found.flatMap(ResultLocator.Found::newer);
            // In tagging's words: its permanent outcome, neither current nor pending
            if (newer.isPresent()) return BatchRow.of(uri, ObjectOutcome.FAILED, null, null,
                    StoredResult.leftByNewer(results.resultFor(item.ref()).uri(), newer.get()), null, 0, null);
            // Only an object with no result is looked at: one the function ignores (too large, not a media type it
            // takes) gets none, and was "none yet" for ever, status --wait waiting for it until its timeout.
            Optional<String> notTagged = result.isPresent() ? Optional.empty()
                    : info.flatMap(i -> filter.bySizeAndType(i.size(), i.contentType()));
            if (notTagged.isPresent()) return BatchRow.of(uri, ObjectOutcome.IGNORED, null, null, notTagged.get(), null, 0, null);
            // Nor can one whose result no run can write (a media name that leaves no room for the result suffix): tag
            // and the function fail it for good before reading it, and status counted it as none yet for ever.
            Optional<ObjectOutcome> refused = result.isPresent() ? Optional.empty()
                    : Recognizer.noResultPossible(item.ref(), item.store(), results);
            if (refused.isPresent())
                return BatchRow.of(uri, refused.get().outcome(), null, null, refused.get().reason(), null, 0, null);
        } catch (StorageException e) {
            return BatchRow.of(uri, BatchRow.PENDING, null, null, "cannot be read now: " + e.getMessage(), null, 0, null);
        }
        if (result.isEmpty()) return BatchRow.of(uri, BatchRow.PENDING, null, null, unreadable
                ? results.resultFor(item.ref()).uri() + " " + NOT_A_RESULT : "no result from the current model pack yet", null, 0, null);
        String reason = result.get().complete() ? BatchRow.errorReason(result.get().document()) : StoredResult.DAMAGED;
        return BatchRow.of(uri, ObjectOutcome.PROCESSED, reason, results.resultFor(item.ref()).uri(), 0, result.get())
                .withDrawing(reader == null ? null : reader.drawing(result.get()));
    }

    /**
     * Counts of a scan, and the most frequent reasons among its failures. {@code refused}: objects no run can give a
     * result ({@link Recognizer#noResultPossible}), neither current nor pending, each also among the failures' reasons.
     */
    public record Counts(long objects, long current, long errors, long pending, long ignored, long refused,
                         Map<String, Long> topReasons) {

        public static Counts of(BatchSummary s, int reasons) {
            long ignored = s.ignored().size();
            long pending = s.rows().stream().filter(r -> BatchRow.PENDING.equals(r.outcome())).count();
            long refused = s.rows().stream().filter(r -> ObjectOutcome.FAILED.equals(r.outcome())
                    || ObjectOutcome.REJECTED.equals(r.outcome())).count();
            List<BatchRow> failures = s.failures();
            Map<String, Long> byReason = failures.stream().collect(Collectors.groupingBy(
                    r -> r.reason() == null ? "(no reason)" : r.reason(), Collectors.counting()));
            Map<String, Long> top = byReason.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(reasons).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                            LinkedHashMap::new));
            long objects = s.rows().size() - ignored;
            return new Counts(objects, objects - pending - refused, failures.size() - refused, pending, ignored, refused, top);
        }

        /**
         * Every object the function tags has a current result (an error result counts: retrying changes nothing), or
         * can have none.
         */
        public boolean done() {
            return pending == 0;
        }
    }
}
