package dev.moodtag.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.function.FunctionFixtures;
import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.StorageException;
import dev.moodtag.support.Stopped;
import dev.moodtag.tagging.EmotionResult;
import dev.moodtag.tagging.FunctionMetrics;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.ResultLocator;
import dev.moodtag.tagging.ResultWriter;
import dev.moodtag.train.TrainingProgress;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.moodtag.batch.BatchSpeechTest.MIXED;
import static dev.moodtag.batch.BatchSpeechTest.WRITTEN;
import static dev.moodtag.batch.BatchSpeechTest.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop (Ctrl-C) that comes during a batch's second pass: while the recording part trains again, between the
 * rewrites, or after everything is done. The stop is set at a point the run reaches for certain (the retraining's
 * start, the n-th rewrite), never by a clock, and the work done after it is counted in rewrites.
 */
@QuarkusTest
@TestProfile(BatchTagTest.Profile.class)
@Tag("quarkus")
class SecondPassStopTest {

    @Inject
    BatchSources sources;
    @Inject
    Recognizer recognizer;
    @Inject
    Labeller labeller;
    @Inject
    ResultLocator results;
    @Inject
    FunctionMetrics metrics;

    /** Counts the second pass's rewrites (the first pass writes through the recogniser) and runs a hook after each. */
    private final class CountingWriter extends ResultWriter {
        final AtomicInteger rewrites = new AtomicInteger();
        final java.util.function.IntConsumer after;

        CountingWriter(java.util.function.IntConsumer after) {
            super(metrics);
            this.after = after;
        }

        @Override
        public void write(ObjectStorage store, ObjectRef resultRef, JsonNode result) {
            super.write(store, resultRef, result);
            after.accept(rewrites.incrementAndGet());
        }
    }

    private BatchSummary run(Path dir, Labeller with, ResultWriter writer, AtomicBoolean stop, boolean selfTrain,
                             boolean force, Map<String, byte[]> firstPass) {
        BatchTagger tagger = new BatchTagger(recognizer, with, results, writer, BatchSpeechTest.config(
                BatchConfig.SelfTrain.OFF, 0.25, 10, 100));
        return tagger.tag(sources.resolve(dir.toString(), ".emotion.json"), 1, force, (row, done, total) -> {
            if (row.result() != null) {
                try {
                    firstPass.put(name(row.object()), WRITTEN.writeValueAsBytes(row.result()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, stop, BatchConfig.SpeechOverBatch.AUTO, selfTrain ? BatchConfig.SelfTrain.AUTO : BatchConfig.SelfTrain.OFF);
    }

    /** The results that are still the first pass's, byte for byte; every other one must be a valid rewrite. */
    private static int firstPassResults(Path dir, Map<String, byte[]> firstPass, String rewrittenSchema) throws IOException {
        int same = 0;
        for (String id : MIXED) {
            byte[] bytes = Files.readAllBytes(dir.resolve(id + ".wav.emotion.json"));
            JsonNode r = FunctionFixtures.validResult(bytes);
            boolean fileVersion = r.path("source").has("fileVersion");
            if (java.util.Arrays.equals(firstPass.get(id + ".wav"), bytes)) {
                assertEquals(EmotionResult.schemaOf(fileVersion, EmotionResult.SCHEMA), r.path("schema").asText());
                same++;
            } else {
                assertEquals(EmotionResult.schemaOf(fileVersion, rewrittenSchema), r.path("schema").asText(),
                        id + ": the first pass's or the final one");
                assertEquals("batch", r.path(EmotionResult.SPEECH_STANDARDISATION).path("over").asText());
            }
        }
        return same;
    }

    /**
     * Ctrl-C while the part trains again: the retraining ends at its next fit instead of running its grid search and
     * probability fit to the end, no result is rewritten, and the summary says self-training was stopped and the
     * results kept per utterance.
     */
    @Test
    void aStopWhileThePartTrainsAgainEndsTheRetrainingAndLeavesEveryResultAsTheFirstPassWroteIt() throws IOException {
        Path dir = BatchSpeechTest.clips("stop-self-train", MIXED);
        AtomicBoolean stop = new AtomicBoolean();
        Throwable[] retraining = {null};
        Labeller.OverRecording over = labeller.overRecording().orElseThrow();
        Labeller stoppedAsItRetrains = new Labeller() {
            @Override
            public boolean present() {
                return labeller.present();
            }

            @Override
            public String description() {
                return labeller.description();
            }

            @Override
            public List<String> classes() {
                return labeller.classes();
            }

            @Override
            public Labelling label(UtteranceEmbeddings embeddings) {
                return labeller.label(embeddings);
            }

            @Override
            public Optional<OverRecording> overRecording() {
                return Optional.of(new OverRecording() {
                    @Override
                    public float[][] sample(UtteranceEmbeddings embeddings) {
                        return over.sample(embeddings);
                    }

                    @Override
                    public int[] blocks() {
                        return over.blocks();
                    }

                    @Override
                    public Labelling label(float[][] sample, float[][] standardised) {
                        return over.label(sample, standardised);
                    }

                    @Override
                    public Optional<String> whyNotRetrainable() {
                        return over.whyNotRetrainable();
                    }

                    @Override
                    public OverRecording retrained(List<float[][]> added, List<String> labels, TrainingProgress progress) {
                        stop.set(true); // Ctrl-C as the retraining starts: before its grid search's first fit
                        try {
                            OverRecording done = over.retrained(added, labels, progress);
                            retraining[0] = new AssertionError("the retraining ran to its end after the stop");
                            return done;
                        } catch (RuntimeException e) {
                            retraining[0] = e;
                            throw e;
                        }
                    }
                });
            }
        };
        Map<String, byte[]> firstPass = new HashMap<>();
        CountingWriter writer = new CountingWriter(n -> { });
        BatchSummary s = run(dir, stoppedAsItRetrains, writer, stop, true, true, firstPass);

        assertTrue(retraining[0] != null && Stopped.explains(retraining[0]), "the retraining after the stop: " + retraining[0]);
        assertEquals(0, writer.rewrites.get(), "results rewritten after the stop");
        assertEquals(16, firstPassResults(dir, firstPass, EmotionResult.SCHEMA_SELF_TRAINED));
        BatchSpeech speech = s.speech();
        System.out.println("stopped as the part trains again: " + speech.line());
        assertEquals("utterance", speech.over(), speech.toString());
        assertEquals(0, speech.rewritten());
        assertEquals(16, speech.leftByStop());
        assertEquals(16, speech.rewritten() + speech.left() + speech.leftByStop());
        assertTrue(s.stopped(), "the stop left the second pass undone");
        assertTrue(speech.line().startsWith("per utterance (16 clip(s)): the batch was stopped during self-training"),
                speech.line());
        assertTrue(speech.line().contains("self-training stopped after"), speech.line());
        assertTrue(speech.line().endsWith("stopped: 16 result(s) kept per utterance as the first pass wrote them "
                + "(--force on a whole run reads them over the batch)"), speech.line());
        assertEquals("run again with --force to read the batch over itself", s.toContinue());
    }

    /**
     * Ctrl-C between two rewrites: the loop ends there, the results rewritten stay and the rest are the first pass's,
     * the counts say so, and a rerun with {@code --force} reads the batch over again.
     */
    @Test
    void aStopBetweenRewritesEndsTheLoopAndARerunWithForceReadsTheBatchAgain() throws IOException {
        Path dir = BatchSpeechTest.clips("stop-rewrites", MIXED);
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, byte[]> firstPass = new HashMap<>();
        CountingWriter writer = new CountingWriter(n -> {
            if (n == 5) stop.set(true);
        });
        BatchSummary s = run(dir, labeller, writer, stop, false, true, firstPass);

        assertEquals(16, firstPass.size());
        assertEquals(5, writer.rewrites.get(), "results rewritten after the stop");
        assertEquals(11, firstPassResults(dir, firstPass, EmotionResult.SCHEMA_OVER_BATCH));
        BatchSpeech speech = s.speech();
        System.out.println("stopped between rewrites: " + speech.line());
        assertEquals("batch", speech.over());
        assertEquals(5, speech.rewritten());
        assertEquals(0, speech.left(), "no object or result changed");
        assertEquals(11, speech.leftByStop());
        assertEquals(16, speech.rewritten() + speech.left() + speech.leftByStop());
        assertEquals(5, s.rows().stream().filter(r -> {
            try {
                return !java.util.Arrays.equals(firstPass.get(name(r.object())),
                        Files.readAllBytes(dir.resolve(name(r.object()) + ".emotion.json")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).count());
        assertTrue(s.stopped());
        assertTrue(speech.line().startsWith("standardised over the batch: 16 clip(s), 5 result(s) rewritten"), speech.line());
        assertTrue(speech.line().endsWith("; stopped: 11 result(s) kept per utterance as the first pass wrote them "
                + "(--force on a whole run reads them over the batch)"), speech.line());
        assertEquals("run again with --force to read the batch over itself", s.toContinue());
        String html = Files.readString(new BatchReport().write(s, BatchSpeechTest.WORK.resolve("stop-rewrites-report"), "t"));
        assertTrue(html.contains("<b>stopped before the end</b> (run again with --force to read the batch over itself)"), html);

        // Again with --force, as the summary says: the whole batch is read over itself.
        Map<String, byte[]> again = new HashMap<>();
        BatchSummary whole = run(dir, labeller, new ResultWriter(metrics), new AtomicBoolean(), false, true, again);
        assertEquals(0, firstPassResults(dir, again, EmotionResult.SCHEMA_OVER_BATCH));
        assertEquals(16, whole.speech().rewritten());
        assertFalse(whole.stopped());
    }

    /**
     * A rewrite the store refuses leaves that result as the first pass wrote it, and the warning says why in words: it
     * was the exception's {@code toString()}, "dev.moodtag.storage.StorageException: cannot write ...",
     * "java.io.UncheckedIOException: java.io.IOException: No space left on device", "java.lang.NullPointerException".
     */
    @Test
    void aRewriteThatFailsIsSaidInWords() throws IOException {
        Path dir = BatchSpeechTest.clips("rewrite-fails", MIXED);
        List<RuntimeException> failures = List.of(
                new StorageException(StorageException.Kind.FAILED, "cannot write a.wav.emotion.json: its folder is on a "
                        + "read-only file system"),
                new java.io.UncheckedIOException(new IOException("No space left on device")),
                new java.io.UncheckedIOException("writing the result", new IOException()),
                new java.io.UncheckedIOException(new IOException()),
                new NullPointerException());
        List<String> words = List.of("cannot write a.wav.emotion.json: its folder is on a read-only file system",
                "No space left on device", "writing the result", "input/output error",
                "null pointer (an unexpected failure in moodtag)");
        ResultWriter failing = new ResultWriter(metrics) {
            final AtomicInteger n = new AtomicInteger();

            @Override
            public void write(ObjectStorage store, ObjectRef resultRef, JsonNode result) {
                int i = n.getAndIncrement();
                if (i < failures.size()) throw failures.get(i);
                super.write(store, resultRef, result);
            }
        };
        List<String> warned = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                String m = r.getMessage() == null ? "" : r.getParameters() == null ? r.getMessage()
                        : String.format(r.getMessage(), r.getParameters());
                if (m.contains("result not rewritten")) warned.add(m);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(BatchTagger.class.getName());
        log.addHandler(handler);
        BatchSummary s;
        try {
            s = run(dir, labeller, failing, new AtomicBoolean(), false, true, new HashMap<>());
        } finally {
            log.removeHandler(handler);
        }
        System.out.println(String.join("\n", warned));
        assertEquals(failures.size(), s.speech().left(), s.speech().line());
        assertEquals(failures.size(), warned.size(), warned.toString());
        for (int i = 0; i < words.size(); i++) {
            String w = warned.get(i);
            assertTrue(w.endsWith(": result not rewritten by the batch's second pass: " + words.get(i)), w);
            assertFalse(w.contains("Exception") || w.contains("java."), w);
        }
    }

    /** A stop set only once the last result is rewritten leaves nothing undone: the batch is not stopped. */
    @Test
    void aStopAfterTheLastRewriteIsNoStop() throws IOException {
        Path dir = BatchSpeechTest.clips("stop-late", MIXED);
        AtomicBoolean late = new AtomicBoolean();
        CountingWriter all = new CountingWriter(n -> {
            if (n == 16) late.set(true);
        });
        Map<String, byte[]> firstPass = new HashMap<>();
        BatchSummary whole = run(dir, labeller, all, late, false, true, firstPass);
        assertTrue(late.get());
        assertEquals(16, all.rewrites.get());
        assertEquals(0, firstPassResults(dir, firstPass, EmotionResult.SCHEMA_OVER_BATCH));
        assertEquals(16, whole.speech().rewritten());
        assertEquals(0, whole.speech().leftByStop());
        assertFalse(whole.stopped(), "a stop after the last rewrite left nothing undone");
        assertNull(whole.toContinue());
        assertFalse(whole.speech().line().contains("stopped"), whole.speech().line());
        String html = Files.readString(new BatchReport().write(whole, BatchSpeechTest.WORK.resolve("stop-late-report"), "t"));
        assertFalse(html.contains("stopped"), html);
    }

    /** Without a second pass, a stop set as the last object finishes leaves nothing undone: not a stopped batch. */
    @Test
    void aStopAsTheLastObjectFinishesIsNoStopWithoutASecondPass() throws IOException {
        Path dir = BatchSpeechTest.clips("stop-last", MIXED.subList(0, 3));
        AtomicBoolean stop = new AtomicBoolean();
        BatchTagger tagger = new BatchTagger(recognizer, labeller, results, new ResultWriter(metrics),
                BatchSpeechTest.defaults());
        BatchSummary s = tagger.tag(sources.resolve(dir.toString(), ".emotion.json"), 1, true, (row, done, total) -> {
            if (done == total) stop.set(true);
        }, stop);
        assertTrue(stop.get());
        assertEquals(Map.of("processed", 3L), s.outcomes());
        assertFalse(s.stopped(), "every object was tagged");
        assertNull(s.toContinue());
    }
}
