package dev.moodtag.transcribe;

import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelFile;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.support.Stopped;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Vosk (Kaldi) speech-to-text over the pack's {@code transcriber} entry of kind {@code vosk}: the model folder's files
 * are listed in the manifest (verified by sha256 when the pack loads), and the model is loaded once. A
 * {@link Model} may be shared by recognisers on several threads; each stream owns one {@link Recognizer} while it runs.
 *
 * <p>Recognisers can be kept for the next stream once a stream has finished (pack param, off by default). Vosk composes the small model's decoding
 * graph (the lookahead pair {@code HCLr.fst} ∘ {@code Gr.fst}) lazily and per recogniser, so a fresh recogniser spends
 * most of a short utterance expanding graph states: on the 3.3 s sample film about 450-500 ms of CPU fresh (the
 * grammar stored as a const FST; 640-710 ms as the model ships it) against 90-150 ms on one that had decoded other
 * clips (silence costs little either way). After a final result Vosk starts its next audio
 * with a new decoder and feature pipeline (a stream that ended at an endpoint is made to end that way too); the
 * expanded graph carries over, and with it an order of graph states that can still move a clip's confidences in the
 * last digits (see {@link VoskParams#keptRecognisers()}: the default 0 keeps none), and so does the recogniser's clock,
 * which keeps running over everything it was fed, so word times are read relative to that.
 *
 * <p>Every recogniser first decodes the warm-up ({@link WarmUp}; by default the pack's {@link VoskParams#warmUp()}, a
 * fixed sentence) before
 * its first stream: that expands the graph states near the start of any utterance off the request's path (on the
 * sample film's 3.3 s, about 370 ms of CPU fresh against about 210 ms warmed), and as every recogniser has the same
 * history, a file's words, times and confidences do not depend on which one it met. {@link VoskParams#readyRecognisers()}
 * are warmed up ahead of need on background threads, from {@link #prepare()} (once the process is ready) and then
 * whenever a recogniser is closed (a stream's end, unless it is kept or held by a session); a stream waits for one
 * being warmed up, and when none is ready or under way its own thread warms one up, with the same result.
 *
 * <p>A {@link #session()} keeps one recogniser for the regions of one recording, in time order: a timeline's voiced
 * regions then pay for the graph once per recording instead of once per region, and the recording's words still depend
 * only on the recording (its regions always come in the same order, from one thread).
 */
public final class VoskTranscriber implements SpeechTranscriber {

    public static final String KIND = "vosk";
    /** The version of the {@code com.alphacephei:vosk} binding and native library in the pom. */
    static final String VERSION = "0.3.45";
    /** Samples converted and fed per call, to bound the conversion buffer whatever the caller hands in. */
    private static final int FEED_SAMPLES = 4_000;
    /**
     * Vosk writes times with six decimals on a clock that may have run for hours; read relative to a stream's start
     * they are rounded to this many per second (0.1 ms, far below the 30 ms frame), so the same word edge reads the same.
     */
    private static final double TIME_STEPS_PER_SECOND = 10_000;

    private final Model model;
    private final String modelSha256;
    private final String language;
    private final Path modelDir;
    /** Recognisers whose last stream finished, most recently used first; at most {@code keptRecognisers} (pack param). */
    private final Deque<Kept> idle = new ArrayDeque<>();
    private final int keptRecognisers;
    /** What every recogniser decodes before its first stream, as the streams' samples in [-1, 1]; empty for none. */
    private final float[] warmUp;
    /** Recognisers being warmed up, or warmed up and waiting for a stream: at most {@code readyRecognisers}. */
    private final Deque<CompletableFuture<Kept>> ready = new ArrayDeque<>();
    private final int readyRecognisers;
    /** Warms recognisers up ahead of need, one thread per ready recogniser; null when none are kept ready. */
    private final ExecutorService warmer;
    /** Recognisers created, and those not yet closed, over this model's life (for tests). */
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;
    /**
     * Creating a recogniser holds the read lock and closing the model the write lock: a recogniser made on a freed model
     * crashes the process (SIGSEGV), and at shutdown a running timeline may ask for one while the model is closed.
     */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private VoskTranscriber(Model model, Path modelDir, String modelSha256, String language, int keptRecognisers,
                            float[] warmUp, int readyRecognisers) {
        if (keptRecognisers < 0) throw new IllegalArgumentException("keptRecognisers must not be negative");
        this.model = model;
        this.modelDir = modelDir;
        this.modelSha256 = modelSha256;
        this.language = language;
        this.keptRecognisers = keptRecognisers;
        this.warmUp = warmUp;
        this.readyRecognisers = readyRecognisers;
        // one thread per ready recogniser: a stream waits at most for the one warm-up it takes, never for a queue
        this.warmer = readyRecognisers == 0 ? null : Executors.newFixedThreadPool(readyRecognisers, r -> {
            Thread t = new Thread(r, "moodtag-recogniser-warm-up");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the model named by a verified pack entry.
     *
     * @throws ModelPackException if the entry's files do not form one model folder or Vosk cannot load it
     */
    public static VoskTranscriber load(EncoderSpec spec) {
        return load(spec, WarmUp.PACK);
    }

    /** As {@link #load(EncoderSpec)}, each recogniser warmed up as {@code warmUp} says ({@code moodtag.transcribe.warm-up}). */
    public static VoskTranscriber load(EncoderSpec spec, WarmUp warmUp) {
        VoskParams params = EncoderParameters.bind(spec, VoskParams.class);
        return load(spec, params.keptRecognisers(), warmUp, params.readyRecognisers());
    }

    /**
     * As {@link #load(EncoderSpec)}, keeping at most {@code keptRecognisers} idle recognisers (0: a new one per
     * stream) and none warmed up ahead, so that nothing runs in the background (tests count recognisers).
     */
    static VoskTranscriber load(EncoderSpec spec, int keptRecognisers) {
        return load(spec, keptRecognisers, WarmUp.PACK, 0);
    }

    /** As {@link #load(EncoderSpec, int)} with the warm-up and the number of recognisers kept ready given here. */
    static VoskTranscriber load(EncoderSpec spec, int keptRecognisers, WarmUp warmUp, int readyRecognisers) {
        Path dir = modelDir(spec);
        String language = spec.param("language", "en");
        String packAudio = EncoderParameters.bind(spec, VoskParams.class).warmUp();
        // checked whatever the setting, so that a pack's mistake shows before someone switches to it
        float[] packPcm = packAudio == null ? null : warmUpAudio(spec, packAudio);
        float[] warmUpPcm = switch (warmUp) {
            case PACK -> packPcm == null ? new float[0] : packPcm;
            case SILENCE -> new float[WarmUp.SILENCE_SAMPLES];
            case NONE -> new float[0];
        };
        String fingerprint = fingerprint(spec, warmUp, packAudio);
        quietNativeLogs();
        try {
            return new VoskTranscriber(new Model(dir.toString()), dir, fingerprint, language, keptRecognisers, warmUpPcm,
                    readyRecognisers);
        } catch (IOException | RuntimeException e) {
            throw new ModelPackException("transcriber " + spec.id() + ": Vosk cannot load the model in " + dir + " ("
                    + e.getMessage() + "); restore the files the pack lists", e);
        }
    }

    /**
     * The folder that holds the model: each file's resolved path minus its manifest location. Vosk reads a folder, so
     * every file must have been found under the same one.
     */
    static Path modelDir(EncoderSpec spec) {
        String prefix = spec.param("modelDir", "");
        Path dir = null;
        for (ModelFile f : spec.files().values()) {
            if (f.onClasspath()) {
                throw new ModelPackException("transcriber " + spec.id() + ": file " + f.location()
                        + " must be a file on disk, not a classpath resource (Vosk reads a folder)");
            }
            if (!f.location().startsWith(prefix)) {
                throw new ModelPackException("transcriber " + spec.id() + ": file " + f.location()
                        + " is not inside params.modelDir " + prefix);
            }
            Path root = f.path().toAbsolutePath().normalize();
            int depth = Path.of(f.location().substring(prefix.length())).normalize().getNameCount();
            for (int i = 0; i < depth; i++) root = root.getParent();
            if (dir == null) {
                dir = root;
            } else if (!dir.equals(root)) {
                throw new ModelPackException("transcriber " + spec.id() + ": the model's files were found in two folders, "
                        + dir + " and " + root + " (" + f.location() + "); keep one copy of the model on the search path");
            }
        }
        if (dir == null) throw new ModelPackException("transcriber " + spec.id() + " lists no files");
        return dir;
    }

    /**
     * The recogniser's fingerprint: the model's files ({@link ModelFingerprint}) and, where there is one, the warm-up,
     * which decides the graph's state order and with it the last digits of confidences: the same model warmed up
     * otherwise is another recogniser. The pack's warm-up counts by its content, not its key, which could name another
     * of the entry's files in another pack.
     */
    static String fingerprint(EncoderSpec spec, WarmUp warmUp) {
        return fingerprint(spec, warmUp, EncoderParameters.bind(spec, VoskParams.class).warmUp());
    }

    /** As {@link #fingerprint(EncoderSpec, WarmUp)}, with the key of the pack's warm-up already read (or null). */
    private static String fingerprint(EncoderSpec spec, WarmUp warmUp, String packAudio) {
        String warmUpName = switch (warmUp) {
            case PACK -> packAudio == null || spec.files().get(packAudio) == null ? null
                    : "file " + spec.files().get(packAudio).sha256();
            case SILENCE -> "silence of " + WarmUp.SILENCE_SAMPLES + " samples";
            case NONE -> null;
        };
        String files = ModelFingerprint.of(spec.files().values());
        return warmUpName == null ? files : dev.moodtag.support.Sha256.of(files + " warm-up " + warmUpName);
    }

    /** The warm-up file's samples (16-bit little-endian mono PCM at the recogniser's rate, at most 30 s) in [-1, 1]. */
    static float[] warmUpAudio(EncoderSpec spec, String key) {
        ModelFile file = spec.files().get(key);
        String where = "transcriber " + spec.id() + ": warmUp " + key;
        if (file == null) throw new ModelPackException(where + " is not one of the entry's files " + spec.files().keySet());
        if (file.onClasspath()) throw new ModelPackException(where + " must be a file on disk");
        try {
            long size = Files.size(file.path());
            long max = (long) (VoskParams.MAX_WARM_UP_SECONDS * SAMPLE_RATE) * 2;
            if (size == 0 || size % 2 != 0 || size > max) {
                throw new ModelPackException(where + " holds " + size + " bytes; 16-bit PCM of at most "
                        + VoskParams.MAX_WARM_UP_SECONDS + " s (" + max + " bytes, an even number) is expected");
            }
            byte[] bytes = Files.readAllBytes(file.path());
            if (bytes.length >= 12 && new String(bytes, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("RIFF")) {
                throw new ModelPackException(where + " is a RIFF (WAV) file; headerless 16 kHz mono s16le PCM is expected "
                        + "(ffmpeg -i IN -ac 1 -ar 16000 -f s16le OUT)");
            }
            java.nio.ShortBuffer pcm = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            float[] samples = new float[pcm.remaining()];
            // the streams' scale, which the recogniser's input turns back into the same 16-bit values (all but
            // -32768, which becomes -32767 as any stream's would)
            for (int i = 0; i < samples.length; i++) samples[i] = pcm.get(i) / 32767f;
            return samples;
        } catch (IOException e) {
            throw new ModelPackException(where + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void quietNativeLogs() {
        try {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
        } catch (LinkageError e) {
            throw nativeLibraryNotLoaded(e);
        }
    }

    /**
     * Why the Vosk native library did not load, in words with the loader's own message (the file and the library or
     * symbol it missed): it was the error's {@code toString()}, "java.lang.UnsatisfiedLinkError: ...", a Java class
     * where the reason was meant.
     */
    static TranscriberException nativeLibraryNotLoaded(LinkageError e) {
        String why = e instanceof UnsatisfiedLinkError
                ? "the library, or one it needs, cannot be found or linked (a C library older than it was built for, or "
                + "another processor)"
                : "the native binding (JNA) it is loaded through cannot start";
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage().strip();
        return new TranscriberException("the Vosk native library (libvosk.so from com.alphacephei:vosk) cannot be "
                + "loaded on this machine: " + why + message, e);
    }

    @Override
    public String engine() {
        return "vosk " + VERSION;
    }

    @Override
    public String modelSha256() {
        return modelSha256;
    }

    @Override
    public String language() {
        return language;
    }

    public Path modelDir() {
        return modelDir;
    }

    @Override
    public TranscriptionStream begin(double offsetSeconds) {
        Kept kept = take();
        return new Stream(kept != null ? kept : warmedUp(), offsetSeconds, this::giveBack);
    }

    /**
     * A recogniser that has decoded the warm-up and nothing else: one made ready ahead (waiting for it if it is being
     * warmed up now: each has a thread of its own, so none waits behind another), or, when none is ready or under
     * way, one warmed up on the caller's thread.
     */
    private Kept warmedUp() {
        CompletableFuture<Kept> next;
        synchronized (this) {
            next = ready.pollFirst();
        }
        if (next != null) {
            try {
                return next.join();
            } catch (RuntimeException e) {
                // warming up in the background failed (the model closing, memory): the caller's thread tries itself
            }
        }
        return warmUp(fresh());
    }

    /** Decodes the warm-up audio on a new recogniser, as a stream of its own whose result is dropped. */
    private Kept warmUp(Kept fresh) {
        if (warmUp.length == 0) return fresh;
        Kept[] after = new Kept[1];
        Stream stream = new Stream(fresh, 0, k -> after[0] = k);
        try {
            stream.accept(warmUp, 0, warmUp.length);
            stream.finish();
        } catch (RuntimeException e) {
            // closes the recogniser once, whether or not finish() already did; a background warm-up that failed keeps
            // its place in the ready queue until a stream takes it, so the refill this close starts adds none
            stream.close();
            throw e;
        }
        return after[0];
    }

    /** Warms {@code readyRecognisers} up in the background; after that, each stream's end starts its successor's. */
    @Override
    public void prepare() {
        refill();
    }

    /** Starts warming up recognisers in the background until {@code readyRecognisers} are ready or on their way. */
    private void refill() {
        if (warmer == null) return;
        synchronized (this) {
            while (!closed && ready.size() < readyRecognisers) {
                ready.addLast(CompletableFuture.supplyAsync(() -> warmUp(fresh()), warmer));
            }
        }
    }

    @Override
    public TranscriptionSession session() {
        return new Session();
    }

    private Kept fresh() {
        Recognizer recognizer;
        lifecycle.readLock().lock();
        try {
            if (closed) throw new Stopped("the speech recogniser's model is closed (shutting down)");
            recognizer = new Recognizer(model, SAMPLE_RATE);
        } catch (IOException e) {
            throw new TranscriberException("Vosk cannot create a recogniser: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
        created.incrementAndGet();
        open.incrementAndGet();
        recognizer.setWords(true);
        return new Kept(recognizer, 0);
    }

    private void release(Recognizer recognizer) {
        recognizer.close();
        open.decrementAndGet();
        // one stream fewer running: its recogniser's successor is warmed up now, between requests, not while one waits
        refill();
    }

    /** Recognisers kept idle now (for tests). */
    synchronized int idleRecognisers() {
        return idle.size();
    }

    /** Recognisers created so far (for tests). */
    int recognisersCreated() {
        return created.get();
    }

    /** Recognisers created and not yet closed (for tests). */
    int recognisersOpen() {
        return open.get();
    }

    private synchronized Kept take() {
        return idle.pollFirst();
    }

    /** Keeps a recogniser whose stream finished, or closes it when enough are kept or the model is closed. */
    private void giveBack(Kept kept) {
        synchronized (this) {
            if (!closed && idle.size() < keptRecognisers) {
                idle.addFirst(kept);
                return;
            }
        }
        release(kept.recognizer());
    }

    /** Recognisers warmed up ahead and waiting for a stream (for tests). */
    synchronized int recognisersReady() {
        return (int) ready.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    }

    /** Waits until the recognisers being warmed up in the background are ready (for tests and measurements). */
    void awaitReady() {
        List<CompletableFuture<Kept>> pending;
        synchronized (this) {
            pending = List.copyOf(ready);
        }
        pending.forEach(f -> f.exceptionally(e -> null).join());
    }

    @Override
    public void close() {
        List<CompletableFuture<Kept>> warming;
        synchronized (this) {
            if (closed) return;
            closed = true;
            warming = List.copyOf(ready);
            ready.clear();
        }
        if (warmer != null) warmer.shutdown();
        // a warm-up holds the lifecycle's read lock while it creates its recogniser, so it is waited for before the
        // write lock is taken; one not yet started finds the model closed and ends at once
        for (CompletableFuture<Kept> f : warming) {
            Kept k = f.exceptionally(e -> null).join();
            if (k != null) release(k.recognizer());
        }
        lifecycle.writeLock().lock();
        try {
            List<Kept> toClose;
            synchronized (this) {
                toClose = List.copyOf(idle);
                idle.clear();
            }
            try {
                toClose.forEach(k -> release(k.recognizer()));
            } finally {
                model.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * A recogniser with the number of samples it has been fed over its life, which is where its clock stands when
     * its next stream starts.
     */
    private record Kept(Recognizer recognizer, long samplesBefore) {
    }

    /** One recogniser for one recording's streams, in order; closed with the session. Not thread-safe. */
    private final class Session implements TranscriptionSession {
        private Kept held;
        private boolean open = true;
        /** The latest stream; the next may begin once it has a final result or was closed. */
        private Stream current;

        @Override
        public TranscriptionStream begin(double offsetSeconds) {
            if (!open) throw new IllegalStateException("the transcription session is closed");
            if (current != null && !current.closed) {
                throw new IllegalStateException("the session's previous stream is still running");
            }
            Kept kept = held != null ? held : warmedUp();
            held = null;
            current = new Stream(kept, offsetSeconds, this::finished);
            return current;
        }

        private void finished(Kept kept) {
            if (open) held = kept;
            else release(kept.recognizer());
        }

        @Override
        public void close() {
            if (!open) return;
            open = false;
            if (held != null) release(held.recognizer());
            held = null;
        }
    }

    private final class Stream implements TranscriptionStream {
        private final Kept kept;
        /** Where a recogniser goes once its stream has a final result: the idle pool, or its session. */
        private final Consumer<Kept> afterFinal;
        private final Recognizer recognizer;
        private final double offsetSeconds;
        private final double clockAtStart;
        private final List<RecognisedWord> words = new ArrayList<>();
        private final short[] pcm = new short[FEED_SAMPLES];
        private long samples;
        /** Whether the last audio fed ended an utterance at an endpoint (its result already collected). */
        private boolean atEndpoint;
        private boolean finished;
        private boolean closed;

        Stream(Kept kept, double offsetSeconds, Consumer<Kept> finished) {
            this.kept = kept;
            this.afterFinal = finished;
            this.recognizer = kept.recognizer();
            this.offsetSeconds = offsetSeconds;
            this.clockAtStart = kept.samplesBefore() / (double) SAMPLE_RATE;
        }

        /** Word times on the recording's clock: relative to this stream's first sample, then shifted by the offset. */
        private void collect(String json) {
            VoskResults.words(json, t -> offsetSeconds
                    + Math.round((t - clockAtStart) * TIME_STEPS_PER_SECOND) / TIME_STEPS_PER_SECOND, words::add);
        }

        @Override
        public void accept(float[] in, int offset, int length) {
            if (finished || closed) throw new IllegalStateException("the transcription stream is finished");
            java.util.Objects.checkFromIndexSize(offset, length, in.length);
            for (int at = offset, end = offset + length; at < end; ) {
                int n = Math.min(pcm.length, end - at);
                for (int i = 0; i < n; i++) {
                    float v = in[at + i];
                    // NaN would become 0 through the cast; clip the rest to 16-bit range as a recording would be
                    pcm[i] = (short) Math.round(Math.max(-1f, Math.min(1f, Float.isNaN(v) ? 0f : v)) * 32767f);
                }
                atEndpoint = recognizer.acceptWaveForm(pcm, n);
                if (atEndpoint) {
                    // Vosk found an endpoint: the utterance so far is final; collect it so its state can be dropped
                    collect(recognizer.getResult());
                }
                at += n;
                samples += n;
            }
        }

        @Override
        public RecognisedSpeech finish() {
            if (finished) throw new IllegalStateException("the transcription stream is finished");
            if (closed) throw new IllegalStateException("the transcription stream is closed");
            finished = true;
            try {
                collect(recognizer.getFinalResult());
                if (atEndpoint) startAfreshNextTime();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            // after a final result the recogniser starts afresh on its next audio: keep it for the next stream
            closed = true;
            afterFinal.accept(new Kept(recognizer, kept.samplesBefore() + samples));
            return new RecognisedSpeech(VoskResults.text(words), words, samples / (double) SAMPLE_RATE, Double.NaN,
                    engine(), modelSha256, language);
        }

        /**
         * Vosk 0.3.45 rebuilds its feature pipeline (online CMVN and i-vector statistics) when it gives a final result,
         * but a stream whose last audio ended at an endpoint has no utterance running, so its final result is empty and
         * rebuilds nothing: the next stream on this recogniser continued this one's pipeline and got other words and
         * confidences than a fresh recogniser (3 of 24 clips of a harness; {@code RepeatableRecognitionTest}). An empty
         * feed starts an utterance and a final result ends it, rebuilding the pipeline; what that result holds is
         * only the few frames after the endpoint, which a fresh recogniser never reports either, so it is dropped.
         */
        private void startAfreshNextTime() {
            recognizer.acceptWaveForm(new short[0], 0);
            recognizer.getFinalResult();
        }

        /** A stream closed before its final result leaves the recogniser mid-utterance: it is not kept. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            release(recognizer);
        }
    }
}
