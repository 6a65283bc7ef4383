package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.media.TimeBudget;
import dev.moodtag.storage.FileVersion;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.storage.StorageException;
import dev.moodtag.storage.StorageRouter;
import dev.moodtag.support.S3Uri;
import dev.moodtag.support.Stopped;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * The pipeline for one object, as the thin orchestration of its steps ({@link RecognizerSteps}): filters
 * ({@link ObjectFilter}), idempotency check ({@link ResultLocator}), bounded copy to a temporary folder with the
 * transcript sidecar ({@link ObjectCopier}), decode, embed, label ({@link UtteranceTagger}, which streams a recording
 * longer than {@code moodtag.timeline.segment-above} through {@link TimelineTagger}), the result document
 * ({@link ResultAssembler}) written atomically beside the object ({@link ResultWriter}); the temporary folder is
 * always removed. The application's recognizer reaches the configured storage; {@link RecognizerFactory} makes one
 * for another storage (the watch mode's boxes). Batch tagging ({@code moodtag tag}) calls
 * {@link #recognize(ObjectRef, ObjectStorage, boolean, String)} per object, so results land in the same place and
 * format as the function's.
 */
@ApplicationScoped
public class Recognizer {

    private static final Logger LOG = Logger.getLogger(Recognizer.class);

    private final StorageRouter storage;
    private final LocalObjectStorage local;
    private final S3ObjectStorage s3;
    private final RecognizerSteps steps;
    private final FunctionMetrics metrics;

    @Inject
    Recognizer(StorageRouter storage, LocalObjectStorage local, S3ObjectStorage s3, RecognizerSteps steps) {
        this.storage = storage;
        this.local = local;
        this.s3 = s3;
        this.steps = steps;
        this.metrics = steps.metrics;
    }

    /**
     * Builds the encoders and loads the classifier now rather than on the first event, and refuses a setting the pack
     * cannot serve.
     */
    public void warmUp() {
        steps.tagger.checkPack();
        LOG.infof("models ready: pack %s %s, %d encoders, classifier: %s", steps.engine.pack().id(),
                steps.engine.pack().version(), steps.engine.encoders().size(),
                steps.labeller.present() ? steps.labeller.description() : "none");
    }

    /**
     * @throws RetryableException when storage is unavailable: nothing was written, the platform should retry; a storage
     *                            problem that retrying cannot fix is an outcome instead ({@link StorageOutcomes})
     */
    public ObjectOutcome recognize(ObjectEvent event, String requestId) {
        return recognize(event, requestId, this::resultFor, ResultRules.EVENT);
    }

    /**
     * As {@link #recognize(ObjectEvent, String)}, with the result written where {@code resultLocation} says (the
     * edge watch mode's outbox) instead of {@link #resultFor}; the location must be reachable through the same store.
     */
    public ObjectOutcome recognize(ObjectEvent event, String requestId, UnaryOperator<ObjectRef> resultLocation,
                                   ResultRules rules) {
        String shown = event.address().toString();
        MDC.put("object", shown);
        try {
            ObjectOutcome o = StorageOutcomes.unlessTransient(shown, () -> run(event, requestId, shown, resultLocation, rules));
            metrics.object(o.outcome(), o.status());
            LOG.infof("%s %s%s", o.outcome(), shown, o.reason() != null ? ": " + o.reason()
                    : o.status() != null ? " (" + o.status() + (o.label() != null ? ", " + o.label() : "") + ")" : "");
            return o;
        } catch (StorageException e) {
            metrics.object("retry", null);
            LOG.warnf("storage unavailable for %s: %s", shown, e.getMessage());
            throw new RetryableException(e.getMessage(), e);
        } finally {
            MDC.remove("object");
        }
    }

    /**
     * One object of a batch: the same filters, idempotency check, copy, tagging and result as for an event, on an
     * object the caller has already located in {@code store}.
     *
     * @throws RetryableException when storage is unavailable: nothing was written
     */
    public ObjectOutcome recognize(ObjectRef ref, ObjectStorage store, boolean force, String requestId) {
        return recognize(ref, store, force, requestId, ResultRules.BATCH);
    }

    /** As {@link #recognize(ObjectRef, ObjectStorage, boolean, String)}, with a batch's rules (found or named). */
    public ObjectOutcome recognize(ObjectRef ref, ObjectStorage store, boolean force, String requestId, ResultRules rules) {
        return recognize(ref, store, force, requestId, rules, UtteranceTagger.Labelled.NONE);
    }

    /**
     * As {@link #recognize(ObjectRef, ObjectStorage, boolean, String, ResultRules)}, telling {@code labelled} of the
     * object's embeddings and labelling when it is one labelled utterance (also when its result is then not written:
     * the outcome says whether it was).
     */
    public ObjectOutcome recognize(ObjectRef ref, ObjectStorage store, boolean force, String requestId, ResultRules rules,
                                   UtteranceTagger.Labelled labelled) {
        String shown = ref.uri();
        MDC.put("object", shown);
        try {
            ObjectOutcome o = StorageOutcomes.unlessTransient(shown, () -> process(ref, store, OptionalLong.empty(),
                    Optional.empty(), force, requestId, shown, this::resultFor, rules, labelled));
            metrics.object(o.outcome(), o.status());
            return o;
        } catch (StorageException e) {
            metrics.object("retry", null);
            throw new RetryableException(e.getMessage(), e);
        } finally {
            MDC.remove("object");
        }
    }

    private ObjectOutcome run(ObjectEvent event, String requestId, String shown, UnaryOperator<ObjectRef> resultLocation,
                              ResultRules rules) {
        if (!event.created())
            return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, "event " + event.eventName() + " is not an object creation");
        ObjectRef ref;
        ObjectStorage store;
        try {
            ref = locate(event.address());
            store = storage.storeFor(ref);
        } catch (StorageException e) {
            if (e.kind().isTransient()) throw e;
            return ObjectOutcome.of(ObjectOutcome.REJECTED, shown, e.getMessage());
        }
        return process(ref, store, event.size(), event.contentType(), event.force(), requestId, shown, resultLocation,
                rules, UtteranceTagger.Labelled.NONE);
    }

    private ObjectOutcome process(ObjectRef ref, ObjectStorage store, OptionalLong eventSize, Optional<String> eventType,
                                  boolean force, String requestId, String shown,
                                  UnaryOperator<ObjectRef> resultLocation, ResultRules rules,
                                  UtteranceTagger.Labelled labelled) {
        Optional<String> filtered = steps.filter.byKey(store, ref);
        if (filtered.isPresent()) return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, filtered.get());
        // The size an event reports is checked before anything is read.
        Optional<String> tooLarge = eventSize.isPresent() ? steps.filter.bySize(eventSize.getAsLong()) : Optional.empty();
        if (tooLarge.isPresent()) return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, tooLarge.get());
        long t0 = System.nanoTime();
        ObjectInfo info = stat(store, ref).orElse(null);
        if (info == null) return ObjectOutcome.of(ObjectOutcome.FAILED, shown, ref.uri() + " does not exist (deleted since the event?)");
        Optional<String> type = info.contentType().or(() -> eventType);
        Optional<String> notTagged = steps.filter.bySizeAndType(info.size(), type);
        if (notTagged.isPresent()) return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, notTagged.get());
        // Before the skip-if-done check: an earlier version's error result beside a TypeScript file is not a failure.
        Optional<String> notMedia = rules.found() ? steps.filter.byContent(store, ref) : Optional.empty();
        if (notMedia.isPresent()) return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, notMedia.get());

        ObjectRef resultRef = resultLocation.apply(ref);
        // A result no run can write (a media name of 243 to 255 bytes makes a result name over the 255 a file name can
        // have) failed only at the write, after the whole tagging, and again on every run: the read of an existing
        // result takes that failure for "none yet".
        Optional<ObjectOutcome> unwritable = unwritableResult(store, ref, resultRef, shown, false);
        if (unwritable.isPresent()) return unwritable.get();
        if (!(force || steps.config.force())) {
            Optional<StoredResult> existing = steps.results.readForSkip(store, resultRef);
            Optional<ObjectOutcome> left = leftAsItIs(existing, resultRef, shown);
            if (left.isPresent()) return left.get();
            Optional<StoredResult> same = existing.filter(r -> steps.results.doneBySamePack(store, r, info));
            if (same.isPresent()) {
                JsonNode head = same.get().document();
                if (same.get().complete()) steps.results.recordFileVersion(store, resultRef, head, info, steps.writer);
                return new ObjectOutcome(ObjectOutcome.SKIPPED, shown, "a result from model pack " + steps.engine.pack().id()
                        + " " + steps.engine.pack().version() + " exists for this version of the object (" + rules.redoHint() + ")"
                        + (same.get().complete() ? "" : "; " + StoredResult.DAMAGED_WORDS),
                        resultRef.uri(), head.path("status").asText(null), head.path("label").asText(null), null);
            }
        }

        // After skip-if-done, so that a read-only archive whose results are all current is still indexed; before the
        // copy and decode, which a folder the result could not go to wasted (7 files of the shared samples tagged for
        // 12 s, then each failed at its write). Asked per object, not once per run: a folder walk spans subfolders, some
        // writable and some not, and those that are get their results. A permanent answer is this object's outcome
        // (StorageOutcomes), a transient one (a full disk) a retry.
        store.checkWritable(resultRef);
        // A folder at the result's name: read as no result, so not current, and the write failed on it only after the
        // whole tagging (12 s for a sample WAV), where status counted it as none yet. Said as status says it.
        Optional<ObjectOutcome> taken = unwritableResult(store, ref, resultRef, shown, true);
        if (taken.isPresent()) return taken.get();
        Path dir = null;
        ObjectCopier.Copy copy = null;
        try {
            dir = steps.scratch.newFolder(shown);
            copy = steps.copier.copy(store, info, dir, steps.filter.maxObjectBytes());
            Map<String, Double> timings = new LinkedHashMap<>();
            timings.put("fetch", Timings.ms(t0));
            EmotionResult.Source source = new EmotionResult.Source(ref.uri(), ref.container(), ref.key(),
                    copy.object().bytes(), info.etag().orElse(null), copy.object().sha256(), type.orElse(null),
                    info.lastModified().map(Instant::toString).orElse(null), info.fileVersion().orElse(null),
                    info.etag().isPresent() ? null : info.checkedAt().map(Instant::toString).orElse(null));
            EmotionResult result;
            try {
                result = steps.tagger.tag(copy.media(), source, requestId, timings, t0, labelled);
            } catch (RuntimeException e) {
                if (e instanceof StorageException) throw e;
                Optional<RetryableException> stopped = stoppedBeforeFinishing(e, shown);
                if (stopped.isPresent()) throw stopped.get();
                result = internalError(e, source, requestId, timings, t0);
            }
            if (rules.holdErrors() && EmotionResult.ERROR.equals(result.status()))
                return new ObjectOutcome(ObjectOutcome.HELD, shown, "error result not written yet: "
                        + result.error().kind(), null, result.status(), null, result);
            // Deleted while it was tagged (an uploader's retry, a user's undo): a result would be an orphan. What is
            // left is the window between this check and the write, milliseconds against the tagging's seconds.
            Optional<ObjectInfo> now = stat(store, ref);
            if (now.isEmpty())
                return ObjectOutcome.of(ObjectOutcome.FAILED, shown, ref.uri() + " was deleted while it was tagged: no result written");
            // Replaced while it was tagged (an upload over it, read here half old and half new, or by another replica
            // first): this result would describe bytes that are gone, and overwrite the new version's.
            Optional<String> changed = changedSince(info, now.get());
            if (changed.isPresent() && rules.changedFails())
                return ObjectOutcome.of(ObjectOutcome.FAILED, shown, ref.uri() + " changed while it was read for tagging ("
                        + changed.get() + "): no result written; run the batch again once the file is complete");
            if (changed.isPresent())
                return ObjectOutcome.of(ObjectOutcome.SKIPPED, shown, ref.uri() + " changed while it was tagged ("
                        + changed.get() + "): no result written for the old version; the new one's event tags it");
            steps.writer.write(store, resultRef, result);
            metrics.stage("total", Timings.ms(t0));
            return new ObjectOutcome(ObjectOutcome.PROCESSED, shown, null, resultRef.uri(), result.status(),
                    result.label(), result);
        } finally {
            if (copy != null) copy.close();
            ScratchSpace.deleteRecursively(dir);
        }
    }

    /**
     * How the object differs from what was read before tagging: its ETag where both have one, else size and time, and
     * a local file's version where both have one (other bytes of the same size with the time set back).
     */
    public static Optional<String> changedSince(ObjectInfo before, ObjectInfo after) {
        if (before.etag().isPresent() && after.etag().isPresent())
            return before.etag().equals(after.etag()) ? Optional.empty()
                    : Optional.of("ETag " + before.etag().get() + " -> " + after.etag().get());
        if (before.size() != after.size()) return Optional.of("size " + before.size() + " -> " + after.size() + " bytes");
        if (before.lastModified().isPresent() && after.lastModified().isPresent()
                && !before.lastModified().equals(after.lastModified()))
            return Optional.of("modified " + before.lastModified().get() + " -> " + after.lastModified().get());
        // A version taken while the file was being replaced is no version: against none (a stat that gives none, or a
        // result that recorded none) it read as the same, and a result recorded it
        if (before.fileVersion().filter(FileVersion::unsettled).isPresent()
                || after.fileVersion().filter(FileVersion::unsettled).isPresent())
            return Optional.of("it was being replaced as its file version (inode:ctime) was read");
        if (!sameFileVersion(before.fileVersion(), after.fileVersion()))
            return Optional.of("file version (inode:ctime) " + before.fileVersion().get() + " -> " + after.fileVersion().get());
        return Optional.empty();
    }

    /**
     * Whether two file versions name the same version of a file: where either is missing (a result written before
     * results recorded one, S3, a file system that gives none) size and time decide alone, as they did.
     */
    public static boolean sameFileVersion(Optional<String> a, Optional<String> b) {
        return a.isEmpty() || b.isEmpty() || a.equals(b);
    }

    /**
     * Tagging that was interrupted, met a closing model (the process shutting down) or was starved of CPU past its time
     * budget's cap (a machine loaded far beyond its cores) failed for no reason of the object's: nothing is written
     * and the caller answers it as retryable. Written as an internal error, it would have
     * been kept for good, since an object with a result from the same pack is skipped.
     */
    static Optional<RetryableException> stoppedBeforeFinishing(RuntimeException e, String shown) {
        if (!Stopped.explains(e) && !TimeBudget.Starved.explains(e) && !Thread.currentThread().isInterrupted())
            return Optional.empty();
        return Optional.of(new RetryableException("tagging " + shown + " stopped before it finished (" + e.getMessage()
                + "); nothing written, retry", e));
    }

    /**
     * A failure that no input explains (an encoder's ONNX Runtime error, a broken invariant): written as an error
     * result of kind {@code internal} and answered, because redelivering the event would fail the same way.
     */
    private EmotionResult internalError(RuntimeException e, EmotionResult.Source source, String requestId,
                                        Map<String, Double> timings, long t0) {
        LOG.errorf(e, "internal error tagging %s", source.uri());
        metrics.internalError();
        timings.put("total", Timings.ms(t0));
        return steps.assembler.internalError(e, source, timings, requestId);
    }

    private ObjectRef locate(ObjectAddress address) {
        if (address instanceof ObjectAddress.Bucket b) return ObjectRef.s3(b.bucket(), b.key());
        if (address instanceof ObjectAddress.LocalFile f) return local.refFor(f.path());
        return s3.refForUrl(((ObjectAddress.Url) address).url());
    }

    /**
     * A new file in the scratch space (named for this process, so what a killed process leaves is swept by the next);
     * the caller deletes it.
     *
     * @param object what the file is for, as shown to the user: named where the scratch folder cannot take it
     * @throws dev.moodtag.storage.StorageException why the scratch folder cannot take it, naming {@code object}
     */
    public Path scratchFile(String suffix, String object) {
        return steps.scratch.newFile(suffix, object);
    }

    /** Where the result of {@code media} goes: same container, {@code <prefix><key><suffix>}. */
    public ObjectRef resultFor(ObjectRef media) {
        return steps.results.resultFor(media);
    }

    /**
     * Removes the result beside {@code file}, a local file that is gone, when that result names it; whether it did
     * ({@link ResultLocator#removeResultNaming}).
     *
     * @throws dev.moodtag.storage.StorageException why the folder could not be read or the result not removed
     */
    public boolean removeResultOfGoneFile(Path file) {
        return steps.results.removeResultNaming(local, local.refFor(file));
    }

    /**
     * The local file whose result would be at {@code result}, by name alone ({@link ResultLocator#mediaOf}); empty when
     * the name is no result's.
     */
    public Optional<Path> mediaOfResultFile(Path result) {
        return steps.results.mediaOf(local.refFor(result)).map(m -> Path.of(m.container()).resolve(m.key()));
    }

    /** As {@link ResultLocator#readResult(ObjectStorage, ObjectRef, ResultLocator.SegmentReader)}. */
    public Optional<StoredResult> readResult(ObjectStorage store, ObjectRef resultRef, ResultLocator.SegmentReader segments) {
        return steps.results.readResult(store, resultRef, segments);
    }

    /**
     * The outcome of {@code media} when no result of it can ever be written where results go ({@link #resultFor}), as
     * tagging it answers before it reads a byte; empty when one can. {@code status} and {@code publish} ask it of an
     * object without a result, so that such an object is the same permanent failure everywhere: status counted it as
     * "none yet" for ever ({@code --wait} ran to its timeout) and publish sent an event the function could only fail.
     *
     * @throws StorageException when the store cannot tell now (UNAVAILABLE)
     */
    public Optional<ObjectOutcome> noResultPossible(ObjectRef media, ObjectStorage store) {
        return noResultPossible(media, store, steps.results);
    }

    /**
     * {@link #noResultPossible(ObjectRef, ObjectStorage)} where results go as {@code results} says, for a caller that
     * needs no recognizer: making one loads the pack's models.
     */
    public static Optional<ObjectOutcome> noResultPossible(ObjectRef media, ObjectStorage store, ResultLocator results) {
        return unwritableResult(store, media, results.resultFor(media), media.uri(), true);
    }

    /**
     * A result name is the media's name with the suffix after it, and stays so: a media name too long for it is refused
     * for good, with the limit and the fix, rather than given a shortened name. Every reader finds a result by that
     * name (skip-if-done, status, watch's removal of a gone file's result, whoever reads results downstream), and a
     * shortened one would need a second rule there, hashed and not invertible, for names no tool but moodtag writes.
     */
    private static Optional<ObjectOutcome> unwritableResult(ObjectStorage store, ObjectRef media, ObjectRef resultRef,
                                                            String shown, boolean itsPlace) {
        try {
            store.confine(resultRef);
            // what is at the name itself, once the object is known to have no current result (one more look per object)
            if (itsPlace) store.checkReplaceable(resultRef);
            return Optional.empty();
        } catch (StorageException e) {
            if (e.kind().isTransient()) throw e;
            // a result place that leads out of its root (a planted link) is rejected, as reading it would be; a media
            // name that leaves its result's no room is a failure of that object on S3 as on a disk (S3 refuses the
            // over-long key as not allowed, which made it "rejected", the answer for a bucket not configured)
            String fix = nameFix(media, resultRef);
            return Optional.of(ObjectOutcome.of(fix.isEmpty() ? StorageOutcomes.permanent(e, shown).outcome()
                    : ObjectOutcome.FAILED, shown, "no result can be written for it: " + e.getMessage() + fix));
        }
    }

    /**
     * What to do where the result's name alone is too long (not a folder's): the most bytes a media name may have for
     * its result's to fit, which is what anybody renaming it needs. A local file's name has 255 bytes (the file
     * system's), an S3 key 1,024 (S3's, the whole key with its prefix and suffix): a key of 1,012 to 1,024 bytes was
     * refused naming S3's limit alone, which the media's key itself is within.
     */
    private static String nameFix(ObjectRef media, ObjectRef resultRef) {
        boolean file = media.scheme() == ObjectRef.Scheme.FILE;
        if (!file && media.scheme() != ObjectRef.Scheme.S3) return "";
        int limit = file ? LocalFailures.MAX_NAME_BYTES : S3Uri.MAX_KEY_BYTES;
        int mediaBytes = utf8Bytes(file ? media.name() : media.key());
        int added = utf8Bytes(file ? resultRef.name() : resultRef.key()) - mediaBytes;
        if (mediaBytes > limit || mediaBytes + added <= limit || added <= 0 || added >= limit)
            return "";
        return " (the media's " + (file ? "name" : "key") + " has " + mediaBytes + " bytes and its result's adds " + added
                + (file ? ", moodtag.function.result.suffix" : ", moodtag.function.result.prefix and suffix")
                + ": rename it to at most " + (limit - added) + " bytes, or shorten the " + (file ? "suffix" : "prefix or suffix")
                + ")";
    }

    private static int utf8Bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * A newer moodtag's answer ({@link StoredResult#newerVersion}) read at {@code resultRef}, which tagging over would
     * destroy: this object's permanent outcome, in every mode (tag, watch, the function, and what a publish does not
     * send); empty for any other result or none.
     */
    public static Optional<ObjectOutcome> leftAsItIs(Optional<StoredResult> existing, ObjectRef resultRef, String shown) {
        Optional<BigInteger> newer = existing.flatMap(r -> StoredResult.newerVersion(r.document()));
        return newer.map(v -> ObjectOutcome.of(ObjectOutcome.FAILED, shown, StoredResult.leftByNewer(resultRef.uri(), v)));
    }

    /**
     * Whether tagging {@code ref}, as {@code info} (its stat, taken by the caller) describes it, would be skipped (the
     * skip-if-done rule, {@link ResultLocator#doneBySamePack}, reading only the result's head).
     */
    public boolean hasCurrentResult(ObjectRef ref, ObjectStorage store, ObjectInfo info) {
        return steps.results.isCurrent(store, ref, info);
    }

    /** The model pack and classifier results are compared against (see {@link ResultLocator#packIdentity()}). */
    public String packIdentity() {
        return steps.results.packIdentity();
    }

    private Optional<ObjectInfo> stat(ObjectStorage store, ObjectRef ref) {
        long t0 = System.nanoTime();
        try {
            return store.stat(ref);
        } finally {
            metrics.stage("stat", Timings.ms(t0));
        }
    }
}
