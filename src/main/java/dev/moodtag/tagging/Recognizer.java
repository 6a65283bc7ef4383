package dev.moodtag.tagging;

import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.media.DecodeBounds;
import dev.moodtag.media.LongerThanUtterance;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.MediaFiles;
import dev.moodtag.media.Modality;
import dev.moodtag.media.StreamInfo;
import dev.moodtag.media.TimeBudget;
import dev.moodtag.media.TranscriptLoader;
import dev.moodtag.media.Utterance;
import dev.moodtag.storage.CopiedObject;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.storage.StorageConfig;
import dev.moodtag.storage.StorageException;
import dev.moodtag.storage.StorageRouter;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * The function's pipeline for one object: filters, idempotency check, bounded copy to a temporary folder (with the
 * transcript sidecar), decode, embed, label, result written atomically beside the object. It reuses the CLI's
 * decoder and engine; the temporary folder is always removed. A recording longer than
 * {@code moodtag.timeline.segment-above} is streamed through {@link TimelineTagger} and gets a timeline. Batch
 * tagging ({@code moodtag tag}) calls {@link #recognize(ObjectRef, ObjectStorage, boolean, String)} per object, so
 * results land in the same place and format as the function's.
 */
@ApplicationScoped
public class Recognizer {

    private static final Logger LOG = Logger.getLogger(Recognizer.class);
    /** The existing result is a few kB. */
    private static final long MAX_RESULT_BYTES = 4L << 20;
    private static final String RESULT_TYPE = "application/json";

    private final StorageRouter storage;
    private final LocalObjectStorage local;
    private final S3ObjectStorage s3;
    private final MediaDecoder decoder;
    private final EmbeddingEngine engine;
    private final Labeller labeller;
    private final FunctionConfig config;
    private final FunctionMetrics metrics;
    private final TimelineTagger timelines;
    private final ScratchSpace scratch;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Recognizer(StorageRouter storage, LocalObjectStorage local, S3ObjectStorage s3, MediaDecoder decoder,
                      EmbeddingEngine engine, Labeller labeller, FunctionConfig config, StorageConfig storageConfig,
                      FunctionMetrics metrics, TimelineTagger timelines) {
        this.storage = storage;
        this.local = local;
        this.s3 = s3;
        this.decoder = decoder;
        this.engine = engine;
        this.labeller = labeller;
        this.config = config;
        this.metrics = metrics;
        this.timelines = timelines;
        this.scratch = new ScratchSpace(Path.of(storageConfig.tempDir().orElse(System.getProperty("java.io.tmpdir"))));
        scratch.sweep();
    }

    /** Builds the encoders and loads the classifier now rather than on the first event. */
    public void warmUp() {
        LOG.infof("function ready: pack %s %s, %d encoders, classifier: %s", engine.pack().id(), engine.pack().version(),
                engine.encoders().size(), labeller.present() ? labeller.description() : "none");
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
        String shown = ref.uri();
        MDC.put("object", shown);
        try {
            ObjectOutcome o = StorageOutcomes.unlessTransient(shown, () -> process(ref, store, OptionalLong.empty(),
                    Optional.empty(), force, requestId, shown, this::resultFor, ResultRules.BATCH));
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
                rules);
    }

    private ObjectOutcome process(ObjectRef ref, ObjectStorage store, OptionalLong eventSize, Optional<String> eventType,
                                  boolean force, String requestId, String shown,
                                  UnaryOperator<ObjectRef> resultLocation, ResultRules rules) {
        Optional<String> filtered = filterByKey(ref.key());
        if (filtered.isPresent()) return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, filtered.get());
        // The size an event reports is checked before anything is read.
        if (eventSize.isPresent() && eventSize.getAsLong() > config.filter().maxObjectBytes())
            return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, tooLarge(eventSize.getAsLong()));
        long t0 = System.nanoTime();
        ObjectInfo info = stat(store, ref).orElse(null);
        if (info == null) return ObjectOutcome.of(ObjectOutcome.FAILED, shown, ref.uri() + " does not exist (deleted since the event?)");
        if (info.size() > config.filter().maxObjectBytes())
            return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, tooLarge(info.size()));
        Optional<String> type = info.contentType().or(() -> eventType);
        Optional<String> badType = filterByType(type);
        if (badType.isPresent()) return ObjectOutcome.of(ObjectOutcome.IGNORED, shown, badType.get());

        ObjectRef resultRef = resultLocation.apply(ref);
        if (!(force || config.force())) {
            Optional<JsonNode> same = existingResultFromSamePack(store, resultRef, info);
            if (same.isPresent())
                return new ObjectOutcome(ObjectOutcome.SKIPPED, shown, "a result from model pack " + engine.pack().id()
                        + " " + engine.pack().version() + " exists for this version of the object (" + rules.redoHint() + ")",
                        resultRef.uri(), same.get().path("status").asText(null), same.get().path("label").asText(null), null);
        }

        Path dir = null;
        try {
            dir = scratch.newFolder();
            Path media = dir.resolve(safeName(ref.name()));
            CopiedObject copied = store.copyTo(ref, media, config.filter().maxObjectBytes());
            metrics.bytesRead(copied.bytes());
            copySidecar(store, ref, dir, media);
            Map<String, Double> timings = new LinkedHashMap<>();
            timings.put("fetch", ms(t0));
            EmotionResult.Source source = new EmotionResult.Source(ref.uri(), ref.container(), ref.key(), copied.bytes(),
                    info.etag().orElse(null), copied.sha256(), type.orElse(null),
                    info.lastModified().map(Instant::toString).orElse(null));
            EmotionResult result;
            try {
                result = tag(media, source, requestId, timings, t0);
            } catch (RuntimeException e) {
                if (e instanceof StorageException) throw e;
                result = internalError(e, source, requestId, timings, t0);
            }
            if (rules.holdErrors() && EmotionResult.ERROR.equals(result.status()))
                return new ObjectOutcome(ObjectOutcome.HELD, shown, "error result not written yet: "
                        + result.error().kind(), null, result.status(), null, result);
            // Deleted while it was tagged (an uploader's retry, a user's undo): a result would be an orphan. What is
            // left is the window between this check and the write, milliseconds against the tagging's seconds.
            if (stat(store, ref).isEmpty())
                return ObjectOutcome.of(ObjectOutcome.FAILED, shown, ref.uri() + " was deleted while it was tagged: no result written");
            long w0 = System.nanoTime();
            store.writeAtomically(resultRef, json.writeValueAsBytes(result), RESULT_TYPE);
            metrics.stage("write", ms(w0));
            metrics.stage("total", ms(t0));
            return new ObjectOutcome(ObjectOutcome.PROCESSED, shown, null, resultRef.uri(), result.status(),
                    result.label(), result);
        } catch (IOException e) {
            throw new UncheckedIOException("temporary folder under " + scratch, e);
        } finally {
            ScratchSpace.deleteRecursively(dir);
        }
    }

    /**
     * Decode, embed, label: a failure of the media becomes a result with status {@code error}. A long recording is
     * streamed segment by segment into a timeline; anything else is decoded as one utterance.
     */
    private EmotionResult tag(Path media, EmotionResult.Source source, String requestId, Map<String, Double> timings,
                              long t0) {
        long d0 = System.nanoTime();
        StreamInfo info = null;
        DecodeBounds bounds;
        try {
            info = decoder.probe(media);
            bounds = timelines.boundsFor(info);
            if (timelines.wants(info)) return timeline(media, info, source, requestId, timings, t0, d0, bounds.time());
        } catch (MediaException e) {
            return mediaError(e, source, requestId, timings, t0, d0);
        }
        double probeMs = ms(d0);
        Utterance utterance;
        UtteranceEmbeddings embeddings;
        try {
            EmbeddingEngine.Decoded done = engine.decodeAndEmbed(decoder, media, null, bounds);
            utterance = done.utterance();
            embeddings = done.embeddings();
            // The encoders worked while the file was decoded; "encode" is what was left after.
            timings.put("decode", Math.round((probeMs + done.decodeMillis()) * 100) / 100.0);
            metrics.stage("decode", timings.get("decode"));
        } catch (MediaException e) {
            // Short or long is decided by what decodes, not by what the container declares: media that outgrows one
            // utterance while it is decoded (or declares no length) is streamed and segmented after all.
            if (e instanceof LongerThanUtterance) {
                try {
                    return timeline(media, info, source, requestId, timings, t0, d0, bounds.time());
                } catch (MediaException again) {
                    e = again;
                }
            }
            return mediaError(e, source, requestId, timings, t0, d0);
        }
        timings.put("encode", embeddings.millis());
        metrics.stage("encode", embeddings.millis());
        for (EncoderResult r : embeddings.results()) {
            if (r.present()) metrics.encoderRun(r.encoder().id(), r.encoder().provider(), r.encoder().precision());
        }
        if (embeddings.results().stream().noneMatch(EncoderResult::present)) {
            timings.put("total", ms(t0));
            return document(EmotionResult.ERROR, null, source, utterance, embeddings, timings,
                    new EmotionResult.Error("no_usable_modality", source.key() + ": no encoder could use this media ("
                            + missingSummary(embeddings) + "); provide audible speech, a visible face or a transcript"),
                    requestId);
        }
        long c0 = System.nanoTime();
        Labelling labelling = labeller.label(embeddings);
        timings.put("classify", ms(c0));
        metrics.stage("classify", timings.get("classify"));
        timings.put("total", ms(t0));
        return document(labelling.label() != null ? EmotionResult.LABELLED : EmotionResult.UNLABELLED, labelling,
                source, utterance, embeddings, timings, null, requestId)
                .withTranscript(EmotionResult.TranscriptUsed.of(utterance.transcriptText().orElse(null)));
    }

    /**
     * A failure that no input explains (an encoder's ONNX Runtime error, a broken invariant): written as an error
     * result of kind {@code internal} and answered, because redelivering the event would fail the same way.
     */
    private EmotionResult internalError(RuntimeException e, EmotionResult.Source source, String requestId,
                                        Map<String, Double> timings, long t0) {
        LOG.errorf(e, "internal error tagging %s", source.uri());
        metrics.internalError();
        timings.put("total", ms(t0));
        return document(EmotionResult.ERROR, null, source, null, null, timings, new EmotionResult.Error("internal",
                source.key() + ": internal error (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); retrying will not help: report it with the requestId"), requestId);
    }

    private EmotionResult mediaError(MediaException e, EmotionResult.Source source, String requestId,
                                     Map<String, Double> timings, long t0, long d0) {
        timings.put("decode", ms(d0));
        timings.put("total", ms(t0));
        return document(EmotionResult.ERROR, null, source, null, null, timings,
                new EmotionResult.Error(e.kind().name().toLowerCase(Locale.ROOT), e.getMessage()), requestId);
    }

    /** A long recording: decoding and encoding interleave segment by segment, so they are timed together. */
    private EmotionResult timeline(Path media, StreamInfo info, EmotionResult.Source source, String requestId,
                                   Map<String, Double> timings, long t0, long d0, TimeBudget time) {
        TimelineTagger.Tagged t = timelines.tag(media, info, source.key(), time);
        double decodeAndEncode = ms(d0);
        timings.put("decode", Math.max(0, Math.round((decodeAndEncode - t.encodeMs() - t.classifyMs()) * 100) / 100.0));
        timings.put("encode", Math.round(t.encodeMs() * 100) / 100.0);
        timings.put("classify", Math.round(t.classifyMs() * 100) / 100.0);
        timings.put("total", ms(t0));
        metrics.stage("decode", timings.get("decode"));
        metrics.stage("encode", timings.get("encode"));
        metrics.stage("classify", timings.get("classify"));
        Labelling whole = t.whole();
        String status = whole.label() != null ? EmotionResult.LABELLED
                : t.timeline().segments().stream().anyMatch(s -> !EmotionResult.ERROR.equals(s.status()))
                ? EmotionResult.UNLABELLED : EmotionResult.ERROR;
        EmotionResult.Error error = status.equals(EmotionResult.ERROR)
                ? new EmotionResult.Error("no_usable_modality", source.key() + ": " + whole.reason()) : null;
        Map<String, EmotionResult.ModalityResult> modalities = new LinkedHashMap<>();
        for (Modality m : Modality.values()) {
            List<String> ids = idsOf(m);
            int with = t.segmentsWith().getOrDefault(m, 0);
            String reason = with > 0 ? null : ids.isEmpty() ? "the model pack has no " + lower(m) + " encoder"
                    : t.lastMissing().getOrDefault(m, "not present in any segment");
            modalities.put(lower(m), new EmotionResult.ModalityResult(with > 0, reason, ids, null));
        }
        List<EmotionResult.Encoder> encoders = new ArrayList<>();
        for (EncoderInfo i : engine.encoders()) {
            TimelineTagger.EncoderTotals e = t.encoders().get(i.id());
            boolean present = e != null && e.present() > 0;
            encoders.add(encoder(i, present, present ? null : e == null ? "not run: no segment" : e.lastMissing(),
                    e == null ? null : Math.round(e.ms() * 100) / 100.0));
        }
        return new EmotionResult(EmotionResult.SCHEMA, EmotionResult.VERSION, status, whole.label(),
                status.equals(EmotionResult.ERROR) ? "no label: no_usable_modality" : whole.reason(),
                whole.label() == null ? null : whole.probabilities(), modalities, source,
                new EmotionResult.Pack(engine.pack().id(), engine.pack().version()),
                new EmotionResult.Classifier(labeller.present(), labeller.description(), labeller.classes()),
                encoders, timings, error, requestId, Instant.now().toString(), MoodtagVersion.VALUE,
                t.timeline(), t.summary()).withTranscript(EmotionResult.TranscriptUsed.of(t.transcript().transcript()));
    }

    private List<String> idsOf(Modality m) {
        return engine.encoders().stream().filter(i -> i.modality() == m).map(EncoderInfo::id).toList();
    }

    private static String lower(Modality m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private static EmotionResult.Encoder encoder(EncoderInfo i, boolean present, String missingReason, Double ms) {
        return new EmotionResult.Encoder(i.id(), lower(i.modality()), i.kind(), i.dim(), i.precision(), i.provider(),
                i.providerNote(), i.sha256(), present, missingReason, ms);
    }

    private EmotionResult document(String status, Labelling labelling, EmotionResult.Source source,
                                   Utterance utterance, UtteranceEmbeddings embeddings, Map<String, Double> timings,
                                   EmotionResult.Error error, String requestId) {
        Map<String, EmotionResult.ModalityResult> modalities = new LinkedHashMap<>();
        for (Modality m : Modality.values()) {
            List<String> ids = idsOf(m);
            boolean present = embeddings != null && embeddings.hasModality(m);
            String reason = present ? null : whyMissing(m, ids, utterance, embeddings, error);
            Map<String, Double> probs = labelling == null ? null : labelling.perModality().get(lower(m));
            modalities.put(lower(m), new EmotionResult.ModalityResult(present, reason, ids, probs));
        }
        List<EmotionResult.Encoder> encoders = new ArrayList<>();
        for (EncoderInfo i : engine.encoders()) {
            Optional<EncoderResult> r = embeddings == null ? Optional.empty() : embeddings.result(i.id());
            encoders.add(encoder(i, r.map(EncoderResult::present).orElse(false),
                    r.map(EncoderResult::missingReason).orElse(r.isEmpty() ? "not run: " + status : null),
                    r.map(EncoderResult::millis).orElse(null)));
        }
        return new EmotionResult(EmotionResult.SCHEMA, EmotionResult.VERSION, status,
                labelling == null ? null : labelling.label(),
                labelling == null ? (error == null ? null : "no label: " + error.kind()) : labelling.reason(),
                labelling == null || labelling.probabilities().isEmpty() ? null : labelling.probabilities(),
                modalities, source, new EmotionResult.Pack(engine.pack().id(), engine.pack().version()),
                new EmotionResult.Classifier(labeller.present(), labeller.description(), labeller.classes()),
                encoders, timings, error, requestId, Instant.now().toString(), MoodtagVersion.VALUE, null, null);
    }

    private static String whyMissing(Modality m, List<String> ids, Utterance u, UtteranceEmbeddings e,
                                     EmotionResult.Error error) {
        if (ids.isEmpty()) return "the model pack has no " + m.name().toLowerCase(Locale.ROOT) + " encoder";
        if (u != null && u.whyMissing(m).isPresent()) return u.whyMissing(m).get();
        if (e != null) {
            List<String> reasons = e.results().stream().filter(r -> r.modality() == m && !r.present())
                    .map(EncoderResult::missingReason).distinct().toList();
            if (!reasons.isEmpty()) return String.join("; ", reasons);
        }
        return error != null ? "not decoded: " + error.kind() : "not present";
    }

    private static String missingSummary(UtteranceEmbeddings e) {
        return e.results().stream().map(r -> r.encoder().id() + ": " + r.missingReason()).distinct()
                .reduce((a, b) -> a + "; " + b).orElse("the pack has no encoders");
    }

    private ObjectRef locate(ObjectAddress address) {
        if (address instanceof ObjectAddress.Bucket b) return ObjectRef.s3(b.bucket(), b.key());
        if (address instanceof ObjectAddress.LocalFile f) return local.refFor(f.path());
        return s3.refForUrl(((ObjectAddress.Url) address).url());
    }

    /** Where the result of {@code media} goes: same container, {@code <prefix><key><suffix>}. */
    public ObjectRef resultFor(ObjectRef media) {
        return media.withKey(config.result().prefix().orElse("") + media.key() + config.result().suffix());
    }

    private Optional<String> filterByKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String prefix = config.result().prefix().orElse("");
        if (lower.endsWith(config.result().suffix().toLowerCase(Locale.ROOT)) || (!prefix.isEmpty() && key.startsWith(prefix)))
            return Optional.of("a moodtag result (moodtag.function.result.*): never processed, so results cannot loop");
        List<String> prefixes = config.filter().prefixes().orElse(List.of());
        if (!prefixes.isEmpty() && prefixes.stream().noneMatch(key::startsWith))
            return Optional.of("key does not start with a configured prefix " + prefixes + " (moodtag.function.filter.prefixes)");
        Optional<List<String>> suffixes = config.filter().suffixes();
        if (suffixes.isPresent()) {
            if (suffixes.get().stream().noneMatch(s -> lower.endsWith(s.toLowerCase(Locale.ROOT))))
                return Optional.of("key does not end with a configured suffix " + suffixes.get() + " (moodtag.function.filter.suffixes)");
        } else if (!MediaFiles.isMedia(Path.of(safeName(key.substring(key.lastIndexOf('/') + 1))))) {
            return Optional.of("not a media file name (extensions " + MediaFiles.EXTENSIONS.stream().sorted().toList()
                    + "; moodtag.function.filter.suffixes changes this)");
        }
        return Optional.empty();
    }

    private Optional<String> filterByType(Optional<String> contentType) {
        List<String> types = config.filter().mediaTypes().orElse(List.of());
        if (types.isEmpty() || contentType.isEmpty()) return Optional.empty();
        String t = contentType.get().toLowerCase(Locale.ROOT);
        return types.stream().anyMatch(p -> t.startsWith(p.toLowerCase(Locale.ROOT))) ? Optional.empty()
                : Optional.of("content type " + t + " is not one of " + types + " (moodtag.function.filter.media-types)");
    }

    private String tooLarge(long size) {
        return "object has " + size + " bytes, more than moodtag.function.filter.max-object-bytes="
                + config.filter().maxObjectBytes();
    }

    private Optional<ObjectInfo> stat(ObjectStorage store, ObjectRef ref) {
        long t0 = System.nanoTime();
        try {
            return store.stat(ref);
        } finally {
            metrics.stage("stat", ms(t0));
        }
    }

    /**
     * Why the existing result makes this run unnecessary: same pack and classifier, same source object (ETag, or
     * size and modification time where the store has no ETag). Empty when there is none or it differs.
     */
    private Optional<JsonNode> existingResultFromSamePack(ObjectStorage store, ObjectRef resultRef, ObjectInfo media) {
        Optional<JsonNode> read = readResult(store, resultRef);
        if (read.isEmpty()) return Optional.empty();
        JsonNode r = read.get();
        boolean samePack = engine.pack().id().equals(r.path("pack").path("id").asText())
                && engine.pack().version().equals(r.path("pack").path("version").asText())
                && labeller.description().equals(r.path("classifier").path("description").asText());
        JsonNode src = r.path("source");
        boolean sameSource = media.etag().isPresent()
                ? media.etag().get().equals(src.path("etag").asText(null))
                : media.size() == src.path("size").asLong(-1)
                && media.lastModified().map(Instant::toString).orElse("").equals(src.path("lastModified").asText(""));
        return samePack && sameSource ? read : Optional.empty();
    }

    /** The result document at {@code resultRef}, or empty when there is none or it cannot be read. */
    public Optional<JsonNode> readResult(ObjectStorage store, ObjectRef resultRef) {
        if (store.stat(resultRef).isEmpty()) return Optional.empty();
        Path tmp = null;
        try {
            tmp = scratch.newFile(".json");
            store.copyTo(resultRef, tmp, MAX_RESULT_BYTES);
            return Optional.of(json.readTree(tmp.toFile()));
        } catch (IOException | StorageException e) {
            if (e instanceof StorageException se && se.kind().isTransient()) throw se;
            LOG.debugf("existing result %s unreadable (%s): redoing it", resultRef, e.getMessage());
            return Optional.empty(); // unreadable or partial from another writer: redo it
        } finally {
            ScratchSpace.deleteRecursively(tmp);
        }
    }

    /** Copies {@code <base>.txt/.vtt/.srt/.json} beside the object, if one exists, so the decoder finds it. */
    private void copySidecar(ObjectStorage store, ObjectRef ref, Path dir, Path media) {
        String name = media.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String keyBase = ref.name().lastIndexOf('.') > 0 ? ref.name().substring(0, ref.name().lastIndexOf('.')) : ref.name();
        for (String ext : TranscriptLoader.SIDECAR_EXTENSIONS) {
            ObjectRef sidecar = ref.sibling(keyBase + "." + ext);
            if (sidecar.equals(ref)) continue;
            if (store.stat(sidecar).isPresent()) {
                try {
                    store.copyTo(sidecar, dir.resolve(base + "." + ext), timelines.transcriptLimits().maxSidecarBytes());
                } catch (StorageException e) {
                    // A link leading out of the root is refused like the media itself would be, not quietly skipped.
                    if (e.kind().isTransient() || e.kind() == StorageException.Kind.NOT_ALLOWED) throw e;
                    LOG.warnf("transcript %s not used: %s", sidecar, e.getMessage());
                }
                return;
            }
        }
    }

    /** The object's name as a safe local file name (keys may hold characters a filesystem refuses). */
    private static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "media" + s : s;
    }

    private static double ms(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e4) / 100.0;
    }

}
