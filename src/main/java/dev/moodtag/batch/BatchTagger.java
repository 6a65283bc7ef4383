package dev.moodtag.batch;

import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.label.RecordingGuard;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.StorageException;
import dev.moodtag.support.ParallelWork;
import dev.moodtag.support.SettingRange;
import dev.moodtag.support.WholeNumber;
import dev.moodtag.tagging.EmotionResult;
import dev.moodtag.tagging.FunctionConfig;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.ResultAssembler;
import dev.moodtag.tagging.ResultLocator;
import dev.moodtag.tagging.ResultWriter;
import dev.moodtag.tagging.RetryableException;
import dev.moodtag.tagging.StoredResult;
import dev.moodtag.tagging.UtteranceTagger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final Labeller labeller;
    private final ResultLocator results;
    private final ResultWriter writer;
    private final BatchConfig config;
    private final RecordingGuard guard;
    private final ObjectMapper json = new ObjectMapper();

    public BatchTagger(Recognizer recognizer, Labeller labeller, ResultLocator results, ResultWriter writer,
                       BatchConfig config) {
        this.recognizer = recognizer;
        this.labeller = labeller;
        this.results = results;
        this.writer = writer;
        this.config = config;
        this.guard = RecordingGuard.ofSettings("moodtag.batch.min-clips", config.minClips(),
                "moodtag.batch.max-dominant-share", config.maxDominantShare());
        selfTraining(); // a self-training setting out of range stops the command at start, as every setting does
    }

    private SelfTraining selfTraining() {
        return SelfTraining.of(config);
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

    /**
     * Why no object of {@code items} can get a result, when that is so: every folder their results go to refuses a
     * write ({@link ObjectStorage#checkWritable}) and none holds a result of them yet (a current one would be skipped,
     * not written: a read-only archive tagged before is still indexed). A batch into such folders decoded and encoded
     * every file and then failed each write. Where only some folders refuse, the batch runs and each object there fails
     * at once, naming its folder ({@link Recognizer}), without being decoded. One probe per folder and a stat per object
     * until something writable is found, which is usually the first. Static, with where results go
     * ({@link ResultLocator#resultFor(FunctionConfig, ObjectRef)}): asked before the batch's
     * tagger, and with it the model pack and the classifier, is made.
     */
    public static Optional<String> noResultCanBeWritten(List<BatchItem> items, FunctionConfig config) {
        Map<String, String> refused = new LinkedHashMap<>();
        for (BatchItem item : items) {
            ObjectRef result = ResultLocator.resultFor(config, item.ref());
            String folder = result.uri().substring(0, result.uri().lastIndexOf('/') + 1);
            try {
                if (!refused.containsKey(folder)) {
                    item.store().checkWritable(result);
                    return Optional.empty();
                }
            } catch (StorageException e) {
                if (e.kind().isTransient()) return Optional.empty(); // for each object to retry
                refused.put(folder, e.getMessage());
            }
            try {
                if (item.store().exists(result)) return Optional.empty();
            } catch (StorageException e) {
                return Optional.empty(); // each object's own tagging says why
            }
        }
        if (refused.isEmpty()) return Optional.empty();
        String first = refused.values().iterator().next();
        return Optional.of("no result can be written, so nothing was tagged: " + first + (refused.size() > 1
                ? " (and " + (refused.size() - 1) + " more folder(s) that cannot be written)" : ""));
    }

    /** Told about every object as it finishes, from the worker threads. */
    public interface Listener {
        void finished(BatchRow row, int done, int total);
    }

    /**
     * @param stop set it to stop starting objects; those in flight finish and are kept, the rest are {@code not-run}
     */
    public BatchSummary tag(List<BatchItem> items, int workers, boolean force, Listener listener, AtomicBoolean stop) {
        return tag(items, workers, force, listener, stop, config.speechOverBatch());
    }

    /** With {@code moodtag.batch.self-train} as configured. */
    public BatchSummary tag(List<BatchItem> items, int workers, boolean force, Listener listener, AtomicBoolean stop,
                            BatchConfig.SpeechOverBatch speech) {
        return tag(items, workers, force, listener, stop, speech, config.selfTrain());
    }

    /**
     * @param speech whether the batch's single utterances may be labelled again with their speech standardised over
     *               the batch ({@code moodtag tag --speech-over-batch} asks for {@code AUTO} whatever the setting)
     * @param selfTrain whether a batch standardised over itself trains the recording part again with its own clips
     *                  ({@code moodtag tag --self-train} asks for {@code AUTO}); only with {@code speech}
     */
    public BatchSummary tag(List<BatchItem> items, int workers, boolean force, Listener listener, AtomicBoolean stop,
                            BatchConfig.SpeechOverBatch speech, BatchConfig.SelfTrain selfTrain) {
        // A size below 1 was raised to 1 without a word: a caller's bug hidden. Refused as ParallelWork refuses it,
        // before the batch's scratch file is made or any object is tagged.
        SettingRange.within("batch workers", workers, 1, ParallelWork.MAX_THREADS).ifPresent(wrong -> {
            throw new IllegalArgumentException(wrong);
        });
        long t0 = System.nanoTime();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        AtomicInteger done = new AtomicInteger();
        DrawnTimelines rows = new DrawnTimelines(items.size(), BatchReport.MAX_TIMELINES);
        Optional<Labeller.OverRecording> over = speech == BatchConfig.SpeechOverBatch.AUTO ? labeller.overRecording()
                : Optional.empty();
        if (speech == BatchConfig.SpeechOverBatch.AUTO && over.isEmpty())
            LOG.warnf("speech over the batch asked for, but %s; every clip is labelled per utterance", NO_RECORDING_PARTS);
        BatchSpeech verdict = null;
        try (SpeechOverBatch kept = over.map(o -> new SpeechOverBatch(o, labeller.classes(), guard,
                recognizer.scratchFile(".batch-speech", SpeechOverBatch.WHAT))).orElse(null)) {
            WORKERS.each(items, workers, (slot, item) -> {
                if (stop.get()) {
                    rows.place(slot, new BatchRow(item.ref().uri(), NOT_RUN, null, null, null, null,
                            "the batch was stopped before this object; run it again to continue", null, 0, null));
                    return;
                }
                BatchRow row = one(item, force, requestId(runId, slot), rows, kept, slot);
                listener.finished(row, done.incrementAndGet(), items.size());
                rows.place(slot, row);
            });
            boolean selfTraining = selfTrain == BatchConfig.SelfTrain.AUTO;
            if (kept != null) verdict = secondPass(items, runId, kept, over.get(), rows, stop, selfTraining);
            else if (speech == BatchConfig.SpeechOverBatch.AUTO) verdict = BatchSpeech.perUtterance(0, NO_RECORDING_PARTS,
                    selfTraining ? NOT_SELF_TRAINED + NO_RECORDING_PARTS : null);
        }
        List<BatchRow> all = rows.rows();
        // A stop that came once everything was done left nothing to say "run again" about
        boolean leftUndone = all.stream().anyMatch(BatchRow::notRun) || verdict != null && verdict.leftByStop() > 0;
        return new BatchSummary(all, (System.nanoTime() - t0) / 1e9, leftUndone, rows.classes(), verdict);
    }

    static final String NOT_SELF_TRAINED = "not self-trained: ";
    static final String NO_RECORDING_PARTS = "the classifier has no part trained on speech standardised per speaker "
            + "(moodtag train --normalise speaker)";

    private static String requestId(String runId, int slot) {
        return "batch-" + runId + "-" + (slot + 1);
    }

    /**
     * After every object of the first pass: the guard judges the kept clips' first-pass labels, and each kept clip's
     * result is rewritten with the verdict (and, where it allows, the label with its speech standardised over the
     * batch), if neither the object nor its result changed since the first pass wrote it. {@code stop} is read before
     * the pass, before and during self-training (each fit of the retraining), and before each rewrite: what it leaves
     * is the first pass's result, counted in {@link BatchSpeech#leftByStop}.
     */
    private BatchSpeech secondPass(List<BatchItem> items, String runId, SpeechOverBatch kept,
                                   Labeller.OverRecording over, DrawnTimelines rows, AtomicBoolean stop, boolean selfTrain) {
        String stoppedWhy = "the batch was stopped before its second pass";
        if (stop.get())
            return BatchSpeech.stopped(kept.clips(), stoppedWhy, selfTrain ? NOT_SELF_TRAINED + stoppedWhy : null);
        long t0 = System.nanoTime();
        RecordingGuard.Verdict v = kept.verdict();
        EmotionResult.SpeechStandardisation said = EmotionResult.SpeechStandardisation.of(v,
                EmotionResult.SpeechStandardisation.BATCH);
        // Self-trained before any result is rewritten: each is rewritten once, with its final label.
        String selfTraining = null;
        Labeller.OverRecording labelWith = over;
        if (selfTrain && !v.standardised()) selfTraining = NOT_SELF_TRAINED + "the guard kept the batch per utterance";
        else if (selfTrain) {
            SelfTraining.Outcome st = selfTraining().run(kept, over, labeller.classes(), stop::get);
            selfTraining = st.line();
            LOG.info("speech over the batch: " + selfTraining);
            if (st.stopped())
                return BatchSpeech.stopped(kept.clips(), "the batch was stopped during self-training", selfTraining);
            if (st.retrained() != null) {
                labelWith = st.retrained();
                said = said.selfTrained(st.record());
            }
        }
        EmotionResult.SpeechStandardisation written = said;
        int[] rewritten = {0}, changed = {0}, left = {0};
        int read = kept.each(v.standardised(), labelWith, stop::get, (slot, firstPass, relabelled) -> {
            BatchItem item = items.get(slot);
            Optional<String> why = rewrite(item, requestId(runId, slot), relabelled, written);
            if (why.isPresent()) {
                left[0]++;
                LOG.warnf("%s: result not rewritten by the batch's second pass: %s", item.ref().uri(), why.get());
                return;
            }
            rewritten[0]++;
            if (relabelled != null) {
                rows.relabel(slot, relabelled.label());
                if (!firstPass.equals(relabelled.label())) changed[0]++;
            }
        });
        return new BatchSpeech(said.over(), v.segments(), rewritten[0], changed[0], left[0], v.segments() - read,
                v.dominant(), said.firstPassDominantShare(), v.reason(), seconds(t0), selfTraining);
    }

    /** Rewrites a kept clip's result; empty when done, else why it was left as it is. */
    private Optional<String> rewrite(BatchItem item, String requestId, Labelling relabelled,
                                     EmotionResult.SpeechStandardisation said) {
        return rewrite(results, writer, item, requestId, relabelled, said);
    }

    /**
     * As {@link #rewrite(BatchItem, String, Labelling, EmotionResult.SpeechStandardisation)}, with what reads and writes
     * the result. The first pass keeps only clips whose result has no timeline, so the result is read without a
     * timeline's segments (memory for the rest, which a read bounds at 64 MiB) and one that has a
     * timeline now is left as it is, said: it was read whole, and a result of a million segments (another run's, or
     * hostile) ran a 300 MB heap out of memory; rewritten from what was read, its segments would be lost.
     */
    static Optional<String> rewrite(ResultLocator results, ResultWriter writer, BatchItem item, String requestId,
                                    Labelling relabelled, EmotionResult.SpeechStandardisation said) {
        ObjectRef resultRef = results.resultFor(item.ref());
        try {
            Optional<StoredResult> stored = results.readResult(item.store(), resultRef);
            if (stored.isEmpty() || !stored.get().complete()) return Optional.of("its result is gone or cannot be read");
            JsonNode doc = stored.get().document();
            if (!requestId.equals(doc.path("requestId").asText(null)))
                return Optional.of("its result was replaced since the first pass (requestId "
                        + doc.path("requestId").asText(null) + ", not " + requestId + ")");
            if (doc.hasNonNull("timeline"))
                return Optional.of(timelineWords(stored.get()));
            Optional<ObjectInfo> now = item.store().stat(item.ref());
            if (now.isEmpty()) return Optional.of("it was deleted since the first pass");
            Optional<String> changed = Recognizer.changedSince(firstPassInfo(item.ref(), doc.path("source")), now.get());
            if (changed.isPresent()) return Optional.of("it changed since the first pass (" + changed.get() + ")");
            writer.write(item.store(), resultRef, ResultAssembler.overBatch(doc, relabelled, said));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(notRewrittenBecause(e));
        }
    }

    /** Why a result with a timeline is not rewritten: no first pass of a single utterance writes one. */
    private static String timelineWords(StoredResult stored) {
        Integer segments = stored.segments();
        return "its result has a timeline" + (segments == null ? "" : " of " + segments + " segment(s)")
                + ", which the first pass of a single utterance does not write: damaged or rewritten since the first pass";
    }

    /**
     * Why a rewrite failed, in words: it was the exception's {@code toString()}, a class before the store's own words
     * ("dev.moodtag.storage.StorageException: cannot write ...", "java.io.UncheckedIOException: java.io.IOException:
     * No space left on device"). The failure's own message is kept; an unchecked I/O failure is said by its cause.
     */
    static String notRewrittenBecause(RuntimeException e) {
        Exception said = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String message = said.getMessage();
        // the wrapper's own words, unless they are only its cause's toString() (as its one-argument constructor makes)
        if ((message == null || message.isBlank()) && said != e && !String.valueOf(said).equals(e.getMessage()))
            message = e.getMessage();
        if (message != null && !message.isBlank()) return message.strip();
        return LocalFailures.typeInWords(said) + (said instanceof java.io.IOException ? "" : " (an unexpected failure in moodtag)");
    }

    /** The object as its first-pass result describes it: what {@link Recognizer#changedSince} compares. */
    static ObjectInfo firstPassInfo(ObjectRef ref, JsonNode source) {
        // An integral JSON number only (WholeNumber): "69798", 69798.9 and 2^64 + 69798 were 69798 bytes, unchanged
        return new ObjectInfo(ref, WholeNumber.of(source.get("size"), 0, Long.MAX_VALUE, false).orElse(-1), Optional.ofNullable(source.path("etag").asText(null)),
                Optional.ofNullable(source.path("lastModified").asText(null)).map(Instant::parse), Optional.empty(),
                Optional.empty(), Optional.ofNullable(source.path("fileVersion").asText(null)));
    }

    private BatchRow one(BatchItem item, boolean force, String requestId, DrawnTimelines drawn, SpeechOverBatch kept,
                         int slot) {
        long t0 = System.nanoTime();
        String uri = item.ref().uri();
        try {
            // What the second pass needs of a labelled single utterance, kept once its result is written.
            float[][][] sample = {null};
            UtteranceTagger.Labelled labelled = kept == null ? UtteranceTagger.Labelled.NONE
                    : (embeddings, labelling) -> sample[0] = kept.sample(embeddings);
            ObjectOutcome o = recognizer.recognize(item.ref(), item.store(), force, requestId, item.rules(), labelled);
            if (sample[0] != null && ObjectOutcome.PROCESSED.equals(o.outcome()) && o.result() != null
                    && EmotionResult.LABELLED.equals(o.result().status()) && o.result().timeline() == null)
                kept.keep(slot, uri, sample[0], o.result().label());
            // Only a result the skip named: any other one at that place may be an earlier version's.
            if (o.result() == null && ObjectOutcome.SKIPPED.equals(o.outcome()) && o.resultUri() != null) {
                // The segments of a result whose timeline is drawn are drawn as it streams past, none of them kept
                ObjectRef resultRef = recognizer.resultFor(item.ref());
                TimelineDrawing.Reader reader = drawn.wouldDraw(uri) ? new TimelineDrawing.Reader() : null;
                Optional<StoredResult> stored = recognizer.readResult(item.store(), resultRef, reader);
                TimelineDrawing.Reader again = reader == null ? null : stored.map(reader::again).orElse(null);
                if (again != null) stored = recognizer.readResult(item.store(), resultRef, reader = again);
                if (stored.isPresent()) {
                    String error = BatchRow.errorReason(stored.get().document());
                    return BatchRow.of(uri, o.outcome(), error == null ? o.reason() : skippedError(error, o.reason()),
                            o.resultUri(), seconds(t0), stored.get())
                            .withDrawing(reader == null ? null : reader.drawing(stored.get()));
                }
                // Skipped by its head, but the rest is unreadable: say so (the skip did, unless it was damaged since), or
                // the row looks whole.
                String damaged = o.reason().contains(StoredResult.DAMAGED_WORDS) ? o.reason() : o.reason() + "; " + StoredResult.DAMAGED;
                return BatchRow.of(uri, o.outcome(), o.status(), o.label(), damaged, o.resultUri(), seconds(t0), null);
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
