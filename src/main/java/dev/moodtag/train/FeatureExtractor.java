package dev.moodtag.train;

import dev.moodtag.support.Sha256;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.fuse.EncoderFingerprint;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptRequest;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.media.TranscriptSource;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoTrack;
import dev.moodtag.support.ConsoleProgress;
import dev.moodtag.support.NotARegularFile;
import dev.moodtag.support.ParallelWork;
import dev.moodtag.support.Stopped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs every encoder of the model pack over a manifest's rows, in parallel, with a progress bar (rows done of total,
 * rate, ETA, cache hits), through the {@link FeatureCache}: a row whose blocks are all cached is not decoded or
 * encoded again, and each row's blocks are written to the cache as soon as they are computed, so an interrupted run
 * resumes from the rows it finished.
 */
public final class FeatureExtractor {

    private static final Logger LOG = Logger.getLogger(FeatureExtractor.class);
    private static final ParallelWork WORKERS = new ParallelWork("moodtag-extract", "feature extraction interrupted",
            "feature extraction failed");

    private final EmbeddingEngine engine;
    private final MediaDecoder decoder;
    private final FeatureCache cache;
    private final int threads;
    private final FeatureLayout layout;
    private final TranscriptSource transcripts;
    private final String recognition;

    /** With the default transcript bounds. */
    public FeatureExtractor(EmbeddingEngine engine, MediaDecoder decoder, FeatureCache cache, int threads) {
        this(engine, decoder, cache, threads, TranscriptChain.standard(TranscriptLimits.DEFAULTS));
    }

    /**
     * @param decoder     null where this build has no decoder; rows with media then fail with a clear message
     * @param transcripts the chain serving uses, so that training reads transcripts as serving does
     */
    public FeatureExtractor(EmbeddingEngine engine, MediaDecoder decoder, FeatureCache cache, int threads,
                            TranscriptSource transcripts) {
        this(engine, decoder, cache, threads, transcripts, "");
    }

    /**
     * @param recognition the {@link TranscriptChain#recognition() identity} of the recogniser the decoder's chain ends
     *                    with, empty when it recognises nothing: part of the cache key of every row without text
     */
    public FeatureExtractor(EmbeddingEngine engine, MediaDecoder decoder, FeatureCache cache, int threads,
                            TranscriptSource transcripts, String recognition) {
        this.transcripts = transcripts;
        this.recognition = recognition;
        this.engine = engine;
        this.decoder = decoder;
        this.cache = cache;
        this.threads = Math.max(1, threads);
        List<FeatureBlock> blocks = new ArrayList<>();
        for (EncoderInfo i : engine.encoders()) {
            String fp = engine.pack().encoder(i.id()).map(spec -> EncoderFingerprint.of(engine.pack(), spec))
                    .orElseThrow(() -> new IllegalStateException("encoder " + i.id() + " is not in the pack"));
            blocks.add(new FeatureBlock(i.id(), i.modality(), i.dim(), fp));
        }
        this.layout = new FeatureLayout(blocks);
    }

    /** The blocks this extractor produces: one per encoder of the pack, in pack order. */
    public FeatureLayout layout() {
        return layout;
    }

    /**
     * @param vectors  row id → one vector per block of {@link #layout()} (null where missing)
     * @param computed rows that were decoded and encoded now
     * @param cached   rows served entirely from the cache
     * @param failed   row id → why it could not be used (undecodable media, ...)
     */
    /**
     * @param failed row id → why encoding it failed (an exception)
     * @param empty  row id → why it has no vector at all although encoding ran: each encoder's own reason ("no face
     *               in any frame"), which the report lists beside the row
     */
    public record Result(Map<String, float[][]> vectors, int computed, int cached, Map<String, String> failed,
                         Map<String, String> empty) {
        public Result(Map<String, float[][]> vectors, int computed, int cached, Map<String, String> failed) {
            this(vectors, computed, cached, failed, Map.of());
        }

        /** Why each row without features has none: the exception, else the encoders' reasons. */
        public Map<String, String> whyWithoutFeatures() {
            Map<String, String> all = new java.util.HashMap<>(empty);
            all.putAll(failed);
            return Map.copyOf(all);
        }
    }

    public Result extract(List<ManifestRow> rows) {
        return extract(rows, () -> false);
    }

    /**
     * @param stop asked before each row: once it says so, no other row starts, those under way finish (into the cache,
     *             so a rerun starts after them), and the extraction ends with {@link Stopped}
     */
    public Result extract(List<ManifestRow> rows, BooleanSupplier stop) {
        List<ManifestRow> todo = rows.stream().filter(ManifestRow::hasEncoderInput).toList();
        try (ConsoleProgress bar = ConsoleProgress.open("embed", todo.size(), "rows")) {
            return extract(todo, bar, stop);
        }
    }

    /** Encodes the rows (each must have encoder input), stepping {@code bar} once per row. */
    private Result extract(List<ManifestRow> rows, ConsoleProgress bar, BooleanSupplier stop) {
        Map<String, float[][]> out = new ConcurrentHashMap<>();
        Map<String, String> failed = new ConcurrentHashMap<>(), empty = new ConcurrentHashMap<>();
        AtomicInteger computed = new AtomicInteger(), cachedRows = new AtomicInteger();
        WORKERS.each(rows, threads, (index, row) -> {
            if (stop.getAsBoolean()) return;
            try {
                String hash = contentHash(row);
                String[] why = new String[layout.size()];
                float[][] v = fromCache(hash, why);
                if (v != null) {
                    cachedRows.incrementAndGet();
                } else {
                    v = encode(row, hash, why);
                    computed.incrementAndGet();
                }
                out.put(row.id(), v);
                whyEmpty(v, why).ifPresent(w -> empty.put(row.id(), w));
            } catch (MediaException | UncheckedIOException | IllegalStateException e) {
                failed.put(row.id(), e.getMessage());
            } finally {
                // counted and stepped together: the last row to finish reads every other row's count
                synchronized (bar) {
                    bar.message(String.format(Locale.ROOT, "cache hits %,d, encoded %,d, failed %,d", cachedRows.get(),
                            computed.get(), failed.size()));
                    bar.step();
                }
            }
        });
        int done = computed.get() + cachedRows.get() + failed.size();
        if (done < rows.size()) {
            throw new Stopped(String.format(Locale.ROOT, "stopped during the feature extraction after %,d of %,d row(s) "
                    + "(%,d encoded now, %,d from the cache): the cache keeps them for the next run", done, rows.size(),
                    computed.get(), cachedRows.get()));
        }
        if (!failed.isEmpty()) LOG.warnf("%d row(s) could not be encoded, e.g. %s", failed.size(), failed.entrySet().iterator().next());
        return new Result(Map.copyOf(out), computed.get(), cachedRows.get(), Map.copyOf(failed), Map.copyOf(empty));
    }

    /** The encoders' reasons, block by block, when no block has a vector. */
    private Optional<String> whyEmpty(float[][] v, String[] why) {
        for (float[] x : v) if (x != null) return Optional.empty();
        List<String> parts = new ArrayList<>();
        for (int b = 0; b < v.length; b++)
            parts.add(layout.block(b).id() + ": " + (why[b] == null ? "no vector" : why[b]));
        return Optional.of(String.join("; ", parts));
    }

    /** The cached vectors (reasons for missing ones into {@code why}), or null when a block is not cached. */
    private float[][] fromCache(String hash, String[] why) {
        float[][] v = new float[layout.size()][];
        for (int b = 0; b < layout.size(); b++) {
            var e = cache.get(layout.block(b), hash);
            if (e.isEmpty()) return null;
            v[b] = e.get().vector();
            why[b] = e.get().missingReason();
        }
        return v;
    }

    private float[][] encode(ManifestRow row, String hash, String[] why) {
        UtteranceEmbeddings emb = engine.embed(utterance(row));
        float[][] v = new float[layout.size()][];
        for (int b = 0; b < layout.size(); b++) {
            FeatureBlock block = layout.block(b);
            EncoderResult r = emb.result(block.id()).orElseThrow();
            cache.put(block, hash, new FeatureCache.Entry(r.vector(), r.missingReason()));
            v[b] = r.vector();
            why[b] = r.missingReason();
        }
        return v;
    }

    /** Builds the utterance a row describes: one media file, or separate audio / video / image files, or text only. */
    Utterance utterance(ManifestRow row) {
        TranscriptResolution text = transcript(row);
        Transcript transcript = text.transcript();
        if (row.media().isEmpty()) {
            // Only text to encode: a transcript file that cannot be read leaves nothing, so the row fails with why.
            if (transcript == null) throw new IllegalStateException("row " + row.id() + ": " + text.whyMissing());
            Map<Modality, String> missing = new EnumMap<>(Modality.class);
            missing.put(Modality.SPEECH, "the manifest row has no audio");
            missing.put(Modality.VIDEO, "the manifest row has no video");
            return new Utterance(row.id(), null, null, transcript, missing);
        }
        if (decoder == null) {
            throw new IllegalStateException("row " + row.id() + " has media, but this build has no MediaDecoder");
        }
        Path media = row.media().get("media");
        if (media != null) return withText(decoder.decode(media, transcript), text);
        AudioTrack audio = null;
        VideoTrack video = null;
        Map<Modality, String> missing = new EnumMap<>(Modality.class);
        Path a = row.media().get("audio");
        Utterance heard = null;
        if (a != null) {
            Utterance decoded = decoder.decode(a, transcript);
            audio = decoded.audioTrack().orElse(null);
            if (!recognition.isEmpty() && TranscriptChain.foundNone(text)) heard = decoded;
        }
        Path vid = row.media().getOrDefault("video", row.media().get("image"));
        if (vid != null) video = decoder.decode(vid, transcript).videoTrack().orElse(null);
        if (audio == null) missing.put(Modality.SPEECH, a == null ? "the manifest row has no audio" : a.getFileName() + " has no audio stream");
        if (video == null) missing.put(Modality.VIDEO, vid == null ? "the manifest row has no video" : vid.getFileName() + " has no video frames");
        if (heard != null) transcript = heard.transcript();
        if (transcript == null) {
            missing.put(Modality.TEXT, heard == null ? text.whyMissing() : heard.whyMissing(Modality.TEXT).orElse(text.whyMissing()));
        }
        return new Utterance(row.id(), audio, video, transcript, missing);
    }

    /**
     * The row's transcript through the serving chain: inline text, else its {@code transcript_file} (parsed and
     * normalised like a sidecar: cue timings are not text), else a sidecar beside its media file.
     */
    private TranscriptResolution transcript(ManifestRow row) {
        Path media = row.media().getOrDefault("media", row.media().getOrDefault("audio",
                row.media().getOrDefault("video", row.media().get("image"))));
        return transcripts.resolve(new TranscriptRequest(media,
                row.inlineTranscript().map(Transcript::inline).orElse(null), row.transcriptFile()));
    }

    /**
     * The decoded utterance with the row's resolution of the text, whose reason the decoder could not know (a row's
     * own transcript file that could not be used). Where the row had no text at all, a recognising decoder's chain
     * had its turn: its transcript, or its gate's reason, is kept.
     */
    private Utterance withText(Utterance u, TranscriptResolution text) {
        if (text.transcript() != null) return u;
        if (!recognition.isEmpty() && TranscriptChain.foundNone(text)) return u;
        Map<Modality, String> missing = new EnumMap<>(Modality.class);
        missing.putAll(u.missing());
        missing.put(Modality.TEXT, text.whyMissing());
        return new Utterance(u.source(), u.audio(), u.video(), null, missing);
    }

    /**
     * sha256 over the bytes of every input file (by role), the decoder's frame sampling where a row has pictures or
     * films, and the transcript: what the encoders see.
     */
    String contentHash(ManifestRow row) {
        try {
            MessageDigest md = Sha256.digest();
            for (Map.Entry<String, Path> e : new TreeMap<>(row.media()).entrySet()) {
                md.update(("file:" + e.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
                // Opening a FIFO waits for a writer (forever: extraction hung) and a device never ends: the row fails
                if (Files.exists(e.getValue()) && !Files.isRegularFile(e.getValue()))
                    throw new MediaException(MediaException.Kind.NOT_FOUND, String.valueOf(e.getValue().getFileName()),
                            "the manifest's " + e.getKey() + " is " + NotARegularFile.words(e.getValue()));
                try (InputStream in = Files.newInputStream(e.getValue())) {
                    Sha256.update(md, in);
                }
            }
            // Which frames a picture or film gives is decided by the decoder's settings as much as by the bytes
            if (decoder != null && row.media().keySet().stream().anyMatch(role -> !role.equals("audio")))
                md.update(("frames:" + decoder.frameSampling() + "\n").getBytes(StandardCharsets.UTF_8));
            Transcript t = transcript(row).transcript();
            if (t != null) md.update(("transcript:" + t.text()).getBytes(StandardCharsets.UTF_8));
            // No text given: what the decoder's recogniser would hear in these bytes is decided by its identity
            else if (!recognition.isEmpty()) md.update(("recognised:" + recognition).getBytes(StandardCharsets.UTF_8));
            return Sha256.hex(md);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + row.id() + "'s inputs", e);
        }
    }
}
