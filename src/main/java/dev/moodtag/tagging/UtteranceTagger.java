package dev.moodtag.tagging;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.media.CpuAccount;
import dev.moodtag.media.DecodeBounds;
import dev.moodtag.media.LongerThanUtterance;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.StreamInfo;
import dev.moodtag.media.TimeBudget;
import dev.moodtag.media.Utterance;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.Map;

/**
 * Decode, embed, label one local media file: a failure of the media becomes a result with status {@code error}. A
 * long recording is streamed segment by segment into a timeline ({@link TimelineTagger}); anything else is decoded
 * as one utterance.
 */
@Singleton
public class UtteranceTagger {

    private final MediaDecoder decoder;
    private final EmbeddingEngine engine;
    private final Labeller labeller;
    private final TimelineTagger timelines;
    private final ResultAssembler results;
    private final FunctionMetrics metrics;

    public UtteranceTagger(MediaDecoder decoder, EmbeddingEngine engine, Labeller labeller, TimelineTagger timelines,
                           ResultAssembler results, FunctionMetrics metrics) {
        this.decoder = decoder;
        this.engine = engine;
        this.labeller = labeller;
        this.timelines = timelines;
        this.results = results;
        this.metrics = metrics;
    }

    /** Refuses settings the loaded pack cannot serve ({@link TimelineTagger#checkPack()}). */
    void checkPack() {
        timelines.checkPack();
    }

    /**
     * @param timings stage timings so far ({@code fetch}); decode, encode, classify and total are added
     * @param t0      when work on the object began, for the total
     */
    public EmotionResult tag(Path media, EmotionResult.Source source, String requestId, Map<String, Double> timings,
                             long t0) {
        return tag(media, source, requestId, timings, t0, Labelled.NONE);
    }

    /**
     * Told of a single utterance's embeddings and labelling once it is labelled (not of a timeline's segments, nor of
     * media that failed), on the tagging thread: what a batch's second pass keeps of a clip ({@code moodtag tag
     * --speech-over-batch}).
     */
    public interface Labelled {
        Labelled NONE = (embeddings, labelling) -> { };

        void utterance(UtteranceEmbeddings embeddings, Labelling labelling);
    }

    /** {@link #tag(Path, EmotionResult.Source, String, Map, long)}, telling {@code labelled} of a single utterance. */
    public EmotionResult tag(Path media, EmotionResult.Source source, String requestId, Map<String, Double> timings,
                             long t0, Labelled labelled) {
        long d0 = System.nanoTime();
        StreamInfo info;
        try {
            info = decoder.probe(media);
        } catch (MediaException e) {
            return mediaError(e, source, requestId, timings, t0, d0);
        }
        DecodeBounds bounds = timelines.boundsFor(info);
        // The object's CPU time, which tells a starved object from an expensive one, counts this thread's work and
        // the encoder tasks it hands on.
        try (CpuAccount.Scope charged = bounds.time().charge()) {
            return tag(media, info, bounds, source, requestId, timings, t0, d0, labelled);
        }
    }

    private EmotionResult tag(Path media, StreamInfo info, DecodeBounds bounds, EmotionResult.Source source,
                              String requestId, Map<String, Double> timings, long t0, long d0, Labelled labelled) {
        try {
            if (timelines.wants(info)) return timeline(media, info, source, requestId, timings, t0, d0, bounds.time());
        } catch (MediaException e) {
            return mediaError(e, source, requestId, timings, t0, d0);
        }
        double probeMs = Timings.ms(d0);
        Utterance utterance;
        UtteranceEmbeddings embeddings;
        try {
            EmbeddingEngine.Decoded done = engine.decodeAndEmbed(decoder, media, null, bounds);
            utterance = done.utterance();
            embeddings = done.embeddings();
            // The encoders worked while the file was decoded; "encode" is what was left after.
            timings.put("decode", Timings.round(probeMs + done.decodeMillis()));
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
            timings.put("total", Timings.ms(t0));
            return results.noUsableModality(source, utterance, embeddings, timings, requestId);
        }
        long c0 = System.nanoTime();
        Labelling labelling = labeller.label(embeddings);
        timings.put("classify", Timings.ms(c0));
        metrics.stage("classify", timings.get("classify"));
        if (labelling.label() != null) labelled.utterance(embeddings, labelling);
        timings.put("total", Timings.ms(t0));
        return results.utterance(labelling, source, utterance, embeddings, timings, requestId);
    }

    /** @throws TimeBudget.Starved as it came: the machine's load, not the media, which no result may record */
    private EmotionResult mediaError(MediaException e, EmotionResult.Source source, String requestId,
                                     Map<String, Double> timings, long t0, long d0) {
        if (e instanceof TimeBudget.Starved starved) throw starved;
        timings.put("decode", Timings.ms(d0));
        timings.put("total", Timings.ms(t0));
        return results.mediaError(e, source, timings, requestId);
    }

    /** A long recording: decoding and encoding interleave segment by segment, so they are timed together. */
    private EmotionResult timeline(Path media, StreamInfo info, EmotionResult.Source source, String requestId,
                                   Map<String, Double> timings, long t0, long d0, TimeBudget time) {
        TimelineTagger.Tagged t = timelines.tag(media, info, source.key(), time);
        double decodeAndEncode = Timings.ms(d0);
        timings.put("decode", Math.max(0, Timings.round(decodeAndEncode - t.encodeMs() - t.classifyMs())));
        timings.put("encode", Timings.round(t.encodeMs()));
        timings.put("classify", Timings.round(t.classifyMs()));
        timings.put("total", Timings.ms(t0));
        metrics.stage("decode", timings.get("decode"));
        metrics.stage("encode", timings.get("encode"));
        metrics.stage("classify", timings.get("classify"));
        return results.timeline(t, source, timings, requestId);
    }
}
