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
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
    /** Recognisers created, and those not yet closed, over this model's life (for tests). */
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;
    /**
     * Creating a recogniser holds the read lock and closing the model the write lock: a recogniser made on a freed model
     * crashes the process (SIGSEGV), and at shutdown a running timeline may ask for one while the model is closed.
     */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private VoskTranscriber(Model model, Path modelDir, String modelSha256, String language, int keptRecognisers) {
        if (keptRecognisers < 0) throw new IllegalArgumentException("keptRecognisers must not be negative");
        this.model = model;
        this.modelDir = modelDir;
        this.modelSha256 = modelSha256;
        this.language = language;
        this.keptRecognisers = keptRecognisers;
    }

    /**
     * Loads the model named by a verified pack entry.
     *
     * @throws ModelPackException if the entry's files do not form one model folder or Vosk cannot load it
     */
    public static VoskTranscriber load(EncoderSpec spec) {
        return load(spec, EncoderParameters.bind(spec, VoskParams.class).keptRecognisers());
    }

    /** As {@link #load(EncoderSpec)}, keeping at most {@code keptRecognisers} idle recognisers (0: a fresh one per stream). */
    static VoskTranscriber load(EncoderSpec spec, int keptRecognisers) {
        Path dir = modelDir(spec);
        String language = spec.param("language", "en");
        quietNativeLogs();
        try {
            return new VoskTranscriber(new Model(dir.toString()), dir, ModelFingerprint.of(spec.files().values()), language,
                    keptRecognisers);
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

    private static void quietNativeLogs() {
        try {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
        } catch (LinkageError e) {
            throw new TranscriberException("the Vosk native library (libvosk.so from com.alphacephei:vosk) cannot be "
                    + "loaded on this machine: " + e, e);
        }
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
        return new Stream(kept != null ? kept : fresh(), offsetSeconds, this::giveBack);
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

    @Override
    public void close() {
        List<Kept> toClose;
        lifecycle.writeLock().lock();
        try {
            synchronized (this) {
                if (closed) return;
                closed = true;
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
            Kept kept = held != null ? held : fresh();
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
