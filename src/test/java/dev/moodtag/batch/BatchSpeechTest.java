package dev.moodtag.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.function.FileTrees;
import dev.moodtag.function.FunctionFixtures;
import dev.moodtag.fuse.GroupStandardiser;
import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.label.NoClassifierLabeller;
import dev.moodtag.label.RecordingGuard;
import dev.moodtag.label.RecordingRelabeller;
import dev.moodtag.label.SvmLabeller;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.tagging.EmotionResult;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.ResultLocator;
import dev.moodtag.tagging.ResultWriter;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.train.TrainingProgress;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag tag --speech-over-batch} on real EmoDB clips with the shipped models: a mixed batch's clips are
 * labelled again with their speech standardised over the batch, exactly as {@link RecordingRelabeller} labels the
 * same clips' samples computed here on their own; the guard refuses a batch of one emotion and a batch too small,
 * saying why in every result; a file or result changed between the passes is not rewritten; without the option the
 * results are byte for byte the first pass's. With {@code --self-train}, a batch of enough clips is labelled by the
 * recording part trained again over it.
 */
@QuarkusTest
@TestProfile(BatchTagTest.Profile.class)
@Tag("quarkus")
class BatchSpeechTest {

    static final Path WORK = Path.of("target", "batch-speech-test").toAbsolutePath();
    static final ObjectMapper WRITTEN = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Four speakers, each neutral, happy, sad and angry. */
    static final List<String> MIXED = List.of("03a01Fa", "03a01Nc", "03a01Wa", "03a02Ta", "08a01Fd", "08a01Na", "08a01Wa",
            "08a02Tb", "09a01Fa", "09a01Nb", "09a01Wb", "09a05Tb", "10a01Nb", "10a01Wa", "10a02Fa", "10a05Tb");
    /** Twelve speakers' anger. */
    static final List<String> ANGRY = List.of("03a01Wa", "08a01Wa", "09a01Wb", "10a01Wa", "11a01Wc", "12a01Wc", "13a01Wb",
            "14a01Wa", "15a01Wa", "16a01Wb", "03a04Wc", "08a02Wc");
    static final Set<String> DIFFERS_AFTER_SECOND_PASS = Set.of("schema", "label", "labelReason", "probabilities",
            "modalities", EmotionResult.SPEECH_STANDARDISATION, EmotionResult.FIRST_PASS_LABEL);

    @Inject
    BatchSources sources;
    @Inject
    BatchTagger tagger;
    @Inject
    Recognizer recognizer;
    @Inject
    Labeller labeller;
    @Inject
    ResultLocator results;
    @Inject
    ResultWriter writer;
    @Inject
    EmbeddingEngine engine;
    @Inject
    MediaDecoder decoder;

    static Path clips(String name, List<String> ids, String... samples) throws IOException {
        Path dir = WORK.resolve(name);
        FileTrees.deleteQuietly(dir);
        Files.createDirectories(dir);
        for (String id : ids) Files.copy(Fixtures.shared("data/emodb/wav/" + id + ".wav"), dir.resolve(id + ".wav"));
        for (String s : samples) Files.copy(Fixtures.sample(s), dir.resolve(s));
        return dir;
    }

    /** Runs a batch on one worker (clips finish in name order), keeping each row's first-pass result by file name. */
    private BatchSummary run(Path dir, BatchTagger with, boolean force, BatchConfig.SpeechOverBatch speech,
                             Map<String, JsonNode> firstPass, BatchTagger.Listener more) {
        List<BatchItem> items = sources.resolve(dir.toString(), ".emotion.json");
        return with.tag(items, 1, force, (row, done, total) -> {
            if (row.result() != null) firstPass.put(name(row.object()), row.result());
            more.finished(row, done, total);
        }, new AtomicBoolean(), speech);
    }

    @Test
    void aMixedBatchIsLabelledAgainAsTheRecordingRelabellerLabelsItsClipsAndAFileChangedBetweenThePassesIsLeft() throws IOException {
        Path dir = clips("mixed", MIXED, "John_Brady_0002.jpg");
        Map<String, JsonNode> firstPass = new HashMap<>();
        byte[][] replaced = {null};
        BatchSummary s = run(dir, tagger, false, BatchConfig.SpeechOverBatch.AUTO, firstPass, (row, done, total) -> {
            if (done < total) return;
            // Between the passes: one clip grows (a re-upload), another's result is replaced by someone else's.
            try {
                Files.write(dir.resolve("10a05Tb.wav"), new byte[]{0, 0}, StandardOpenOption.APPEND);
                ObjectNode other = firstPass.get("09a05Tb.wav").deepCopy();
                other.put("requestId", "someone-else");
                replaced[0] = WRITTEN.writeValueAsBytes(other);
                Files.write(dir.resolve("09a05Tb.wav.emotion.json"), replaced[0]);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(17, firstPass.size(), "every object was tagged in this run");

        // The same clips, embedded and labelled here on their own, relabelled by the recording path's rule.
        Labeller.OverRecording over = labeller.overRecording().orElseThrow(() -> new AssertionError(
                "the shipped classifier has a part trained on speech standardised per speaker"));
        List<float[][]> samples = new ArrayList<>();
        List<Labelling> alone = new ArrayList<>();
        for (String id : MIXED) { // name order, as one worker finished them
            UtteranceEmbeddings e = engine.decodeAndEmbed(decoder, dir.resolve(id + ".wav"), null).embeddings();
            samples.add(over.sample(e));
            alone.add(labeller.label(e));
        }
        RecordingRelabeller.Outcome expected = RecordingRelabeller.relabel(over, RecordingGuard.DEFAULT, labeller.classes(),
                samples, alone);
        assertTrue(expected.verdict().standardised(), expected.verdict().toString());

        BatchSpeech verdict = s.speech();
        assertNotNull(verdict);
        assertEquals("batch", verdict.over(), verdict.toString());
        assertEquals(16, verdict.clips(), "the picture has no speech: not a clip of the batch's statistics");
        assertEquals(14, verdict.rewritten());
        assertEquals(2, verdict.left(), "the grown clip and the replaced result");
        assertNull(verdict.reason());
        assertEquals(expected.verdict().dominant(), verdict.firstPassDominant());

        Map<String, BatchRow> rows = s.rows().stream().collect(Collectors.toMap(r -> name(r.object()), r -> r));
        int changed = 0;
        for (int i = 0; i < MIXED.size(); i++) {
            String file = MIXED.get(i) + ".wav";
            JsonNode first = firstPass.get(file);
            assertEquals(alone.get(i).label(), first.path("label").asText(), file + ": the first pass is the lone clip's label");
            byte[] bytes = Files.readAllBytes(dir.resolve(file + ".emotion.json"));
            if (file.equals("10a05Tb.wav")) {
                assertArrayEquals(WRITTEN.writeValueAsBytes(first), bytes, "a clip changed since the first pass is not rewritten");
                assertEquals(first.path("label").asText(), rows.get(file).label());
                continue;
            }
            if (file.equals("09a05Tb.wav")) {
                assertArrayEquals(replaced[0], bytes, "a result someone else replaced is left as it is");
                continue;
            }
            JsonNode r = FunctionFixtures.validResult(bytes);
            Labelling want = expected.labellings().get(i);
            assertEquals(EmotionResult.schemaOf(r.path("source").has("fileVersion"), EmotionResult.SCHEMA_OVER_BATCH),
                    r.path("schema").asText());
            assertEquals(want.label(), r.path("label").asText(), file);
            assertEquals(want.label(), rows.get(file).label(), "the index shows the final label");
            assertEquals(WRITTEN.valueToTree(want.probabilities()).toString(), r.path("probabilities").toString(), file);
            assertEquals(WRITTEN.valueToTree(want.perModality().get("speech")).toString(),
                    r.path("modalities").path("speech").path("probabilities").toString());
            assertEquals(first.path("label").asText(), r.path(EmotionResult.FIRST_PASS_LABEL).asText());
            JsonNode said = r.path(EmotionResult.SPEECH_STANDARDISATION);
            assertEquals("batch", said.path("over").asText());
            assertEquals(16, said.path("segments").asInt());
            assertTrue(said.path("reason").isNull());
            // Everything else is the first pass's document as written.
            for (Iterator<String> f = first.fieldNames(); f.hasNext(); ) {
                String field = f.next();
                if (!DIFFERS_AFTER_SECOND_PASS.contains(field))
                    assertEquals(String.valueOf(first.get(field)), String.valueOf(r.get(field)), file + " " + field);
            }
            if (!want.label().equals(first.path("label").asText())) changed++;
        }
        assertEquals(changed, verdict.changedLabels());
        assertTrue(changed > 0, "the batch's statistics change some labels, or this test could not tell the passes apart");
        // The picture is not a clip of the batch: its result is the first pass's, byte for byte (schema 2.4).
        assertArrayEquals(WRITTEN.writeValueAsBytes(firstPass.get("John_Brady_0002.jpg")),
                Files.readAllBytes(dir.resolve("John_Brady_0002.jpg.emotion.json")));
        Path out = WORK.resolve("mixed-report");
        String html = Files.readString(new BatchReport().write(s, out, "mixed"));
        assertTrue(html.contains("Speech over the batch: standardised over the batch: 16 clip(s), 14 result(s) rewritten"), html);
    }

    @Test
    void aBatchOfOneEmotionIsRefusedByTheGuardAndEveryResultSaysWhy() throws IOException {
        Path dir = clips("angry", ANGRY);
        Map<String, JsonNode> firstPass = new HashMap<>();
        BatchSummary s = run(dir, tagger, false, BatchConfig.SpeechOverBatch.AUTO, firstPass, (row, done, total) -> { });
        BatchSpeech verdict = s.speech();
        assertEquals("utterance", verdict.over(), verdict.toString());
        assertEquals(12, verdict.clips());
        assertEquals("angry", verdict.firstPassDominant());
        assertTrue(verdict.reason().matches("\\d+ % of the first pass's labels are angry, above the guard's 65 %"), verdict.reason());
        assertEquals(12, verdict.rewritten());
        assertEquals(0, verdict.changedLabels());
        for (String id : ANGRY) {
            JsonNode first = firstPass.get(id + ".wav");
            JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(dir.resolve(id + ".wav.emotion.json")));
            assertEquals(first.path("label").asText(), r.path("label").asText(), "the first pass's label is kept");
            assertEquals(first.path("probabilities").toString(), r.path("probabilities").toString());
            assertFalse(r.has(EmotionResult.FIRST_PASS_LABEL));
            assertEquals("utterance", r.path(EmotionResult.SPEECH_STANDARDISATION).path("over").asText());
            assertEquals(verdict.reason(), r.path(EmotionResult.SPEECH_STANDARDISATION).path("reason").asText());
        }
    }

    @Test
    void offByDefaultTheResultsAreTheFirstPassByteForByteAndASmallBatchOrSkippedClipsAreRefused() throws IOException {
        List<String> five = MIXED.subList(0, 5);
        Path dir = clips("five", five);
        Map<String, JsonNode> firstPass = new HashMap<>();
        // The default (moodtag.batch.speech-over-batch=off): no second pass, results exactly what the first pass wrote.
        BatchSummary off = tagger.tag(sources.resolve(dir.toString(), ".emotion.json"), 1, false,
                (row, done, total) -> firstPass.put(name(row.object()), row.result()), new AtomicBoolean());
        assertNull(off.speech());
        for (String id : five) {
            byte[] bytes = Files.readAllBytes(dir.resolve(id + ".wav.emotion.json"));
            assertArrayEquals(WRITTEN.writeValueAsBytes(firstPass.get(id + ".wav")), bytes, id);
            JsonNode r = FunctionFixtures.validResult(bytes);
            assertEquals(EmotionResult.schemaOf(r.path("source").has("fileVersion"), EmotionResult.SCHEMA),
                    r.path("schema").asText());
        }
        // Asked for, on clips that already have a result: skipped clips do not join the statistics.
        BatchSummary skipped = run(dir, tagger, false, BatchConfig.SpeechOverBatch.AUTO, new HashMap<>(), (row, done, total) -> { });
        assertEquals(5, skipped.outcomes().get("skipped"));
        assertEquals("0 clip(s) with speech; standardising over a batch needs 10", skipped.speech().reason());
        assertEquals(0, skipped.speech().rewritten());
        // Redone: five clips are fewer than the guard's ten.
        BatchSummary few = run(dir, tagger, true, BatchConfig.SpeechOverBatch.AUTO, firstPass, (row, done, total) -> { });
        assertEquals("5 clip(s) with speech; standardising over a batch needs 10", few.speech().reason());
        assertEquals(5, few.speech().rewritten());
        for (String id : five) {
            JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(dir.resolve(id + ".wav.emotion.json")));
            assertEquals(firstPass.get(id + ".wav").path("label").asText(), r.path("label").asText());
            assertEquals(few.speech().reason(), r.path(EmotionResult.SPEECH_STANDARDISATION).path("reason").asText());
        }
        // A rewritten result is still current: the next run skips it.
        BatchSummary again = run(dir, tagger, false, BatchConfig.SpeechOverBatch.OFF, new HashMap<>(), (row, done, total) -> { });
        assertEquals(5, again.outcomes().get("skipped"), again.rows().toString());
        // A classifier without parts over speech standardised per speaker: said once, every clip per utterance.
        BatchTagger plain = new BatchTagger(recognizer, new NoClassifierLabeller("none here"), results, writer, defaults());
        BatchSummary none = run(dir, plain, true, BatchConfig.SpeechOverBatch.AUTO, new HashMap<>(), (row, done, total) -> { });
        assertEquals(BatchTagger.NO_RECORDING_PARTS, none.speech().reason());
        assertEquals(0, none.speech().clips());
        for (String id : five)
            assertFalse(Files.readString(dir.resolve(id + ".wav.emotion.json")).contains(EmotionResult.SPEECH_STANDARDISATION));
    }

    private BatchSummary selfTrained(Path dir, BatchTagger tagger, int workers, Map<String, JsonNode> firstPass) {
        return tagger.tag(sources.resolve(dir.toString(), ".emotion.json"), workers, true, (row, done, total) -> {
            synchronized (firstPass) {
                if (row.result() != null) firstPass.put(name(row.object()), row.result());
            }
        }, new AtomicBoolean(), BatchConfig.SpeechOverBatch.AUTO, BatchConfig.SelfTrain.AUTO);
    }

    private BatchTagger tagger(Labeller with, int selfTrainMinClips) {
        return new BatchTagger(recognizer, with, results, writer,
                config(BatchConfig.SelfTrain.OFF, 0.25, selfTrainMinClips, 100));
    }

    /**
     * {@code --self-train}: a batch the guard lets through, with as many clips as self-training needs, is labelled by
     * the recording part trained again with its most confident clip of each predicted class, exactly as that part,
     * retrained here from the same clips embedded on their own, labels them; every result says so (schema 2.6),
     * written once; the same folder with 2 workers gives the same bytes.
     */
    @Test
    void aBatchWithEnoughClipsIsLabelledByThePartRetrainedOnItsMostConfidentClipsTheSameWithTwoWorkers() throws IOException {
        Path dir = clips("self-train", MIXED);
        Map<String, JsonNode> firstPass = new HashMap<>();
        BatchSummary s = selfTrained(dir, tagger(labeller, 10), 1, firstPass);

        // The same clips embedded here on their own, standardised over the 16, labelled; the most confident clip of
        // each predicted class (q = 0.25: round(0.25 × 16 / 4) = 1) added to the shipped rows; the part retrained.
        Labeller.OverRecording over = labeller.overRecording().orElseThrow();
        List<float[][]> samples = new ArrayList<>();
        for (String id : MIXED) {
            UtteranceEmbeddings e = engine.decodeAndEmbed(decoder, dir.resolve(id + ".wav"), null).embeddings();
            samples.add(over.sample(e));
        }
        List<float[][]> standardised = GroupStandardiser.standardise(samples, over.blocks(), null);
        Map<String, Integer> best = new HashMap<>();
        Map<String, Double> bestP = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Labelling l = over.label(samples.get(i), standardised.get(i));
            double p = l.probabilities().get(l.label());
            if (!bestP.containsKey(l.label()) || p > bestP.get(l.label())) {
                bestP.put(l.label(), p);
                best.put(l.label(), i);
            }
        }
        assertEquals(4, best.size(), "every class predicted in the batch, or this test adds nothing: " + bestP);
        List<String> order = labeller.classes();
        List<Integer> picked = best.entrySet().stream().sorted(Comparator.comparingInt(e -> order.indexOf(e.getKey())))
                .map(Map.Entry::getValue).toList();
        Labeller.OverRecording retrained = over.retrained(picked.stream().map(standardised::get).toList(),
                picked.stream().map(i -> labelOf(over, samples.get(i), standardised.get(i))).toList(),
                TrainingProgress.SILENT);

        BatchSpeech verdict = s.speech();
        assertEquals("batch", verdict.over(), verdict.toString());
        assertTrue(verdict.selfTraining().startsWith("self-trained on 4 clip(s) of the batch (1 per class, share 0.25"),
                verdict.selfTraining());
        assertTrue(verdict.line().contains("self-trained on 4 clip(s) of the batch"), verdict.line());
        assertEquals(16, verdict.rewritten());
        int changedFromStandardised = 0;
        Map<String, String> written = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            String file = MIXED.get(i) + ".wav";
            byte[] bytes = Files.readAllBytes(dir.resolve(file + ".emotion.json"));
            JsonNode r = FunctionFixtures.validResult(bytes);
            Labelling want = retrained.label(samples.get(i), standardised.get(i));
            assertEquals(EmotionResult.schemaOf(r.path("source").has("fileVersion"), EmotionResult.SCHEMA_SELF_TRAINED),
                    r.path("schema").asText());
            assertEquals(want.label(), r.path("label").asText(), file);
            assertEquals(WRITTEN.valueToTree(want.probabilities()).toString(), r.path("probabilities").toString());
            assertEquals(firstPass.get(file).path("label").asText(), r.path(EmotionResult.FIRST_PASS_LABEL).asText(),
                    "written once, over the first pass: its label is the first pass's");
            JsonNode st = r.path(EmotionResult.SPEECH_STANDARDISATION).path("selfTrained");
            assertEquals(4, st.path("clipsAdded").asInt());
            assertEquals(1, st.path("perClass").asInt());
            assertEquals(0.25, st.path("share").asDouble());
            if (!want.label().equals(over.label(samples.get(i), standardised.get(i)).label())) changedFromStandardised++;
            written.put(file, r.path("label") + " " + r.path("probabilities") + " " + r.path("modalities"));
        }
        System.out.printf("self-training changed %d of 16 labels from the second pass's%n", changedFromStandardised);

        // The same folder again, 2 workers: the same labels and probabilities, to the byte.
        BatchSummary two = selfTrained(dir, tagger(labeller, 10), 2, new HashMap<>());
        assertEquals(verdict.selfTraining().replaceAll("retraining [0-9.]+ s", ""),
                two.speech().selfTraining().replaceAll("retraining [0-9.]+ s", ""));
        for (String file : written.keySet()) {
            JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(dir.resolve(file + ".emotion.json")));
            assertEquals(written.get(file), r.path("label") + " " + r.path("probabilities") + " " + r.path("modalities"), file);
        }
    }

    /**
     * A batch under the self-training clip minimum, and a classifier whose recording part ships no rows, are left as the
     * second pass labels them, and the summary says why.
     */
    @Test
    void aBatchUnderTheClipMinimumOrAPackWithoutRowsIsLabelledByTheSecondPassAndSaysWhy() throws IOException {
        Path dir = clips("self-train-not", MIXED);
        BatchSummary few = selfTrained(dir, tagger(labeller, 300), 1, new HashMap<>());
        assertEquals("not self-trained: 16 clip(s) standardised over the batch; self-training needs 300 "
                + "(moodtag.batch.self-train-min-clips)", few.speech().selfTraining());
        assertEquals("batch", few.speech().over());
        for (String id : MIXED) {
            JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(dir.resolve(id + ".wav.emotion.json")));
            assertEquals(EmotionResult.schemaOf(r.path("source").has("fileVersion"), EmotionResult.SCHEMA_OVER_BATCH),
                    r.path("schema").asText());
            assertFalse(r.path(EmotionResult.SPEECH_STANDARDISATION).has("selfTrained"));
        }

        EmotionClassifier shipped = ClassifierStore.load(Path.of("models", "classifier")).classifier();
        EmotionClassifier noRows = new EmotionClassifier(shipped.mode(), shipped.classes(), shipped.layout(),
                shipped.parts().stream().map(p -> p.withRows(null)).toList(), shipped.weights());
        BatchSummary none = selfTrained(dir, tagger(new SvmLabeller(noRows, labeller.description()), 10), 1, new HashMap<>());
        assertEquals("not self-trained: the classifier's recording part (parts[3]) ships no training rows (exported "
                + "before moodtag train --export wrote them; export it again)", none.speech().selfTraining());
        assertNull(none.speech().reason());
        for (String id : MIXED) {
            JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(dir.resolve(id + ".wav.emotion.json")));
            assertEquals(EmotionResult.schemaOf(r.path("source").has("fileVersion"), EmotionResult.SCHEMA_OVER_BATCH),
                    r.path("schema").asText());
        }
    }

    private static String labelOf(Labeller.OverRecording over, float[][] sample, float[][] standardised) {
        return over.label(sample, standardised).label();
    }

    static BatchConfig defaults() {
        return config(BatchConfig.SelfTrain.OFF, 0.25, 300, 100);
    }

    /** The defaults but for self-training's settings. */
    static BatchConfig config(BatchConfig.SelfTrain selfTrain, double share, int selfTrainMinClips, int maxPerClass) {
        return new BatchConfig() {
            @Override
            public SelfTrain selfTrain() {
                return selfTrain;
            }

            @Override
            public double selfTrainShare() {
                return share;
            }

            @Override
            public int selfTrainMinClips() {
                return selfTrainMinClips;
            }

            @Override
            public int selfTrainMaxPerClass() {
                return maxPerClass;
            }

            @Override
            public SpeechOverBatch speechOverBatch() {
                return SpeechOverBatch.OFF;
            }

            @Override
            public int minClips() {
                return 10;
            }

            @Override
            public double maxDominantShare() {
                return 0.65;
            }
        };
    }

    static String name(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}
