package dev.moodtag.classify;

import dev.moodtag.fuse.EncoderFingerprint;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.media.Modality;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelFile;
import dev.moodtag.pack.ModelPack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierStoreTest {

    private static EncoderSpec text(int dim, String modelSha, Map<String, Object> params) {
        return new EncoderSpec("text-bge-small", Modality.TEXT, "bert-text",
                Map.of("model", new ModelFile("model", "classpath:m.onnx", null, modelSha, "int8")),
                Map.of(), Map.of(), params, dim, "int8", "MIT", "test");
    }

    private static EncoderSpec speech() {
        return new EncoderSpec("speech-acoustic", Modality.SPEECH, "acoustic-functionals", Map.of(), Map.of(), Map.of(),
                Map.of(), 4, "fp32", "Apache-2.0", "test");
    }

    private static ModelPack pack(EncoderSpec... encoders) {
        return new ModelPack("test-pack", "1", "", Path.of("pack.json"), Path.of("."), List.of(encoders), Optional.empty());
    }

    /** A late-fusion classifier over a 3-d text block and a 4-d speech block, trained on separable data. */
    private static EmotionClassifier trained(EncoderSpec textSpec, EncoderSpec speechSpec) {
        return trained(textSpec, speechSpec, ClassifierTypes.LIBSVM);
    }

    private static EmotionClassifier trained(EncoderSpec textSpec, EncoderSpec speechSpec, ClassifierType<SvmParams> type) {
        FeatureLayout layout = new FeatureLayout(List.of(
                new FeatureBlock(textSpec.id(), Modality.TEXT, 3, EncoderFingerprint.of(pack(textSpec, speechSpec), textSpec)),
                new FeatureBlock(speechSpec.id(), Modality.SPEECH, 4, EncoderFingerprint.of(pack(textSpec, speechSpec), speechSpec))));
        Random r = new Random(5);
        List<float[][]> samples = new ArrayList<>();
        int n = 60;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            float[] t = {(float) (3 * y[i] + r.nextGaussian()), (float) r.nextGaussian(), 100f};
            float[] a = {(float) r.nextGaussian(), (float) (2 * y[i] + r.nextGaussian()), 1, -1};
            samples.add(new float[][]{t, a});
        }
        int[] rows = IntStream.range(0, n).toArray();
        SvmParams p = new SvmParams(SvmParams.Kernel.RBF, 1, 0.3, true, SvmParams.ClassWeighting.BALANCED);
        List<FusedSvm> parts = List.of(FusedSvm.train(layout, samples, rows, y, 2, new int[]{0}, false, type, p),
                FusedSvm.train(layout, samples, rows, y, 2, new int[]{1}, false, type, p));
        return new EmotionClassifier(FusionMode.LATE, List.of("neutral", "angry"), layout, parts, new double[]{1, 1});
    }

    private static EncoderSpec vad(double threshold) {
        return new EncoderSpec("silero-vad-v5", Modality.SPEECH, "silero-vad",
                Map.of("model", new ModelFile("model", "speech/silero_vad_v5.onnx", null, "c".repeat(64), "fp32")),
                Map.of(), Map.of(), Map.of("threshold", threshold, "minSpeechMs", 250), 1, "fp32", "MIT", "test");
    }

    private static ModelPack packWithVad(EncoderSpec vad, EncoderSpec... encoders) {
        return new ModelPack("test-pack", "1", "", Path.of("pack.json"), Path.of("."), List.of(encoders), Optional.of(vad));
    }

    @Test
    void aSpeechBlockCutByAnotherVoiceActivityDetectorIsRefusedAndTheOthersAreNot(@TempDir Path dir) {
        // The detector's regions are all a speech encoder sees: the same encoder under another detector threshold
        // gives other vectors. Before, the fingerprint left the detector out, so such a classifier (and the feature
        // cache) was taken as matching.
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        EncoderSpec unvoiced = new EncoderSpec("speech-whole-track", Modality.SPEECH, "acoustic-functionals", Map.of(),
                Map.of(), Map.of(), Map.of("vad", false), 4, "fp32", "Apache-2.0", "test");
        ModelPack trainedOn = packWithVad(vad(0.5), t, s, unvoiced), other = packWithVad(vad(0.4), t, s, unvoiced);
        assertTrue(!EncoderFingerprint.of(trainedOn, s).equals(EncoderFingerprint.of(other, s)),
                "the speech encoder's fingerprint follows the detector");
        assertEquals(EncoderFingerprint.of(trainedOn, t), EncoderFingerprint.of(other, t), "text hears no detector");
        assertEquals(EncoderFingerprint.of(trainedOn, unvoiced), EncoderFingerprint.of(other, unvoiced),
                "a speech encoder with \"vad\": false hears no detector");
        assertEquals(EncoderFingerprint.of(pack(t, s), t), EncoderFingerprint.of(trainedOn, t));

        FeatureLayout layout = new FeatureLayout(List.of(
                new FeatureBlock(t.id(), Modality.TEXT, 3, EncoderFingerprint.of(trainedOn, t)),
                new FeatureBlock(s.id(), Modality.SPEECH, 4, EncoderFingerprint.of(trainedOn, s))));
        assertEquals(List.of(), ClassifierStore.mismatches(layout, trainedOn));
        List<String> problems = ClassifierStore.mismatches(layout, other);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("block 'speech-acoustic'") && problems.get(0).contains("voice-activity detector"),
                problems.get(0));
    }

    @Test
    void roundTripsAndLoadsAgainstTheMatchingPack(@TempDir Path dir) {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        EmotionClassifier clf = trained(t, s);
        ClassifierStore.save(dir, clf, Map.of("manifestSha256", "b".repeat(64)));
        ClassifierStore.Stored loaded = ClassifierStore.load(dir, pack(t, s));
        assertEquals("b".repeat(64), loaded.training().path("manifestSha256").asText());
        float[][] sample = {{3, 0, 100}, {0, 2, 1, -1}};
        assertArrayEquals(clf.predict(sample).probabilities(), loaded.classifier().predict(sample).probabilities(), 1e-12);
        assertEquals(1, loaded.classifier().predict(sample).label());
        // late fusion serves a missing modality with the part that is there
        EmotionClassifier.Prediction textOnly = loaded.classifier().predict(new float[][]{{3, 0, 100}, null});
        assertEquals(List.of(0), textOnly.partsUsed());
        assertEquals(1, textOnly.label());
    }

    @Test
    void roundTripsALogisticRegressionPartWithIdenticalProbabilities(@TempDir Path dir) throws Exception {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        EmotionClassifier clf = trained(t, s, ClassifierTypes.LIBLINEAR_LOGISTIC);
        ClassifierStore.save(dir, clf, Map.of());
        assertTrue(java.nio.file.Files.readString(dir.resolve(ClassifierStore.FILE)).contains("\"liblinear-logistic\""));
        EmotionClassifier loaded = ClassifierStore.load(dir, pack(t, s)).classifier();
        assertEquals("liblinear-logistic", loaded.parts().get(0).model().type());
        for (float[][] sample : List.of(new float[][]{{3, 0, 100}, {0, 2, 1, -1}}, new float[][]{{0.4f, -1, 100}, null},
                new float[][]{null, {0.3f, 0.9f, 1, -1}})) {
            EmotionClassifier.Prediction before = clf.predict(sample), after = loaded.predict(sample);
            assertArrayEquals(before.probabilities(), after.probabilities(), 0, "bit-identical after store and load");
            assertEquals(before.label(), after.label());
        }
        assertEquals(1, loaded.predict(new float[][]{{3, 0, 100}, {0, 2, 1, -1}}).label());
        long bytes = java.nio.file.Files.size(dir.resolve("svm-0.model.gz"));
        assertTrue(bytes < 1024, "a weight vector, not support vectors: " + bytes + " bytes");
    }

    @Test
    void refusesALinearClassifierWhoseFeatureLayoutDoesNotMatchThePack(@TempDir Path dir) {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        ClassifierStore.save(dir, trained(t, s, ClassifierTypes.LIBLINEAR_LOGISTIC), Map.of());
        var otherModel = assertThrows(ClassifierLayoutException.class,
                () -> ClassifierStore.load(dir, pack(text(3, "c".repeat(64), Map.of("pooling", "cls")), s)));
        assertTrue(otherModel.getMessage().contains("text-bge-small") && otherModel.getMessage().contains("fingerprint"),
                otherModel.getMessage());
        var otherDim = assertThrows(ClassifierLayoutException.class,
                () -> ClassifierStore.load(dir, pack(text(384, "a".repeat(64), Map.of("pooling", "cls")), s)));
        assertTrue(otherDim.getMessage().contains("3-d") && otherDim.getMessage().contains("384-d"), otherDim.getMessage());
    }

    @Test
    void refusesAModelFileWhoseSolverIsNotTheRecordedType(@TempDir Path dir) throws Exception {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        ClassifierStore.save(dir, trained(t, s, ClassifierTypes.LIBLINEAR_LOGISTIC), Map.of());
        Path json = dir.resolve(ClassifierStore.FILE);
        String original = java.nio.file.Files.readString(json);
        java.nio.file.Files.writeString(json, original.replace("\"liblinear-logistic\"", "\"liblinear-svm\""));
        var wrongSolver = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> ClassifierStore.load(dir));
        assertTrue(wrongSolver.getMessage().contains("liblinear-logistic model, not liblinear-svm"), wrongSolver.getMessage());
        // a LIBSVM file under a LIBLINEAR type, and a LIBLINEAR file under the LIBSVM type
        java.nio.file.Files.writeString(json, original.replace("\"liblinear-logistic\"", "\"libsvm\""));
        assertThrows(dev.moodtag.pack.ModelPackException.class, () -> ClassifierStore.load(dir));
    }

    @Test
    void refusesAClassifierWhoseFeatureLayoutDoesNotMatchThePack(@TempDir Path dir) {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        ClassifierStore.save(dir, trained(t, s), Map.of());

        var otherModel = assertThrows(ClassifierLayoutException.class,
                () -> ClassifierStore.load(dir, pack(text(3, "c".repeat(64), Map.of("pooling", "cls")), s)));
        assertTrue(otherModel.getMessage().contains("text-bge-small") && otherModel.getMessage().contains("fingerprint"),
                otherModel.getMessage());
        var otherPooling = assertThrows(ClassifierLayoutException.class,
                () -> ClassifierStore.load(dir, pack(text(3, "a".repeat(64), Map.of("pooling", "mean")), s)));
        assertTrue(otherPooling.getMessage().contains("text-bge-small"), otherPooling.getMessage());
        var otherDim = assertThrows(ClassifierLayoutException.class,
                () -> ClassifierStore.load(dir, pack(text(384, "a".repeat(64), Map.of("pooling", "cls")), s)));
        assertTrue(otherDim.getMessage().contains("3-d") && otherDim.getMessage().contains("384-d"), otherDim.getMessage());
        var noSpeech = assertThrows(ClassifierLayoutException.class, () -> ClassifierStore.load(dir, pack(t)));
        assertTrue(noSpeech.getMessage().contains("speech-acoustic"), noSpeech.getMessage());
    }

    @Test
    void combinesSeparatelyTrainedClassifiersIntoOneLateFusion(@TempDir Path dir) {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        EmotionClassifier both = trained(t, s);
        FeatureLayout textOnly = new FeatureLayout(List.of(both.layout().block(0)));
        FeatureLayout speechOnly = new FeatureLayout(List.of(both.layout().block(1)));
        // as if exported by two runs on two corpora: one single-block classifier each
        EmotionClassifier textClf = new EmotionClassifier(FusionMode.LATE, both.classes(), textOnly, List.of(new FusedSvm(
                new dev.moodtag.fuse.EarlyFusion(textOnly, new int[]{0}, both.parts().get(0).fusion().scalers(), new double[]{1}),
                both.parts().get(0).model(), both.parts().get(0).params())), new double[]{1});
        EmotionClassifier speechClf = new EmotionClassifier(FusionMode.LATE, both.classes(), speechOnly, List.of(new FusedSvm(
                new dev.moodtag.fuse.EarlyFusion(speechOnly, new int[]{0}, both.parts().get(1).fusion().scalers(), new double[]{1}),
                both.parts().get(1).model(), both.parts().get(1).params())), new double[]{1});
        EmotionClassifier combined = EmotionClassifier.combineLate(List.of(speechClf, textClf), new double[]{1, 1});
        assertEquals(List.of("speech-acoustic", "text-bge-small"), combined.layout().blocks().stream().map(FeatureBlock::id).toList());
        float[][] sample = {{0, 2, 1, -1}, {3, 0, 100}}; // in the combined layout's order
        assertArrayEquals(both.predict(new float[][]{sample[1], sample[0]}).probabilities(), combined.predict(sample).probabilities(), 1e-12);
        ClassifierStore.save(dir, combined, Map.of());
        assertEquals(2, ClassifierStore.load(dir, pack(t, s)).classifier().parts().size());
        assertThrows(IllegalArgumentException.class, () -> EmotionClassifier.combineLate(List.of(textClf,
                new EmotionClassifier(FusionMode.LATE, List.of("a", "b"), textOnly, textClf.parts(), new double[]{1})), new double[]{1, 1}));
    }

    @Test
    void aPartForRecordingsIsMarkedInTheFileAndLoadsAsOneAndAnUnknownMarkIsRefused(@TempDir Path dir) throws Exception {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        EmotionClassifier both = trained(t, s);
        EmotionClassifier marked = new EmotionClassifier(both.mode(), both.classes(), both.layout(),
                List.of(both.parts().get(0), both.parts().get(1).standardisedOver(StandardisedOver.RECORDING)), both.weights());
        ClassifierStore.save(dir, marked, Map.of());
        Path file = dir.resolve(ClassifierStore.FILE);
        String json = java.nio.file.Files.readString(file);
        assertEquals(1, json.split("\"standardisedOver\"", -1).length - 1, "only the recording part is marked");
        assertTrue(json.contains("\"standardisedOver\" : \"recording\""), json);
        EmotionClassifier loaded = ClassifierStore.load(dir, pack(t, s)).classifier();
        assertEquals(List.of(StandardisedOver.UTTERANCE, StandardisedOver.RECORDING), loaded.parts().stream().map(FusedSvm::over).toList());
        assertEquals(List.of(0), loaded.utteranceParts());
        // Combining keeps the mark, and a combined classifier's own part weights are multiplied, not replaced.
        assertEquals(StandardisedOver.RECORDING, EmotionClassifier.combineLate(List.of(loaded), new double[]{1}).parts().get(1).over());
        EmotionClassifier weighted = new EmotionClassifier(FusionMode.LATE, loaded.classes(), loaded.layout(), loaded.parts(),
                new double[]{0.8, 1.3});
        assertArrayEquals(new double[]{1.6, 2.6}, EmotionClassifier.combineLate(List.of(weighted), new double[]{2}).weights(), 1e-12);
        for (String bad : List.of("\"speaker\"", "\"RECORDING\"", "\"\"", "3")) {
            java.nio.file.Files.writeString(file, json.replace("\"recording\"", bad));
            var e = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> ClassifierStore.load(dir), bad);
            assertTrue(e.getMessage().contains("standardisedOver"), e.getMessage());
        }
    }

    /**
     * Numbers a classifier file can hold that no request survives: a zero or non-finite scale (every vector NaN or
     * infinite), negative or infinite weights, a model trained on vectors of another size (LIBLINEAR failed every
     * request with an internal error; LIBSVM read the missing features as 0). Each is refused when the file loads.
     */
    @Test
    void refusesAClassifierFileWhoseNumbersNoRequestSurvives(@TempDir Path dir) throws Exception {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (ClassifierType<SvmParams> type : List.of(ClassifierTypes.LIBSVM, ClassifierTypes.LIBLINEAR_LOGISTIC)) {
            ClassifierStore.save(dir, trained(t, s, type), Map.of());
            Path file = dir.resolve(ClassifierStore.FILE);
            String original = java.nio.file.Files.readString(file);
            ClassifierStore.load(dir, pack(t, s));
            Map<String, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>> edits = new java.util.LinkedHashMap<>();
            for (String v : List.of("0", "-2", "1e400", "-1e400"))
                edits.put("scale " + v, r -> scaler(r).withArray("scale").set(1, json.getNodeFactory().numberNode(Double.parseDouble(v))));
            edits.put("mean 1e400", r -> scaler(r).withArray("mean").set(0, json.getNodeFactory().numberNode(Double.POSITIVE_INFINITY)));
            edits.put("block weight -1", r -> ((com.fasterxml.jackson.databind.node.ArrayNode) r.at("/parts/0/blockWeights")).set(0, -1.0));
            edits.put("part weight infinite", r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.at("/parts/1")).put("weight", Double.POSITIVE_INFINITY));
            edits.put("part weight -0.5", r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.at("/parts/1")).put("weight", -0.5));
            edits.put("text block read as 2-d", r -> {
                ((com.fasterxml.jackson.databind.node.ObjectNode) r.at("/layout/0")).put("dim", 2);
                scaler(r).withArray("mean").remove(2);
                scaler(r).withArray("scale").remove(2);
            });
            // Before, LIBSVM's part loaded: its support vectors stop at feature 3, and the fourth was never read.
            edits.put("text block read as 4-d", r -> {
                ((com.fasterxml.jackson.databind.node.ObjectNode) r.at("/layout/0")).put("dim", 4);
                scaler(r).withArray("mean").add(0.0);
                scaler(r).withArray("scale").add(1.0);
            });
            for (var edit : edits.entrySet()) {
                var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(original);
                edit.getValue().accept(tree);
                // Written as text, so 1e400 reaches the reader as the number it would parse to infinity.
                java.nio.file.Files.writeString(file, tree.toString().replace("\"-Infinity\"", "-1e400")
                        .replace("\"Infinity\"", "1e400").replace("-Infinity", "-1e400").replace("Infinity", "1e400"));
                var e = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> ClassifierStore.load(dir),
                        type.name() + ": " + edit.getKey());
                assertTrue(e.getMessage().contains("inconsistent"), e.getMessage());
            }
        }
    }

    /**
     * Before, a late-fusion file whose parts have no probability estimates loaded, and every request then failed with
     * an IllegalStateException; a class named twice loaded, and the labeller merged the two classes' probabilities.
     */
    @Test
    void refusesALateFusionWithoutProbabilitiesAndAClassNamedTwice(@TempDir Path dir) throws Exception {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        EmotionClassifier probabilities = trained(t, s);
        SvmParams noProbabilities = new SvmParams(SvmParams.Kernel.RBF, 1, 0.3, false, SvmParams.ClassWeighting.BALANCED);
        FusedSvm plain = FusedSvm.train(probabilities.layout(), List.of(new float[][]{{0, 0, 100}, {0, 0, 1, -1}},
                        new float[][]{{3, 0, 100}, {0, 2, 1, -1}}, new float[][]{{0.2f, 0, 100}, {0, 0.1f, 1, -1}},
                        new float[][]{{3.1f, 0, 100}, {0, 2.2f, 1, -1}}), new int[]{0, 1, 2, 3}, new int[]{0, 1, 0, 1}, 2,
                new int[]{0, 1}, false, noProbabilities);
        ClassifierStore.save(dir, new EmotionClassifier(FusionMode.EARLY, probabilities.classes(), probabilities.layout(),
                List.of(plain), new double[]{1}), Map.of());
        Path file = dir.resolve(ClassifierStore.FILE);
        String early = java.nio.file.Files.readString(file);
        assertEquals(-1, ClassifierStore.load(dir).classifier().predict(new float[][]{null, null}).label(), "early fusion loads");
        java.nio.file.Files.writeString(file, early.replace("\"early\"", "\"late\""));
        var late = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> ClassifierStore.load(dir));
        assertTrue(late.getMessage().contains(file.toString()) && late.getMessage().contains("parts[0]")
                && late.getMessage().contains("probability estimates"), late.getMessage());

        ClassifierStore.save(dir, probabilities, Map.of());
        String json = java.nio.file.Files.readString(file);
        assertTrue(json.contains("\"neutral\", \"angry\""), json);
        java.nio.file.Files.writeString(file, json.replace("\"neutral\", \"angry\"", "\"angry\", \"angry\""));
        var twice = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> ClassifierStore.load(dir));
        assertTrue(twice.getMessage().contains(file.toString()) && twice.getMessage().contains("angry"), twice.getMessage());
    }

    /**
     * Before, a part's model file name was resolved as given: a name leaving the folder, an absolute path, a FIFO
     * (read forever) or a device was opened.
     */
    @Test
    void aPartsModelIsARegularFileInsideTheClassifierFolder(@TempDir Path root) throws Exception {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EncoderSpec s = speech();
        Path dir = root.resolve("clf");
        ClassifierStore.save(dir, trained(t, s), Map.of());
        Path file = dir.resolve(ClassifierStore.FILE);
        String json = java.nio.file.Files.readString(file);
        java.nio.file.Files.createDirectories(root.resolve("other"));
        java.nio.file.Files.copy(dir.resolve("svm-0.model.gz"), root.resolve("other").resolve("svm-0.model.gz"));
        java.nio.file.Files.createDirectories(dir.resolve("sub"));
        java.nio.file.Files.copy(dir.resolve("svm-0.model.gz"), dir.resolve("sub").resolve("svm-0.model.gz"));
        java.nio.file.Files.writeString(file, json.replace("\"svm-0.model.gz\"", "\"sub/../sub/svm-0.model.gz\""));
        assertEquals(2, ClassifierStore.load(dir).classifier().parts().size(), "a name inside the folder loads");
        for (String name : List.of("../other/svm-0.model.gz", "sub/../../other/svm-0.model.gz",
                root.resolve("other").resolve("svm-0.model.gz").toAbsolutePath().toString(), "/dev/zero")) {
            java.nio.file.Files.writeString(file, json.replace("\"svm-0.model.gz\"", "\"" + name + "\""));
            var e = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> ClassifierStore.load(dir), name);
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("parts[0].model")
                    && e.getMessage().contains("inside"), e.getMessage());
        }
        Path fifo = dir.resolve("svm-0.fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo(fifo), "mkfifo is available");
        java.nio.file.Files.createSymbolicLink(dir.resolve("zero.model"), Path.of("/dev/zero"));
        for (String name : List.of("svm-0.fifo", "zero.model", "sub")) {
            java.nio.file.Files.writeString(file, json.replace("\"svm-0.model.gz\"", "\"" + name + "\""));
            var e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                    () -> assertThrows(dev.moodtag.pack.ModelPackException.class, () -> ClassifierStore.load(dir), name));
            // as the model pack's files: a folder, or a FIFO or device (here through a link), in the shared words
            Path abs = dir.toAbsolutePath().normalize().resolve(name);
            assertTrue(e.getMessage().contains("'" + name + "' cannot be read: " + abs + " is " + (name.equals("sub")
                    ? dev.moodtag.support.NotARegularFile.FOLDER : dev.moodtag.support.NotARegularFile.OTHER)), e.getMessage());
        }
    }

    /** Every file of {@code dir} by name, with its bytes. */
    private static Map<String, byte[]> files(Path dir) throws java.io.IOException {
        Map<String, byte[]> all = new java.util.TreeMap<>();
        try (var list = java.nio.file.Files.list(dir)) {
            for (Path f : list.toList()) all.put(f.getFileName().toString(), java.nio.file.Files.readAllBytes(f));
        }
        return all;
    }

    /**
     * An export over an earlier one with more parts replaces it as a whole: the earlier parts' model and rows files
     * that the new {@code classifier.json} does not list went unread but stayed (a 1-part export over a 2-part one kept
     * svm-1.model.gz and svm-1.rows.gz), so the folder, shipped or committed, differed from a fresh export. What the
     * earlier {@code classifier.json} did not list, or listed outside the folder, is not the export's and stays.
     */
    @Test
    void anExportOverAnEarlierOneWithMorePartsLeavesNoneOfItsParts(@TempDir Path root) throws Exception {
        EncoderSpec t = text(3, "a".repeat(64), Map.of("pooling", "cls"));
        EmotionClassifier both = trained(t, speech());
        FusedSvm speechPart = both.parts().get(1);
        int n = 6;
        List<float[][]> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) samples.add(new float[][]{{i, 1, 1, -1}});
        TrainingRows rows = new TrainingRows(List.of("speech-acoustic"), new int[]{4}, samples,
                IntStream.range(0, n).map(i -> i % 2).toArray(), IntStream.range(0, n).mapToObj(i -> "s" + i).toList(),
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("kernel", "rbf"));
        EmotionClassifier earlier = new EmotionClassifier(both.mode(), both.classes(), both.layout(),
                List.of(both.parts().get(0), speechPart.withRows(rows)), both.weights());
        FeatureLayout textOnly = new FeatureLayout(List.of(both.layout().block(0)));
        EmotionClassifier later = new EmotionClassifier(FusionMode.LATE, both.classes(), textOnly, List.of(new FusedSvm(
                new dev.moodtag.fuse.EarlyFusion(textOnly, new int[]{0}, both.parts().get(0).fusion().scalers(), new double[]{1}),
                both.parts().get(0).model(), both.parts().get(0).params())), new double[]{1});
        Path fresh = root.resolve("fresh");
        ClassifierStore.save(fresh, later, Map.of("run", 2));
        Map<String, byte[]> freshFiles = files(fresh);
        assertEquals(java.util.Set.of("classifier.json", "svm-0.model.gz"), freshFiles.keySet());

        Path dir = root.resolve("export");
        ClassifierStore.save(dir, earlier, Map.of("run", 1));
        assertEquals(java.util.Set.of("classifier.json", "svm-0.model.gz", "svm-1.model.gz", "svm-1.rows.gz"), files(dir).keySet());
        java.nio.file.Files.writeString(dir.resolve("NOTES.md"), "the user's"); // not the export's
        java.nio.file.Files.writeString(dir.resolve("svm-7.model.gz"), "listed by no classifier.json");
        ClassifierStore.save(dir, later, Map.of("run", 2));
        Map<String, byte[]> left = files(dir);
        assertEquals(new String(left.remove("NOTES.md")), "the user's");
        assertEquals("listed by no classifier.json", new String(left.remove("svm-7.model.gz")));
        assertEquals(freshFiles.keySet(), left.keySet(), "the folder holds what a fresh export holds");
        for (String name : freshFiles.keySet()) assertArrayEquals(freshFiles.get(name), left.get(name), name);
        assertEquals(1, ClassifierStore.load(dir).classifier().parts().size());

        // An earlier classifier.json naming files outside its folder, the folder itself, itself, or nothing readable:
        // none of those is removed, and the export is whole.
        Path outside = java.nio.file.Files.writeString(root.resolve("victim.txt"), "outside the folder");
        for (String earlierJson : List.of(
                "{\"parts\": [{\"model\": \"../victim.txt\"}, {\"model\": \"" + outside + "\"}, {\"model\": \".\"},"
                        + " {\"model\": \"..\"}, {\"model\": \"classifier.json\"}, {\"model\": \"svm-5.model.gz\","
                        + " \"rows\": {\"file\": \"sub/svm-5.rows.gz\"}}, {\"model\": 3}, {\"rows\": []}]}",
                "not JSON at all {", "", "[1, 2]", "{\"parts\": {\"model\": \"svm-5.model.gz\"}}")) {
            Path d = java.nio.file.Files.createDirectories(root.resolve("hostile"));
            java.nio.file.Files.writeString(d.resolve("classifier.json"), earlierJson);
            java.nio.file.Files.createDirectories(d.resolve("sub"));
            java.nio.file.Files.writeString(d.resolve("sub").resolve("svm-5.rows.gz"), "x");
            java.nio.file.Files.writeString(d.resolve("svm-5.model.gz"), "x");
            ClassifierStore.save(d, later, Map.of("run", 2));
            assertEquals("outside the folder", java.nio.file.Files.readString(outside), earlierJson);
            assertTrue(java.nio.file.Files.exists(d.resolve("sub").resolve("svm-5.rows.gz")), earlierJson);
            boolean listedAsPart = earlierJson.startsWith("{\"parts\": [");
            assertEquals(!listedAsPart, java.nio.file.Files.exists(d.resolve("svm-5.model.gz")), earlierJson);
            assertEquals(1, ClassifierStore.load(d).classifier().parts().size(), earlierJson);
            dev.moodtag.function.FileTrees.deleteQuietly(d);
        }
    }

    private static boolean mkfifo(Path fifo) {
        try {
            return new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The first part's scaler (the text block's, 3 values). */
    private static com.fasterxml.jackson.databind.node.ObjectNode scaler(com.fasterxml.jackson.databind.node.ObjectNode r) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) r.at("/parts/0/scalers/0");
    }
}
