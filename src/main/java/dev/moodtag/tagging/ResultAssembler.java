package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link EmotionResult} document from what tagging found: one utterance's embeddings and labelling, a
 * timeline's totals, or the media error that stopped it. Pack, classifier and encoder descriptions come from the
 * running engine and labeller, so every document says what produced it.
 */
@Singleton
public class ResultAssembler {

    private final EmbeddingEngine engine;
    private final Labeller labeller;

    public ResultAssembler(EmbeddingEngine engine, Labeller labeller) {
        this.engine = engine;
        this.labeller = labeller;
    }

    /** An utterance where no encoder found anything to use. */
    public EmotionResult noUsableModality(EmotionResult.Source source, Utterance utterance,
                                          UtteranceEmbeddings embeddings, Map<String, Double> timings, String requestId) {
        return document(EmotionResult.ERROR, null, source, utterance, embeddings, timings,
                new EmotionResult.Error(EmotionResult.Error.NO_USABLE_MODALITY, source.key() + ": no encoder could use this media ("
                        + missingSummary(embeddings) + "); provide audible speech, a visible face or a transcript"),
                requestId);
    }

    /** A labelled (or, without a classifier or a confident class, unlabelled) utterance. */
    public EmotionResult utterance(Labelling labelling, EmotionResult.Source source, Utterance utterance,
                                   UtteranceEmbeddings embeddings, Map<String, Double> timings, String requestId) {
        return document(labelling.label() != null ? EmotionResult.LABELLED : EmotionResult.UNLABELLED, labelling,
                source, utterance, embeddings, timings, null, requestId)
                .withTranscript(EmotionResult.TranscriptUsed.of(utterance.transcriptText().orElse(null)));
    }

    /** A failure no input explains (see {@code Recognizer}): kind {@code internal}, not worth a retry. */
    public EmotionResult internalError(RuntimeException e, EmotionResult.Source source, Map<String, Double> timings,
                                       String requestId) {
        return document(EmotionResult.ERROR, null, source, null, null, timings, new EmotionResult.Error(EmotionResult.Error.INTERNAL,
                source.key() + ": internal error (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); retrying will not help: report it with the requestId"), requestId);
    }

    /** Media that could not be decoded. */
    public EmotionResult mediaError(MediaException e, EmotionResult.Source source, Map<String, Double> timings,
                                    String requestId) {
        return document(EmotionResult.ERROR, null, source, null, null, timings,
                new EmotionResult.Error(e.kind().id(), e.getMessage()), requestId);
    }

    /** A long recording's timeline, with the whole recording's labelling and per-modality totals. */
    public EmotionResult timeline(TimelineTagger.Tagged t, EmotionResult.Source source, Map<String, Double> timings,
                                  String requestId) {
        Labelling whole = t.whole();
        String status = whole.label() != null ? EmotionResult.LABELLED
                : t.timeline().segments().stream().anyMatch(s -> !EmotionResult.ERROR.equals(s.status()))
                ? EmotionResult.UNLABELLED : EmotionResult.ERROR;
        EmotionResult.Error error = status.equals(EmotionResult.ERROR)
                ? new EmotionResult.Error(EmotionResult.Error.NO_USABLE_MODALITY, source.key() + ": " + whole.reason()) : null;
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
                    e == null ? null : Timings.round(e.ms()), null));
        }
        return new EmotionResult(schemaOf(source), EmotionResult.VERSION, status, whole.label(),
                status.equals(EmotionResult.ERROR) ? "no label: no_usable_modality" : whole.reason(),
                whole.label() == null ? null : whole.probabilities(), modalities, source, pack(), classifier(),
                encoders, timings, error, requestId, Instant.now().toString(), MoodtagVersion.VALUE,
                t.timeline(), t.summary()).withTranscript(EmotionResult.TranscriptUsed.of(t.transcript().transcript()));
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
                    r.map(EncoderResult::millis).orElse(null), r.map(EncoderResult::note).orElse(null)));
        }
        return new EmotionResult(schemaOf(source), EmotionResult.VERSION, status,
                labelling == null ? null : labelling.label(),
                labelling == null ? (error == null ? null : "no label: " + error.kind()) : labelling.reason(),
                labelling == null || labelling.probabilities().isEmpty() ? null : labelling.probabilities(),
                modalities, source, pack(), classifier(),
                encoders, timings, error, requestId, Instant.now().toString(), MoodtagVersion.VALUE, null, null);
    }

    /** A result as tagged names schema 2.4, 2.7 where its source has a file version, 2.8 where it has the store's time. */
    private static String schemaOf(EmotionResult.Source source) {
        return EmotionResult.schemaOf(source != null && source.fileVersion() != null,
                source != null && source.checkedAt() != null, EmotionResult.SCHEMA);
    }

    /**
     * A single utterance's result as a batch's second pass leaves it (schema 2.5; 2.6 when the batch self-trained): the verdict at the top level and,
     * where {@code relabelled} is given, its label, probabilities and per-modality probabilities replaced by that
     * labelling, with the first pass's label kept beside them. Everything else is the first pass's, as written.
     *
     * @param firstPass  the result as the first pass wrote it; not changed
     * @param relabelled the labelling with speech standardised over the batch, or null where the guard kept the first
     *                   pass's
     */
    public static ObjectNode overBatch(JsonNode firstPass, Labelling relabelled, EmotionResult.SpeechStandardisation verdict) {
        ObjectNode doc = firstPass.deepCopy();
        doc.put("schema", EmotionResult.schemaOf(doc.path("source").hasNonNull("fileVersion"),
                doc.path("source").hasNonNull("checkedAt"),
                verdict.selfTrained() == null ? EmotionResult.SCHEMA_OVER_BATCH : EmotionResult.SCHEMA_SELF_TRAINED));
        String before = doc.path("label").asText(null);
        if (relabelled != null) {
            doc.put("label", relabelled.label());
            doc.put("labelReason", relabelled.reason());
            doc.set("probabilities", relabelled.probabilities().isEmpty() ? NullNode.instance : JSON.valueToTree(relabelled.probabilities()));
            doc.path("modalities").fields().forEachRemaining(m -> ((ObjectNode) m.getValue()).set("probabilities",
                    JSON.valueToTree(relabelled.perModality().get(m.getKey()))));
        }
        doc.set(EmotionResult.SPEECH_STANDARDISATION, JSON.valueToTree(verdict));
        if (relabelled != null) doc.put(EmotionResult.FIRST_PASS_LABEL, before);
        return doc;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmotionResult.Pack pack() {
        return new EmotionResult.Pack(engine.pack().id(), engine.pack().version());
    }

    private EmotionResult.Classifier classifier() {
        return new EmotionResult.Classifier(labeller.present(), labeller.description(), labeller.classes());
    }

    private List<String> idsOf(Modality m) {
        return engine.encoders().stream().filter(i -> i.modality() == m).map(EncoderInfo::id).toList();
    }

    private static String lower(Modality m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private static EmotionResult.Encoder encoder(EncoderInfo i, boolean present, String missingReason, Double ms,
                                                 String note) {
        return new EmotionResult.Encoder(i.id(), lower(i.modality()), i.kind(), i.dim(), i.precision(), i.provider(),
                i.providerNote(), i.sha256(), present, missingReason, ms, note);
    }

    private static String whyMissing(Modality m, List<String> ids, Utterance u, UtteranceEmbeddings e,
                                     EmotionResult.Error error) {
        if (ids.isEmpty()) return "the model pack has no " + lower(m) + " encoder";
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
}
