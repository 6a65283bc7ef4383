package dev.moodtag.batch;

import dev.moodtag.support.ParallelWork;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.RetryableException;
import dev.moodtag.tagging.StoredResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tags the objects of an archive in parallel through the function's own per-object path ({@link Recognizer}), so
 * results have the same format and location, and a rerun skips what already has a result from the same model pack.
 * Every result is written atomically when its object is done: stopping the batch (or killing the process) loses
 * only the objects in flight, and leaves no partial result.
 */
@ApplicationScoped
public class BatchTagger {

    private static final Logger LOG = Logger.getLogger(BatchTagger.class);
    static final String NOT_RUN = "not-run", RETRY = "retry";
    private static final ParallelWork WORKERS = new ParallelWork("moodtag-tag", "batch interrupted", "batch worker failed");

    private final Recognizer recognizer;
    private final ObjectMapper json = new ObjectMapper();

    public BatchTagger(Recognizer recognizer) {
        this.recognizer = recognizer;
    }

    /**
     * Loads the model pack, its encoders and classifier now: a pack that does not load stops the batch before its first
     * object (it failed every object, each with its stack trace), and the first objects do not wait for the models.
     *
     * @throws dev.moodtag.pack.ModelPackException naming what is wrong with the pack
     */
    public void loadModels() {
        recognizer.warmUp();
    }

    /** Told about every object as it finishes, from the worker threads. */
    public interface Listener {
        void finished(BatchRow row, int done, int total);
    }

    /**
     * @param stop set it to stop starting objects; those in flight finish and are kept, the rest are {@code not-run}
     */
    public BatchSummary tag(List<BatchItem> items, int workers, boolean force, Listener listener, AtomicBoolean stop) {
        long t0 = System.nanoTime();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        AtomicInteger done = new AtomicInteger();
        DrawnTimelines rows = new DrawnTimelines(items.size(), BatchReport.MAX_TIMELINES);
        WORKERS.each(items, Math.max(1, workers), (slot, item) -> {
            if (stop.get()) {
                rows.place(slot, new BatchRow(item.ref().uri(), NOT_RUN, null, null, null, null,
                        "the batch was stopped before this object; run it again to continue", null, 0, null));
                return;
            }
            BatchRow row = one(item, force, "batch-" + runId + "-" + (slot + 1), rows);
            listener.finished(row, done.incrementAndGet(), items.size());
            rows.place(slot, row);
        });
        return new BatchSummary(rows.rows(), (System.nanoTime() - t0) / 1e9, stop.get(), rows.classes());
    }

    private BatchRow one(BatchItem item, boolean force, String requestId, DrawnTimelines drawn) {
        long t0 = System.nanoTime();
        String uri = item.ref().uri();
        try {
            ObjectOutcome o = recognizer.recognize(item.ref(), item.store(), force, requestId, item.rules());
            // Only a result the skip named: any other one at that place may be an earlier version's.
            if (o.result() == null && ObjectOutcome.SKIPPED.equals(o.outcome()) && o.resultUri() != null) {
                Optional<StoredResult> stored = recognizer.readResult(item.store(), recognizer.resultFor(item.ref()),
                        drawn.wouldDraw(uri));
                if (stored.isPresent()) {
                    String error = BatchRow.errorReason(stored.get().document());
                    return BatchRow.of(uri, o.outcome(), error == null ? o.reason() : skippedError(error, o.reason()),
                            o.resultUri(), seconds(t0), stored.get());
                }
                // Skipped by its head, but the rest is unreadable: say so, or the row looks whole.
                if (o.resultUri() != null) return BatchRow.of(uri, o.outcome(), o.status(), o.label(), o.reason() + "; " + StoredResult.DAMAGED,
                        o.resultUri(), seconds(t0), null);
            }
            JsonNode result = o.result() != null ? json.valueToTree(o.result()) : null;
            String reason = o.reason();
            String error = BatchRow.errorReason(result);
            if (error != null && reason == null) reason = error;
            return BatchRow.of(uri, o.outcome(), o.status(), o.label(), reason, o.resultUri(), seconds(t0), result);
        } catch (RetryableException e) {
            // storage unavailable, or the machine too loaded to finish the object in time: nothing was written
            return new BatchRow(uri, RETRY, null, null, null, null, e.getMessage() + "; run the batch again later",
                    null, seconds(t0), null);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed", uri);
            return new BatchRow(uri, ObjectOutcome.FAILED, null, null, null, null, "internal error: " + e,
                    null, seconds(t0), null);
        }
    }

    /** A file skipped because an earlier run already found it unusable is still a failure: say why. */
    private static String skippedError(String error, String reason) {
        return error + (reason == null ? "" : " (result of an earlier run; --force redoes it)");
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
