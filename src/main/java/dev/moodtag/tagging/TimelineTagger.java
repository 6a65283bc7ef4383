package dev.moodtag.tagging;

import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.label.RecordingGuard;
import dev.moodtag.label.RecordingRelabeller;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.media.DecodeBounds;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.Modality;
import dev.moodtag.media.StreamInfo;
import dev.moodtag.media.TimeBudget;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptConfig;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptRequest;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.media.TranscriptSource;
import dev.moodtag.support.SettingOutOfRange;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tags a long recording as a timeline: the file streams through a {@link SegmentingSink}, and every segment is
 * encoded and classified as soon as it is complete, on the decoding thread, so only one segment's media is alive at a
 * time and only the per-segment results are kept. The function and {@code moodtag tag} both come here through
 * {@link Recognizer}. When the classifier has parts trained on speech standardised per speaker, each segment's
 * classifier input (not its media) is also kept, and a second pass at the end labels the segments again with their
 * speech standardised over the recording, if the {@link RecordingGuard} allows it.
 */
@Singleton
public class TimelineTagger {

    private static final Logger LOG = Logger.getLogger(TimelineTagger.class);

    private final MediaDecoder decoder;
    private final EmbeddingEngine engine;
    private final Labeller labeller;
    private final TimelineConfig config;
    private final TimeBudgetConfig budget;
    private final TranscriptChain transcripts;
    private final TranscriptLimits transcriptLimits;
    private final RecordingGuard guard;

    public TimelineTagger(MediaDecoder decoder, EmbeddingEngine engine, Labeller labeller, TimelineConfig config,
                          TimeBudgetConfig budget, TranscriptChain transcripts, TranscriptConfig transcriptConfig) {
        this.decoder = decoder;
        this.engine = engine;
        this.labeller = labeller;
        this.config = config;
        this.budget = budget;
        this.transcripts = transcripts;
        this.transcriptLimits = TranscriptLimits.of(transcriptConfig);
        this.guard = guardOf(config);
        checkSettings(config, budget);
    }

    /** The longest time budget a setting may give: more would overflow the nanosecond arithmetic of a deadline. */
    static final Duration MAX_BUDGET = Duration.ofDays(365);

    /**
     * Settings that would hang a recording, drop all its segments or fail every object, refused at start-up naming
     * the key, where they were accepted and failed (or never ended) per object: a max-segment-seconds of 0 cut speech
     * into pieces for ever, a zero budget failed every object as limit_exceeded, a budget of P200000D overflowed.
     */
    static void checkSettings(TimelineConfig t, TimeBudgetConfig budget) {
        List<String> wrong = new ArrayList<>();
        // A negative one failed every object in its decode bounds, one past a long's milliseconds in its arithmetic.
        if (t.segmentAbove().isNegative() || t.segmentAbove().compareTo(MAX_BUDGET) > 0)
            wrong.add("segment-above must be at least PT0S and at most " + MAX_BUDGET + ", not " + t.segmentAbove());
        // An unknown method failed only once a recording was long enough for a timeline.
        if (!SegmentingSink.METHODS.contains(t.segmentation().toLowerCase(Locale.ROOT)))
            wrong.add("segmentation must be one of " + String.join(", ", SegmentingSink.METHODS) + ", not " + t.segmentation());
        if (!(t.windowSeconds() > 0 && t.windowSeconds() < 1e6)) wrong.add("window-seconds must be in (0, 1e6), not " + t.windowSeconds());
        if (!(t.overlapSeconds() >= 0 && t.overlapSeconds() < t.windowSeconds()))
            wrong.add("overlap-seconds must be at least 0 and less than window-seconds (" + t.windowSeconds() + "), not " + t.overlapSeconds());
        if (!(t.minSegmentSeconds() >= 0)) wrong.add("min-segment-seconds must be at least 0, not " + t.minSegmentSeconds());
        if (!(t.maxSegmentSeconds() > t.minSegmentSeconds() && t.maxSegmentSeconds() < 1e6))
            wrong.add("max-segment-seconds must be more than min-segment-seconds (" + t.minSegmentSeconds() + "), not " + t.maxSegmentSeconds());
        if (!(t.mergeGapSeconds() >= 0 && Double.isFinite(t.mergeGapSeconds())))
            wrong.add("merge-gap-seconds must be at least 0, not " + t.mergeGapSeconds());
        if (!(t.vadBlockSeconds() > 0 && t.vadBlockSeconds() <= 3600)) wrong.add("vad-block-seconds must be in (0, 3600], not " + t.vadBlockSeconds());
        if (!(t.videoFps() > 0 && t.videoFps() <= 1000)) wrong.add("video-fps must be in (0, 1000], not " + t.videoFps());
        List<String> all = new ArrayList<>(wrong.stream().map(w -> "moodtag.timeline." + w).toList());
        if (budget.base().isNegative() || budget.base().isZero() || budget.base().compareTo(MAX_BUDGET) > 0)
            all.add("moodtag.budget.base must be positive and at most " + MAX_BUDGET + " (there is no unlimited), not " + budget.base());
        if (!(budget.perMediaSecond() >= 0 && budget.perMediaSecond() <= 1e4))
            all.add("moodtag.budget.per-media-second must be in [0, 1e4], not " + budget.perMediaSecond());
        if (!(budget.starvedCap() >= 1 && budget.starvedCap() <= TimeBudget.Overrun.MAX_STARVED_CAP))
            all.add("moodtag.budget.starved-cap must be in [1, " + TimeBudget.Overrun.MAX_STARVED_CAP + "], not " + budget.starvedCap());
        if (!all.isEmpty()) throw new SettingOutOfRange(String.join("; ", all));
    }

    /**
     * Refuses, once the pack is loaded, a segmentation it cannot do, by the rule each recording is segmented by:
     * {@code vad} with a pack that has no vad entry was taken at start and then failed every recording long enough for
     * a timeline, an error result each.
     */
    void checkPack() {
        try {
            SegmentingSink.choose(config.segmentation(), false, true, engine.vad().isPresent());
        } catch (IllegalArgumentException e) {
            throw new SettingOutOfRange(e.getMessage() + " (model pack " + engine.pack().id() + " " + engine.pack().version()
                    + "): use auto, fixed or transcript, or a pack with a vad entry", e);
        }
    }

    /** The second pass's guard from configuration, refused at start-up (not at a recording's end) when out of range. */
    static RecordingGuard guardOf(TimelineConfig config) {
        return RecordingGuard.ofSettings("moodtag.timeline.recording-min-segments", config.recordingMinSegments(),
                "moodtag.timeline.recording-max-dominant-share", config.recordingMaxDominantShare());
    }

    /** The bounds on transcripts, which also bound the sidecar copied from storage beside the media. */
    public TranscriptLimits transcriptLimits() {
        return transcriptLimits;
    }

    /**
     * How far a recording that {@link #wants} no timeline may be decoded as one utterance, and its time budget from
     * now. The container's declared length only chooses where to start: the utterance is refused with
     * {@link dev.moodtag.media.LongerThanUtterance} as soon as the decoded audio or video runs more than
     * {@link #UTTERANCE_SLACK_SECONDS} past {@code segment-above}, and then gets a timeline after all. The slack is
     * there because declared lengths are often a little short of the decoded ones (a last audio packet's padding).
     */
    public DecodeBounds boundsFor(StreamInfo info) {
        return new DecodeBounds(config.segmentAbove().toMillis() / 1000.0 + UTTERANCE_SLACK_SECONDS, newBudget());
    }

    /** An object's time budget, counted from now. */
    public TimeBudget newBudget() {
        return TimeBudget.start(budget.base(), budget.perMediaSecond(), budget.starvedCap());
    }

    static final double UTTERANCE_SLACK_SECONDS = 1.0;

    /** Whether a recording of this declared length gets a timeline rather than one label. */
    public boolean wants(StreamInfo info) {
        return !info.stillImage() && info.declaredSeconds() > config.segmentAbove().toMillis() / 1000.0;
    }

    /** What tagging one long recording produced: per-segment results and their aggregate. */
    public record Tagged(EmotionResult.Timeline timeline, EmotionResult.Summary summary, Labelling whole,
                         Map<Modality, Integer> segmentsWith, Map<Modality, String> lastMissing,
                         Map<String, EncoderTotals> encoders, double encodeMs, double classifyMs,
                         TranscriptResolution transcript) {
    }

    /** One encoder over all segments. */
    public record EncoderTotals(int present, double ms, String lastMissing) {
    }

    /**
     * The transcript comes from the same {@link TranscriptSource} chain as a single utterance's (a sidecar beside the
     * media); its cue timestamps segment the recording when it has any. An unusable sidecar leaves the text missing
     * in every segment, with its reason; speech and video are still tagged.
     *
     * @throws dev.moodtag.media.MediaException when the file cannot be decoded (possibly after some segments)
     */
    public Tagged tag(Path media, StreamInfo info, String source) {
        return tag(media, info, source, TimeBudget.UNLIMITED);
    }

    /** {@link #tag(Path, StreamInfo, String)}, stopped once {@code time} is spent. */
    public Tagged tag(Path media, StreamInfo info, String source, TimeBudget time) {
        TranscriptResolution text = transcripts.resolve(TranscriptRequest.beside(media));
        SegmentingSink.Method method = SegmentingSink.choose(config.segmentation(), SegmentingSink.hasCueWithLength(text),
                info.hasAudio(), engine.vad().isPresent());
        Accumulator acc = new Accumulator();
        HeardTranscripts heard = transcripts.listenFor(text);
        // The budget before each segment, not only before each packet: one packet may complete any number of segments
        // (20,000 cues over the same second of a 3.3 s film were all encoded, 6 minutes of CPU time on a 62 s budget)
        SegmentingSink sink = new SegmentingSink(source, config, method, engine.vad(), text,
                heard, transcriptLimits, s -> {
                    time.check(source, s.startSeconds());
                    acc.add(s);
                });
        try (sink) {
            decoder.stream(media, sink, time);
        }
        // What decoded, not what the container declares (which may be 1 s for 9 minutes, or 10 minutes for 2 s).
        double decoded = sink.decodedSeconds();
        double duration = Math.max(decoded > 0 ? decoded : info.declaredSeconds(), acc.lastEnd);
        LOG.infof("%s: %d segments by %s over %.0f s (held at most %.1f s of audio, %d frames)", source,
                acc.pending.size(), method.id(), duration, sink.peakBufferedSeconds(), sink.peakBufferedFrames());
        String unplaced = sink.cuesInNoSegment();
        TranscriptResolution used = unplaced == null ? text : TranscriptResolution.of(text.transcript().noting(unplaced));
        return acc.finish(method, duration, used, sink.whyNoSegment(), heard);
    }

    /**
     * A segment as the first pass left it; labelled again by the second pass when the recording allows. Its times, not
     * the segment: the segment holds its utterance's audio and decoded frames, and every one of them kept until the
     * recording ends made memory grow with the recording's length (a 640×360 hour: about 2.5 GB of frames).
     *
     * @param heard    what the recogniser made of its audio when it heard words, kept or refused by the gate; null
     *                 otherwise
     * @param withText its embeddings when it was labelled with recognised text (a few kB, no media), so that it can be
     *                 labelled again without that text if the recording's text is refused as a whole; null otherwise
     */
    record Pending(double startSeconds, double endSeconds, List<String> present, Labelling labelling, float[][] sample,
                   EmotionResult.SegmentTranscript transcript, String textMissing, TranscriptResolution heard,
                   UtteranceEmbeddings withText) {
    }

    private final class Accumulator {
        final List<Pending> pending = new ArrayList<>();
        final Map<Modality, Integer> segmentsWith = new EnumMap<>(Modality.class);
        final Map<Modality, String> lastMissing = new EnumMap<>(Modality.class);
        final Map<String, EncoderTotals> encoders = new LinkedHashMap<>();
        final Optional<Labeller.OverRecording> over = config.speechOverRecording() == TimelineConfig.SpeechOverRecording.OFF
                ? Optional.empty() : labeller.overRecording();
        double segmentedSeconds, encodeMs, classifyMs, lastEnd;
        /** Without a text encoder no segment could have text, which the recording's text reason says once. */
        final boolean readsText = engine.encoders().stream().anyMatch(i -> i.modality() == Modality.TEXT);

        void add(SegmentingSink.Segment s) {
            UtteranceEmbeddings e = engine.embed(s.utterance());
            encodeMs += e.millis();
            for (EncoderResult r : e.results()) {
                EncoderTotals t = encoders.getOrDefault(r.encoder().id(), new EncoderTotals(0, 0, null));
                encoders.put(r.encoder().id(), new EncoderTotals(t.present() + (r.present() ? 1 : 0), t.ms() + r.millis(),
                        r.present() ? t.lastMissing() : r.missingReason()));
            }
            List<String> present = new ArrayList<>();
            for (Modality m : Modality.values()) {
                if (e.hasModality(m)) {
                    present.add(m.name().toLowerCase(Locale.ROOT));
                    segmentsWith.merge(m, 1, Integer::sum);
                } else {
                    s.utterance().whyMissing(m).or(() -> firstMissing(e, m)).ifPresent(why -> lastMissing.put(m, why));
                }
            }
            segmentedSeconds += s.endSeconds() - s.startSeconds();
            lastEnd = Math.max(lastEnd, s.endSeconds());
            Labelling l = null;
            if (!present.isEmpty()) {
                long c0 = System.nanoTime();
                l = labeller.label(e);
                classifyMs += (System.nanoTime() - c0) / 1e6;
            }
            // Only the classifier's input stays until the recording ends (a few kB a segment), not the media.
            float[][] sample = l != null && l.label() != null && over.isPresent() ? over.get().sample(e) : null;
            boolean hasText = e.hasModality(Modality.TEXT);
            TranscriptResolution heard = s.heard() != null && s.heard().heardWords() > 0 ? s.heard() : null;
            pending.add(new Pending(s.startSeconds(), s.endSeconds(), present, l, sample,
                    hasText ? EmotionResult.SegmentTranscript.of(s.utterance().transcript()) : null,
                    hasText ? null : textMissing(s, e), heard, hasText && heard != null ? e : null));
        }

        /**
         * Refuses the recognised text of every segment that had any, once the recognition link refused the recording's
         * text as a whole: each such segment says why, and one that was labelled with its text is labelled again
         * without it, before the second pass, so that no refused text votes (its label is then the one it would have
         * had with no recogniser).
         */
        void refuseRecognisedText(String why) {
            if (!readsText) return;
            int read = 0;
            for (int i = 0; i < pending.size(); i++) {
                Pending p = pending.get(i);
                if (p.heard() == null) continue;
                Labelling l = p.labelling();
                float[][] sample = p.sample();
                List<String> present = p.present();
                if (p.withText() != null) {
                    read++;
                    UtteranceEmbeddings e = withoutText(p.withText(), why);
                    present = present.stream().filter(m -> !m.equals(TEXT)).toList();
                    l = null;
                    if (!present.isEmpty()) {
                        long c0 = System.nanoTime();
                        l = labeller.label(e);
                        classifyMs += (System.nanoTime() - c0) / 1e6;
                    }
                    sample = l != null && l.label() != null && over.isPresent() ? over.get().sample(e) : null;
                }
                pending.set(i, new Pending(p.startSeconds(), p.endSeconds(), present, l, sample, null, why, p.heard(), null));
            }
            if (read > 0) {
                segmentsWith.merge(Modality.TEXT, -read, Integer::sum);
                for (EncoderInfo i : engine.encoders()) {
                    EncoderTotals t = encoders.get(i.id());
                    if (i.modality() == Modality.TEXT && t != null)
                        encoders.put(i.id(), new EncoderTotals(Math.max(0, t.present() - read), t.ms(),
                                t.present() - read > 0 ? t.lastMissing() : why));
                }
            }
            lastMissing.put(Modality.TEXT, why);
        }

        /**
         * The segment's own reason for having no text: the sink's (gate, recognition, cues), or, for a segment that had
         * text, why the text encoder could not read it. Null where the reason is the recording's.
         */
        String textMissing(SegmentingSink.Segment s, UtteranceEmbeddings e) {
            if (!readsText) return null;
            if (s.textMissing() != null) return s.textMissing();
            return s.utterance().transcript() == null ? null : firstMissing(e, Modality.TEXT).orElse(null);
        }

        /** The second pass over the segments the first pass labelled, when the classifier can read a recording. */
        EmotionResult.SpeechStandardisation relabel() {
            if (over.isEmpty()) return null;
            List<Integer> labelled = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) if (pending.get(i).sample() != null) labelled.add(i);
            long c0 = System.nanoTime();
            RecordingRelabeller.Outcome o = RecordingRelabeller.relabel(over.get(),
                    guard, labeller.classes(),
                    labelled.stream().map(i -> pending.get(i).sample()).toList(),
                    labelled.stream().map(i -> pending.get(i).labelling()).toList());
            for (int k = 0; k < labelled.size(); k++) {
                Pending p = pending.get(labelled.get(k));
                pending.set(labelled.get(k), new Pending(p.startSeconds(), p.endSeconds(), p.present(), o.labellings().get(k),
                        p.sample(), p.transcript(), p.textMissing(), p.heard(), p.withText()));
            }
            classifyMs += (System.nanoTime() - c0) / 1e6;
            return EmotionResult.SpeechStandardisation.of(o.verdict());
        }

        /**
         * @param whyNoSegment the sink's reason, said when the recording gave no segment
         * @param heard        the recognition link that heard the segments, which judges their text as a whole
         */
        Tagged finish(SegmentingSink.Method method, double duration, TranscriptResolution text, String whyNoSegment,
                      HeardTranscripts heard) {
            heard.refuseRecording(pending.stream().map(Pending::heard).filter(Objects::nonNull).toList())
                    .ifPresent(this::refuseRecognisedText);
            EmotionResult.SpeechStandardisation speech = relabel();
            List<EmotionResult.Segment> segments = new ArrayList<>();
            Map<String, Double> weightedProbabilities = new TreeMap<>();
            Map<String, Double> labelledSeconds = new TreeMap<>();
            double probabilitySeconds = 0;
            for (Pending p : pending) {
                Labelling l = p.labelling();
                double seconds = p.endSeconds() - p.startSeconds();
                String status = l == null ? EmotionResult.ERROR
                        : l.label() != null ? EmotionResult.LABELLED : EmotionResult.UNLABELLED;
                if (l != null && l.label() != null) {
                    labelledSeconds.merge(l.label(), seconds, Double::sum);
                    probabilitySeconds += seconds;
                    l.probabilities().forEach((k, v) -> weightedProbabilities.merge(k, v * seconds, Double::sum));
                }
                segments.add(new EmotionResult.Segment(round(p.startSeconds()), round(p.endSeconds()), status,
                        l == null ? null : l.label(),
                        l == null || l.probabilities().isEmpty() ? null : new TreeMap<>(l.probabilities()), p.present(),
                        p.transcript(), p.textMissing()));
            }
            double labelled = labelledSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Double> shares = new LinkedHashMap<>();
            labelledSeconds.forEach((k, v) -> shares.put(k, round(v / labelled)));
            String dominant = labelledSeconds.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey).orElse(null);
            Labelling whole;
            if (dominant != null) {
                Map<String, Double> mean = new TreeMap<>();
                double ps = probabilitySeconds;
                weightedProbabilities.forEach((k, v) -> mean.put(k, round(v / ps)));
                whole = new Labelling(dominant, mean, Map.of(), null);
            } else {
                whole = Labelling.none(segments.isEmpty()
                        ? "no segment to classify: " + whyNoSegment
                        : labeller.present() ? "no segment could be labelled" : labeller.description());
            }
            int labelledSegments = (int) segments.stream().filter(s -> s.label() != null).count();
            return new Tagged(new EmotionResult.Timeline(method.id(), round(duration), List.copyOf(segments), speech),
                    new EmotionResult.Summary(round(duration), round(segmentedSeconds), segments.size(), labelledSegments,
                            shares, dominant),
                    whole, segmentsWith, lastMissing, encoders, encodeMs, classifyMs, text);
        }
    }

    private static final String TEXT = Modality.TEXT.name().toLowerCase(Locale.ROOT);

    /** The same embeddings with every text encoder's vector taken away, {@code why} as its reason. */
    static UtteranceEmbeddings withoutText(UtteranceEmbeddings e, String why) {
        return new UtteranceEmbeddings(e.source(), e.results().stream()
                .map(r -> r.modality() == Modality.TEXT && r.present() ? new EncoderResult(r.encoder(), null, why, r.millis()) : r)
                .toList(), e.millis());
    }

    private static Optional<String> firstMissing(UtteranceEmbeddings e, Modality m) {
        return e.results().stream().filter(r -> r.modality() == m && !r.present()).map(EncoderResult::missingReason).findFirst();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
