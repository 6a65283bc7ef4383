package dev.moodtag.encode;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.CpuAccount;
import dev.moodtag.media.DecodeBounds;
import dev.moodtag.media.DecodeListener;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.EncoderParameters;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.support.CloseOnFailure;
import dev.moodtag.support.Stopped;

/**
 * The encode stage: builds every encoder of the model pack once, then turns utterances into
 * {@link UtteranceEmbeddings}. An encoder that throws on one utterance fails that utterance, never the engine.
 */
@ApplicationScoped
public class EmbeddingEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddingEngine.class);

    private final ModelPack pack;
    private final List<Encoder> encoders;
    private final Optional<SpeechActivityDetector> vad;
    /** The same detector, through which each utterance's encoders share one pass ({@link UtteranceSpeechRegions}). */
    private final Optional<UtteranceScopedDetector> scopedVad;
    private final ExecutorService pool;
    /**
     * The pool, or the calling thread once the pool refuses tasks (closed): a task it refused would never run, and
     * whoever waits for its result would wait for ever. Run then, it finds the engine closed and ends at once.
     */
    private final Executor tasks;
    /**
     * How many of one utterance's tasks run at once while it is being decoded: one core fewer than the machine has,
     * so that the decoding thread keeps a core to itself. Decoding the video is the longest serial part of an
     * utterance; on 2 cores, letting the encoders share its core made the utterance slower (about 0.86× the time of
     * sharing, measured in one interleaved run), while several utterances decoded at once each get their own share.
     */
    private final int widthBesideDecoding = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    /** A film's video is decoded in at most two parts (see VideoTrack.partStarts). */
    private static final int PARTS = 2;
    /**
     * How long {@link #close} waits for encoder work under way before it frees the native sessions. One encoder call
     * takes well under a second; a session freed while ONNX Runtime runs it is a use after free that kills the process.
     */
    static final long CLOSE_WAIT_SECONDS = 10;
    /** Encoder work holds the read lock; {@link #close} takes the write lock before freeing what that work uses. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    @Inject
    public EmbeddingEngine(ModelPack pack, OnnxRuntime onnx, EncoderKinds kinds, EngineConfig config) {
        this(pack, onnx, kinds, config.parallelEncoders());
    }

    /**
     * For tools and tests that build the stage without CDI. Every entry's parameters are bound before any model is
     * loaded; if an encoder fails to build, those already built (and the detector) are closed before the failure
     * propagates.
     */
    public EmbeddingEngine(ModelPack pack, OnnxRuntime onnx, EncoderKinds kinds, boolean parallel) {
        this.pack = pack;
        EncoderParameters.check(pack, kinds);
        List<Encoder> built = new ArrayList<>();
        try (CloseOnFailure opened = new CloseOnFailure()) {
            this.scopedVad = pack.vad().map(spec ->
                    opened.add(new UtteranceScopedDetector(kinds.detector(spec).create(spec, new EncoderContext(onnx, Optional.empty())))));
            this.vad = scopedVad.map(SpeechActivityDetector.class::cast);
            EncoderContext context = new EncoderContext(onnx, vad);
            built.addAll(buildSideBySide(pack.encoders(), spec -> kinds.encoder(spec).create(spec, context), opened));
            opened.succeeded();
        }
        this.encoders = List.copyOf(built);
        this.pool = parallel && encoders.size() > 1 ? Executors.newFixedThreadPool(encoders.size(), r -> {
            Thread t = new Thread(r, "moodtag-encoder");
            t.setDaemon(true);
            return t;
        }) : null;
        // Each task's CPU time is charged to the object whose thread handed it on (its time budget's verdict).
        this.tasks = pool == null ? null : task -> {
            try {
                pool.execute(CpuAccount.charged(task));
            } catch (RejectedExecutionException refused) {
                task.run();
            }
        };
    }

    /**
     * Builds the encoders on a thread each and returns them in pack order, each added to {@code opened}. Creating
     * their sessions (and the text encoder's tokenizer) one after another was most of the engine's share of the
     * start-up; they share nothing but the ONNX Runtime environment, which is thread-safe. Every build is waited for,
     * so that none is left running or unreleased; the first failure in pack order is thrown.
     */
    private static List<Encoder> buildSideBySide(List<EncoderSpec> specs, Function<EncoderSpec, Encoder> create,
                                                 CloseOnFailure opened) {
        ExecutorService builders = Executors.newFixedThreadPool(Math.max(1, specs.size()), task -> {
            Thread t = new Thread(task, "moodtag-encoder-load");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Encoder>> building = specs.stream()
                    .map(spec -> CompletableFuture.supplyAsync(() -> built(spec, create), builders)).toList();
            List<Encoder> encoders = new ArrayList<>(specs.size());
            Throwable failure = null;
            for (CompletableFuture<Encoder> b : building) {
                try {
                    encoders.add(opened.add(b.join()));
                } catch (CompletionException e) {
                    if (failure == null) failure = e.getCause();
                    else failure.addSuppressed(e.getCause());
                }
            }
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error err) throw err;
            if (failure != null) throw new IllegalStateException(failure);
            return encoders;
        } finally {
            builders.shutdown();
        }
    }

    private static Encoder built(EncoderSpec spec, Function<EncoderSpec, Encoder> create) {
        long t0 = System.nanoTime();
        Encoder e = create.apply(spec);
        EncoderInfo i = e.info();
        LOG.infof("encoder %s (%s, %s, %d-d, %s) ready in %.0f ms on %s%s", i.id(), i.kind(), i.modality(),
                i.dim(), i.precision(), (System.nanoTime() - t0) / 1e6, i.provider(),
                i.providerNote().isEmpty() ? "" : " (" + i.providerNote() + ")");
        return e;
    }

    public ModelPack pack() {
        return pack;
    }

    /**
     * The pack's voice-activity detector, shared with the speech encoders (one pass per utterance they encode). Its
     * calls count as encoder work: {@link #close} waits for them, and after it they are {@link Stopped} (a long
     * recording's segmenter calls it while the engine may be closing under it).
     */
    public Optional<SpeechActivityDetector> vad() {
        return vad.map(detector -> new SpeechActivityDetector() {
            @Override
            public List<Region> speechRegions(AudioTrack audio) {
                return unlessClosed(() -> guarded(() -> detector.speechRegions(audio)));
            }

            @Override
            public List<Region> speechRegions(AudioTrack audio, UnaryOperator<AudioTrack> hearing) {
                return unlessClosed(() -> guarded(() -> detector.speechRegions(audio, hearing)));
            }

            @Override
            public AudioTrack keepSpeech(AudioTrack audio) {
                return unlessClosed(() -> guarded(() -> detector.keepSpeech(audio)));
            }
            // close() stays the default no-op: the engine owns the detector
        });
    }

    public List<EncoderInfo> encoders() {
        return encoders.stream().map(Encoder::info).toList();
    }

    /** @throws Stopped when the engine closed (the process shutting down) before the utterance was embedded */
    public UtteranceEmbeddings embed(Utterance utterance) {
        if (pool == null) return embedSequentially(utterance);
        return unlessClosed(() -> {
            long t0 = System.nanoTime();
            UtteranceSpeechRegions regions = new UtteranceSpeechRegions();
            List<CompletableFuture<EncoderResult>> futures = encoders.stream()
                    .map(e -> CompletableFuture.supplyAsync(() -> run(e, utterance, regions), tasks)).toList();
            return new UtteranceEmbeddings(utterance.source(), joinAll(futures), (System.nanoTime() - t0) / 1e6);
        });
    }

    /**
     * Runs the encoders one after another on the calling thread, whatever the engine's setting: per-encoder times
     * then measure each encoder alone rather than contending for the same cores (benchmarks).
     */
    public UtteranceEmbeddings embedSequentially(Utterance utterance) {
        return unlessClosed(() -> {
            long t0 = System.nanoTime();
            UtteranceSpeechRegions regions = new UtteranceSpeechRegions();
            List<EncoderResult> results = encoders.stream().map(e -> run(e, utterance, regions)).toList();
            return new UtteranceEmbeddings(utterance.source(), results, (System.nanoTime() - t0) / 1e6);
        });
    }

    /**
     * Runs {@code work}, which uses the encoders. What fails because the engine closed under it (a pool that refuses
     * tasks, a closed session) failed for no reason of the input: it is {@link Stopped}, so the caller retries instead
     * of writing an error result that would be kept for good.
     */
    private <T> T unlessClosed(Supplier<T> work) {
        if (closed) throw new Stopped("the encoders are closed (shutting down)");
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (closed && !(e instanceof Stopped)) throw new Stopped("the encoders closed while they were in use (shutting down)", e);
            throw e;
        }
    }

    /** One encoder call, which {@link #close} waits for before it frees the sessions the call uses. */
    private <T> T guarded(Supplier<T> call) {
        lifecycle.readLock().lock();
        try {
            if (closed) throw new Stopped("the encoders are closed (shutting down)");
            return call.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Starts an utterance that is still being decoded: give it to the decoder as its {@link DecodeListener}, then
     * call {@link DecodingUtterance#finish} with the decoded utterance, or close it if decoding failed. The speech and
     * text encoders start as soon as the audio and transcript are complete; encoders with a {@link FrameStream} work
     * on each frame as it is decoded; the rest start at {@code finish}. All on the engine's threads, and the
     * embeddings are those {@link #embed} gives. With parallel encoders off, nothing starts before {@code finish}.
     */
    public DecodingUtterance begin() {
        return new DecodingUtterance();
    }

    /** What {@link #decodeAndEmbed} made of one file; {@code decodeMillis} is until decoding ended. */
    public record Decoded(Utterance utterance, UtteranceEmbeddings embeddings, double decodeMillis) {
    }

    /**
     * Decodes the file and embeds it, the encoders working while it is decoded ({@link #begin}). The embeddings'
     * own {@code millis} is what was left after decoding.
     *
     * @throws dev.moodtag.media.MediaException as the decoder does, once the work already started is abandoned
     */
    public Decoded decodeAndEmbed(MediaDecoder decoder, Path file, Transcript transcript) {
        return decodeAndEmbed(decoder, file, transcript, DecodeBounds.NONE);
    }

    /** {@link #decodeAndEmbed(MediaDecoder, Path, Transcript)} with the decoder held to {@code bounds}. */
    public Decoded decodeAndEmbed(MediaDecoder decoder, Path file, Transcript transcript, DecodeBounds bounds) {
        try (DecodingUtterance decoding = begin()) {
            long t0 = System.nanoTime();
            Utterance utterance = decoder.decode(file, transcript, decoding, bounds);
            double decodeMillis = (System.nanoTime() - t0) / 1e6;
            return new Decoded(utterance, decoding.finish(utterance), decodeMillis);
        }
    }

    /** An utterance being decoded; see {@link #begin}. */
    public final class DecodingUtterance implements DecodeListener, AutoCloseable {
        /** Per frame-streaming encoder, a lane per decoded part of the video (see VideoTrack.partStarts). */
        private final Map<Encoder, FrameLane[]> lanes = new IdentityHashMap<>();
        private final Map<Encoder, CompletableFuture<EncoderResult>> started = new ConcurrentHashMap<>();
        private final BoundedExecutor besideDecoding;
        private final UtteranceSpeechRegions regions = new UtteranceSpeechRegions();

        private DecodingUtterance() {
            if (pool == null) {
                besideDecoding = null;
                return;
            }
            besideDecoding = new BoundedExecutor(tasks, widthBesideDecoding);
            for (Encoder e : encoders) {
                FrameLane[] parts = new FrameLane[PARTS];
                for (int p = 0; p < PARTS; p++) {
                    Optional<FrameStream> stream = e.openFrameStream();
                    if (stream.isEmpty()) break;
                    parts[p] = new FrameLane(stream.get(), besideDecoding, EmbeddingEngine.this::guarded);
                }
                if (parts[0] != null) lanes.put(e, parts);
            }
        }

        /** From a decoding thread: the encoders that need neither video nor a frame stream start now. */
        @Override
        public void audioAndText(Utterance withoutVideo) {
            if (pool == null) return;
            unlessClosed(() -> {
                for (Encoder e : encoders) {
                    if (e.info().modality() == Modality.VIDEO || lanes.containsKey(e)) continue;
                    started.put(e, CompletableFuture.supplyAsync(() -> run(e, withoutVideo, regions), besideDecoding));
                }
                return null;
            });
        }

        /** From the thread decoding that part of the video, in frame order. */
        @Override
        public void frame(int part, VideoFrame frame) {
            if (part < 0 || part >= PARTS) throw new IllegalArgumentException("video part " + part + " of " + PARTS);
            unlessClosed(() -> {
                lanes.values().forEach(l -> l[part].submit(frame));
                return null;
            });
        }

        /**
         * The embeddings of the complete utterance. {@link UtteranceEmbeddings#millis()} counts from this call: the
         * encoding left once decoding has ended. Each encoder's own time includes what it did during decoding.
         */
        public UtteranceEmbeddings finish(Utterance utterance) {
            if (pool == null) return embed(utterance);
            return unlessClosed(() -> {
                long t0 = System.nanoTime();
                // Decoding has ended: what is still waiting may use every core.
                besideDecoding.widen(encoders.size());
                List<CompletableFuture<EncoderResult>> futures = encoders.stream().map(e -> {
                    FrameLane[] parts = lanes.get(e);
                    if (parts != null) return CompletableFuture.allOf(Arrays.stream(parts).map(l -> l.tail)
                            .toArray(CompletableFuture[]::new)).thenApplyAsync(
                                    done -> guarded(() -> FrameLane.finish(e, parts, utterance)), tasks);
                    CompletableFuture<EncoderResult> early = started.get(e);
                    return early != null ? early : CompletableFuture.supplyAsync(() -> run(e, utterance, regions), tasks);
                }).toList();
                return new UtteranceEmbeddings(utterance.source(), joinAll(futures), (System.nanoTime() - t0) / 1e6);
            });
        }

        /**
         * Abandons the utterance: frames not yet started are skipped, and work already started is waited for, so
         * that nothing runs on after the caller has moved on. Nothing to do after {@link #finish}.
         */
        @Override
        public void close() {
            lanes.values().forEach(parts -> Arrays.stream(parts).forEach(lane -> lane.abandoned = true));
            lanes.values().forEach(parts -> Arrays.stream(parts).forEach(lane -> awaitQuietly(lane.tail)));
            started.values().forEach(EmbeddingEngine::awaitQuietly);
        }
    }

    private static void awaitQuietly(CompletableFuture<?> work) {
        try {
            work.join();
        } catch (CompletionException | CancellationException e) {
            // The utterance is being given up: a failure in its work no longer matters.
        }
    }

    /** One encoder's frames of one utterance, worked on one after another on the engine's threads. */
    private static final class FrameLane {
        private final FrameStream stream;
        private final Executor executor;
        private final Function<Supplier<Void>, Void> guard;
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        private volatile boolean abandoned;
        private long nanos;

        FrameLane(FrameStream stream, Executor executor, Function<Supplier<Void>, Void> guard) {
            this.stream = stream;
            this.executor = executor;
            this.guard = guard;
        }

        void submit(VideoFrame frame) {
            // Chained, so the stream sees its frames in order and one at a time; after a failure the rest are skipped
            // and finish reports it.
            tail = tail.thenRunAsync(() -> {
                if (abandoned) return;
                long t0 = System.nanoTime();
                guard.apply(() -> {
                    stream.accept(frame);
                    return null;
                });
                nanos += System.nanoTime() - t0;
            }, executor);
        }

        /** The encoder's output from its lanes, one per part of the video, once all have seen their frames. */
        static EncoderResult finish(Encoder encoder, FrameLane[] parts, Utterance utterance) {
            long t0 = System.nanoTime();
            long nanos = 0;
            for (int p = 1; p < parts.length; p++) parts[0].stream.append(parts[p].stream);
            for (FrameLane lane : parts) nanos += lane.nanos;
            EncoderOutput out = parts[0].stream.finish(utterance);
            return result(encoder, out, (nanos + System.nanoTime() - t0) / 1e6);
        }
    }

    private EncoderResult run(Encoder encoder, Utterance utterance, UtteranceSpeechRegions regions) {
        return guarded(() -> {
            long t0 = System.nanoTime();
            EncoderOutput out = scopedVad.isEmpty() ? encoder.encode(utterance)
                    : scopedVad.get().within(regions, () -> encoder.encode(utterance));
            return result(encoder, out, (System.nanoTime() - t0) / 1e6);
        });
    }

    static EncoderResult result(Encoder encoder, EncoderOutput out, double ms) {
        if (out instanceof EncoderOutput.Missing m) return new EncoderResult(encoder.info(), null, m.reason(), ms);
        EncoderOutput.Vector vector = (EncoderOutput.Vector) out;
        float[] v = vector.values();
        if (v.length != encoder.info().dim()) {
            throw new IllegalStateException("encoder " + encoder.info().id() + " produced " + v.length
                    + " values, the pack says " + encoder.info().dim());
        }
        // A NaN turns every probability of a part into NaN and the label into class 0 ("neutral"), with no error:
        // the modality is missing instead, and says why.
        int nonFinite = 0;
        for (float x : v) if (!Float.isFinite(x)) nonFinite++;
        if (nonFinite > 0)
            return new EncoderResult(encoder.info(), null, "the encoder produced " + nonFinite + " non-finite value(s) of "
                    + v.length + " (NaN or infinity)", ms);
        return new EncoderResult(encoder.info(), v, null, ms, vector.note());
    }

    /** Waits for every encoder; an encoder's failure is rethrown as it was thrown, not wrapped. */
    private static List<EncoderResult> joinAll(List<CompletableFuture<EncoderResult>> futures) {
        List<EncoderResult> results = new ArrayList<>(futures.size());
        for (CompletableFuture<EncoderResult> f : futures) {
            try {
                results.add(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                if (e.getCause() instanceof Error err) throw err;
                throw e;
            }
        }
        return results;
    }

    @PreDestroy
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // tasks the pool never started are run here, where they find the engine closed, so no one waits on them for ever
        if (pool != null) pool.shutdownNow().forEach(Runnable::run);
        boolean quiet;
        try {
            quiet = lifecycle.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            quiet = false;
        }
        if (!quiet) {
            // the process is ending: leaving native memory to the operating system beats freeing it under a running call
            LOG.warnf("encoder work still running after %d s: the encoders' sessions are left open", CLOSE_WAIT_SECONDS);
            return;
        }
        try {
            encoders.forEach(Encoder::close);
            vad.ifPresent(SpeechActivityDetector::close);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

}
