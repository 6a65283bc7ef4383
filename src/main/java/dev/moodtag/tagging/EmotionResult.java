package dev.moodtag.tagging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * The result document written beside each media object ({@code <key>.emotion.json}), version 2. Its JSON Schema is
 * {@code src/main/resources/schema/emotion-result-v2.4.json} (schema 2.1: version 2 plus the optional {@code transcript};
 * schema 2.2: plus each timeline segment's transcript and an encoder's note; schema 2.3: plus the timeline's
 * {@code speechStandardisation}; schema 2.4: plus a timeline segment's {@code textMissing}; schema 2.5, only in a
 * result a batch's second pass rewrote: plus the top-level {@code speechStandardisation} and {@code firstPassLabel};
 * schema 2.6, only where that pass self-trained: plus {@code speechStandardisation.selfTrained}; schema 2.7, only where a
 * local file's source has one: plus {@code source.fileVersion}; schema 2.8, only where a store without ETags gave its
 * time: plus {@code source.checkedAt});
 * change both together, and bump {@link #VERSION} for
 * anything a reader of an earlier version would misread. Version 2 adds only the optional {@code timeline} and
 * {@code summary} of long recordings: every version 1 field keeps its meaning, and for a long recording the top-level
 * {@code label} and {@code probabilities} describe the whole recording (the dominant emotion, and the per-class
 * probabilities averaged over segments, weighted by duration).
 *
 * @param status   {@code labelled} (a label), {@code unlabelled} (embeddings computed, no classifier: {@code label}
 *                 is null and {@code labelReason} says why) or {@code error} ({@code error} says what to do)
 * @param label    the predicted emotion; null unless {@code status} is {@code labelled}
 * @param timingsMs stage → milliseconds: {@code fetch}, {@code decode}, {@code encode}, {@code classify}, {@code total}
 * @param timeline  per-segment results of a recording longer than {@code moodtag.timeline.segment-above}; absent
 *                  (not null) for a single utterance
 * @param summary   the whole recording in brief, with {@code timeline}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"schema", "version", "status", "label", "labelReason", "probabilities", "modalities", "source",
        "pack", "classifier", "encoders", "timingsMs", "error", "requestId", "createdAt", "moodtag", "timeline", "summary",
        "transcript"})
public record EmotionResult(String schema, int version, String status, String label, String labelReason,
                            Map<String, Double> probabilities, Map<String, ModalityResult> modalities,
                            Source source, Pack pack, Classifier classifier, List<Encoder> encoders,
                            Map<String, Double> timingsMs, Error error, String requestId, String createdAt,
                            String moodtag,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Timeline timeline,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Summary summary,
                            @JsonInclude(JsonInclude.Include.NON_NULL) TranscriptUsed transcript) {

    /**
     * Schema 2.4: version 2 plus the optional {@code transcript} (2.1), each timeline segment's {@code transcript} and an
     * encoder's {@code note} (2.2), the timeline's {@code speechStandardisation} (2.3), a timeline segment's
     * {@code textMissing} (2.4); {@link #VERSION} stays 2, every field of 2.3 keeps its meaning.
     */
    public static final String SCHEMA = "https://moodtag.dev/schema/emotion-result-v2.4.json";
    /**
     * Schema 2.5: 2.4 plus the top-level {@code speechStandardisation} and {@code firstPassLabel} a batch's second pass
     * ({@code moodtag tag --speech-over-batch}) writes into a single utterance's result. Only results it rewrote name
     * it: every other result stays 2.4, byte for byte what it was.
     */
    public static final String SCHEMA_OVER_BATCH = "https://moodtag.dev/schema/emotion-result-v2.5.json";
    /**
     * Schema 2.6: 2.5 plus {@code speechStandardisation.selfTrained}, written only by a batch's second pass that trained
     * the recording part again over the batch ({@code moodtag tag --self-train}); every other rewritten result stays 2.5.
     */
    public static final String SCHEMA_SELF_TRAINED = "https://moodtag.dev/schema/emotion-result-v2.6.json";
    /**
     * Schema 2.7: 2.6 plus {@code source.fileVersion}, which every result of a local file whose file system gives one
     * carries ({@link #schemaOf}), whatever else of 2.5 and 2.6 it holds; every other result names the schema it did.
     */
    public static final String SCHEMA_FILE_VERSION = "https://moodtag.dev/schema/emotion-result-v2.7.json";

    /**
     * The schema a result of {@code source} names: 2.7 where its source has a file version, else {@code otherwise} (2.4
     * for a result as tagged, 2.5 or 2.6 for one a batch's second pass rewrote).
     */
    public static String schemaOf(boolean hasFileVersion, String otherwise) {
        return schemaOf(hasFileVersion, false, otherwise);
    }

    /**
     * Schema 2.8: 2.7 plus {@code source.checkedAt}, which a result of an object whose store gives no ETag carries where
     * the store gave its time; every other result names the schema it did.
     */
    public static final String SCHEMA_CHECKED_AT = "https://moodtag.dev/schema/emotion-result-v2.8.json";

    /**
     * The schema a result names: 2.8 where its source has the store's time ({@code checkedAt}), else as
     * {@link #schemaOf(boolean, String)}. A source has one or the other, never both: a local file has no store time.
     */
    public static String schemaOf(boolean hasFileVersion, boolean hasCheckedAt, String otherwise) {
        return hasCheckedAt ? SCHEMA_CHECKED_AT : hasFileVersion ? SCHEMA_FILE_VERSION : otherwise;
    }

    /** The fields schema 2.5 adds at the top level. */
    public static final String SPEECH_STANDARDISATION = "speechStandardisation", FIRST_PASS_LABEL = "firstPassLabel";
    public static final int VERSION = 2;
    public static final String LABELLED = "labelled", UNLABELLED = "unlabelled", ERROR = "error";

    /** A result without a transcript record (no text, or none used). */
    public EmotionResult(String schema, int version, String status, String label, String labelReason,
                         Map<String, Double> probabilities, Map<String, ModalityResult> modalities, Source source,
                         Pack pack, Classifier classifier, List<Encoder> encoders, Map<String, Double> timingsMs,
                         Error error, String requestId, String createdAt, String moodtag, Timeline timeline,
                         Summary summary) {
        this(schema, version, status, label, labelReason, probabilities, modalities, source, pack, classifier, encoders,
                timingsMs, error, requestId, createdAt, moodtag, timeline, summary, null);
    }

    /** This result with the transcript that was used recorded; unchanged when {@code used} is null. */
    public EmotionResult withTranscript(TranscriptUsed used) {
        return used == null ? this : new EmotionResult(schema, version, status, label, labelReason, probabilities,
                modalities, source, pack, classifier, encoders, timingsMs, error, requestId, createdAt, moodtag, timeline,
                summary, used);
    }

    /**
     * @param present       whether at least one encoder of this modality produced an embedding
     * @param reason        why it is missing (null when present)
     * @param encoders      the pack's encoders for this modality
     * @param probabilities class → probability from this modality alone; null when not scored on its own
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ModalityResult(boolean present, String reason, List<String> encoders,
                                 Map<String, Double> probabilities) {
    }

    /**
     * @param uri    {@code s3://bucket/key} or {@code file:///root/key}
     * @param etag   as the store reported it (S3); null for the filesystem
     * @param sha256 of the bytes that were read; null when nothing was read
     * @param fileVersion a local file's inode number and status-change time ({@code <inode>:<ctime ns>}, schema 2.7):
     *                    with size and time, what tells this version of the file from another; absent (not null) for
     *                    S3 and where the file system gives none
     * @param checkedAt   the store's own time (its answer's Date) when the object was looked at before it was read
     *                    (schema 2.8): recorded only where the store gives no ETag, whose Last-Modified of whole
     *                    seconds proves the version only when this is a later second ({@link ResultLocator}); absent
     *                    (not null) everywhere else
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Source(String uri, String container, String key, Long size, String etag, String sha256,
                         String contentType, String lastModified,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String fileVersion,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String checkedAt) {
        /** A source without the store's time: every store that gives an ETag, and the filesystem. */
        public Source(String uri, String container, String key, Long size, String etag, String sha256,
                      String contentType, String lastModified, String fileVersion) {
            this(uri, container, key, size, etag, sha256, contentType, lastModified, fileVersion, null);
        }

        /** A source without a file version (S3, or a file system that gives none). */
        public Source(String uri, String container, String key, Long size, String etag, String sha256,
                      String contentType, String lastModified) {
            this(uri, container, key, size, etag, sha256, contentType, lastModified, null);
        }
    }

    public record Pack(String id, String version) {
    }

    /** @param description what classifier ran (or why none did) */
    public record Classifier(boolean present, String description, List<String> classes) {
    }

    /**
     * One encoder of the pack and what it did here.
     *
     * @param provider     the execution provider that really ran it ({@code cpu}, {@code cuda}, {@code java})
     * @param providerNote why that provider (e.g. why CUDA was not used); empty when it is what was asked for
     * @param ms           how long it took; null when it did not run
     * @param note         how it read its input when worth recording, e.g. a long text in windows (schema 2.2); absent
     *                     otherwise
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Encoder(String id, String modality, String kind, int dim, String precision, String provider,
                          String providerNote, Map<String, String> sha256, boolean present, String missingReason,
                          Double ms, @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
        public Encoder(String id, String modality, String kind, int dim, String precision, String provider,
                       String providerNote, Map<String, String> sha256, boolean present, String missingReason, Double ms) {
            this(id, modality, kind, dim, precision, provider, providerNote, sha256, present, missingReason, ms, null);
        }
    }

    /**
     * @param kind    machine-readable: a media error kind ({@code corrupt}, {@code limit_exceeded}, ...),
     *                {@code no_usable_modality}, {@code internal}
     * @param message what went wrong and what to do about it
     */
    public record Error(String kind, String message) {
        public static final String NO_USABLE_MODALITY = "no_usable_modality", INTERNAL = "internal";
    }

    /**
     * The transcript the text encoders read (schema 2.1). Absent when there was none: {@code modalities.text.reason}
     * says why.
     *
     * @param source  {@code inline}, {@code sidecar} or {@code recognised}
     * @param origin  {@code inline}, the sidecar's file name, or the recogniser
     * @param cues    timed cues it had (segments of a timeline come from them)
     * @param words   word timings it had
     * @param note    what was left out to keep it bounded ({@code moodtag.transcript.*}) and, in a timeline, the cues
     *                whose words no segment took (after the last, or past the recording's end); null when nothing was
     * @param recogniser  the engine and model of a recognised transcript; absent for one someone provided
     * @param wordTimings each word with its times and confidence, where the source had them; absent otherwise
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"source", "origin", "cues", "words", "note", "recogniser", "wordTimings"})
    public record TranscriptUsed(String source, String origin, int cues, int words, String note,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) dev.moodtag.media.Transcript.Recogniser recogniser,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) List<TimedWord> wordTimings) {
        public TranscriptUsed(String source, String origin, int cues, int words, String note) {
            this(source, origin, cues, words, note, null, null);
        }

        public static TranscriptUsed of(dev.moodtag.media.Transcript t) {
            return t == null ? null : new TranscriptUsed(t.source().id(), t.origin(), t.segments().size(), t.words().size(),
                    t.note(), t.recogniser(), t.words().isEmpty() ? null : t.words().stream().map(TimedWord::of).toList());
        }
    }

    /**
     * One word of the transcript (schema 2.1, additive).
     *
     * @param start      seconds from the start of the recording; null where the source did not time it
     * @param confidence 0..1 as the source reported it; null where unknown
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TimedWord(String word, Double start, Double end, Double confidence) {
        static TimedWord of(dev.moodtag.media.Transcript.Word w) {
            return new TimedWord(w.text(), known(w.startSeconds()), known(w.endSeconds()), known(w.confidence()));
        }

        /** JSON has no NaN: an unknown figure is null. */
        private static Double known(double v) {
            return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
        }
    }

    /**
     * @param segmentation how segments were found: {@code vad}, {@code fixed} or {@code transcript}
     * @param durationSeconds the length of the recording as decoded
     * @param speechStandardisation schema 2.3: how the segments' speech was read when the classifier has parts trained
     *                        on speech standardised per speaker; absent when it has none
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"segmentation", "durationSeconds", "segments", "speechStandardisation"})
    public record Timeline(String segmentation, double durationSeconds, List<Segment> segments,
                           @JsonInclude(JsonInclude.Include.NON_NULL) SpeechStandardisation speechStandardisation) {
        public Timeline(String segmentation, double durationSeconds, List<Segment> segments) {
            this(segmentation, durationSeconds, segments, null);
        }
    }

    /**
     * Schema 2.3: whether a timeline's segments were labelled with their speech standardised over the recording;
     * schema 2.5: at the top level of a single utterance's result, whether it was labelled with its speech
     * standardised over its batch.
     *
     * @param over                   {@code recording} (or {@code batch}) or {@code utterance}
     * @param segments               segments (a batch's clips) with the standardised blocks
     * @param firstPassDominant      the most frequent per-utterance label among them; null when none had one
     * @param firstPassDominantShare its share of them
     * @param reason                 why per-utterance labels were kept; null when standardised over the recording
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SpeechStandardisation(String over, int segments, String firstPassDominant, double firstPassDominantShare,
                                        String reason,
                                        @JsonInclude(JsonInclude.Include.NON_NULL) SelfTrained selfTrained) {
        public static final String RECORDING = "recording", BATCH = "batch", UTTERANCE = "utterance";

        public SpeechStandardisation(String over, int segments, String firstPassDominant, double firstPassDominantShare,
                                     String reason) {
            this(over, segments, firstPassDominant, firstPassDominantShare, reason, null);
        }

        /** The same verdict, saying the batch's label came from a part trained again over it (schema 2.6). */
        public SpeechStandardisation selfTrained(SelfTrained st) {
            return new SpeechStandardisation(over, segments, firstPassDominant, firstPassDominantShare, reason, st);
        }

        public static SpeechStandardisation of(dev.moodtag.label.RecordingGuard.Verdict v) {
            return of(v, RECORDING);
        }

        /** @param over what the speech was standardised over when the guard allowed it */
        public static SpeechStandardisation of(dev.moodtag.label.RecordingGuard.Verdict v, String over) {
            return new SpeechStandardisation(v.standardised() ? over : UTTERANCE, v.segments(), v.dominant(),
                    Math.round(v.dominantShare() * 1000) / 1000.0, v.reason());
        }
    }

    /**
     * Schema 2.6: a batch's clips were labelled by the recording part trained again with some of the batch's own clips
     * added under their second-pass labels ({@code moodtag tag --self-train}).
     *
     * @param clipsAdded clips of the batch added to the part's training rows
     * @param perClass   of those, per predicted class (the same number for each)
     * @param share      q of the rule: at most round(q × clips / classes) per class
     */
    public record SelfTrained(int clipsAdded, int perClass, double share) {
    }

    /**
     * One segment of a long recording.
     *
     * @param status        {@code labelled}, {@code unlabelled} (no classifier, or nothing it could score) or
     *                      {@code error} (no encoder could use the segment)
     * @param probabilities null without a label
     * @param modalities    the modalities present in this segment ({@code text}, {@code speech}, {@code video})
     * @param transcript    the text this segment's text encoders read (schema 2.2); absent when it had none
     * @param textMissing   schema 2.4: why this segment has no text, when the reason is its own (the gate refused its
     *                      recognised words, nothing was recognised in its audio, no cue covers it, its cue's text
     *                      went with the cue's first piece); absent when it has text, and when the recording has no
     *                      text source at all, which {@code modalities.text.reason} says once instead of in each of
     *                      hundreds of segments
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"start", "end", "status", "label", "probabilities", "modalities", "transcript", "textMissing"})
    public record Segment(double start, double end, String status, String label, Map<String, Double> probabilities,
                          List<String> modalities, @JsonInclude(JsonInclude.Include.NON_NULL) SegmentTranscript transcript,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String textMissing) {
        public Segment(double start, double end, String status, String label, Map<String, Double> probabilities,
                       List<String> modalities) {
            this(start, end, status, label, probabilities, modalities, null, null);
        }

        public Segment(double start, double end, String status, String label, Map<String, Double> probabilities,
                       List<String> modalities, SegmentTranscript transcript) {
            this(start, end, status, label, probabilities, modalities, transcript, null);
        }
    }

    /**
     * One timeline segment's text (schema 2.2): a recording without a transcript is recognised segment by segment, so
     * each segment carries its own words, their times and confidences.
     *
     * @param source         {@code inline}, {@code sidecar} or {@code recognised}
     * @param meanConfidence the mean word confidence the gate accepted, for recognised text; absent otherwise
     * @param words          the words with times and confidences where the source had them; absent otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"source", "text", "meanConfidence", "words"})
    public record SegmentTranscript(String source, String text, Double meanConfidence, List<TimedWord> words) {
        public static SegmentTranscript of(dev.moodtag.media.Transcript t) {
            return t == null ? null : new SegmentTranscript(t.source().id(), t.text(),
                    t.recogniser() == null ? null : TimedWord.known(t.recogniser().meanConfidence()),
                    t.words().isEmpty() ? null : t.words().stream().map(TimedWord::of).toList());
        }
    }

    /**
     * @param shareOfTime label → fraction of the labelled time (sums to 1 when anything was labelled)
     * @param dominant    the label with the largest share; null when no segment was labelled
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Summary(double durationSeconds, double segmentedSeconds, int segments, int labelledSegments,
                          Map<String, Double> shareOfTime, String dominant) {
    }
}
