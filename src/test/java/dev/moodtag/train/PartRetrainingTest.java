package dev.moodtag.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.FusedSvm;
import dev.moodtag.classify.TrainingRows;
import dev.moodtag.support.Stopped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped recording part trained again on its own rows is the shipped part, to the byte: the retraining is
 * {@code moodtag train --export}'s own fit, settings and all. With rows added it is the same on every run.
 */
class PartRetrainingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theRecordingPartTrainedAgainOnItsShippedRowsAloneIsTheShippedModelByteForByte() throws IOException {
        EmotionClassifier clf = ClassifierStore.load(Path.of("models", "classifier")).classifier();
        FusedSvm shipped = clf.parts().get(3);
        FusedSvm again = PartRetraining.retrain(clf, 3, List.of(), new int[0], TrainingProgress.SILENT);
        assertEquals(shipped.params(), again.params(), "the grid search chose what moodtag train chose");
        assertArrayEquals(shipped.fusion().blocks(), again.fusion().blocks());
        assertArrayEquals(shipped.fusion().blockWeights(), again.fusion().blockWeights());
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(shipped.fusion().scalers().get(b).mean(), again.fusion().scalers().get(b).mean());
            assertArrayEquals(shipped.fusion().scalers().get(b).scale(), again.fusion().scalers().get(b).scale());
        }
        assertEquals(shipped.over(), again.over());
        shipped.model().save(tmp.resolve("shipped.model.gz"));
        again.model().save(tmp.resolve("again.model.gz"));
        assertArrayEquals(gunzip(tmp.resolve("shipped.model.gz")), gunzip(tmp.resolve("again.model.gz")));
    }

    @Test
    void withRowsAddedTheRetrainedPartIsTheSameOnEveryRunAndDiffersFromTheShipped() throws IOException {
        EmotionClassifier clf = ClassifierStore.load(Path.of("models", "classifier")).classifier();
        TrainingRows rows = clf.parts().get(3).rows();
        // Forty rows of the shipped ones, whole-layout samples, labelled as the next class: a batch's wrong labels
        List<float[][]> added = new ArrayList<>();
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) {
            float[][] whole = new float[clf.layout().size()][];
            whole[0] = rows.samples().get(25 * i)[0];
            whole[1] = rows.samples().get(25 * i)[1];
            added.add(whole);
            labels[i] = (rows.labels()[25 * i] + 1) % 4;
        }
        FusedSvm a = PartRetraining.retrain(clf, 3, added, labels, TrainingProgress.SILENT);
        FusedSvm b = PartRetraining.retrain(clf, 3, added, labels, TrainingProgress.SILENT);
        a.model().save(tmp.resolve("a.model.gz"));
        b.model().save(tmp.resolve("b.model.gz"));
        clf.parts().get(3).model().save(tmp.resolve("shipped.model.gz"));
        assertArrayEquals(gunzip(tmp.resolve("a.model.gz")), gunzip(tmp.resolve("b.model.gz")));
        assertFalse(java.util.Arrays.equals(gunzip(tmp.resolve("a.model.gz")), gunzip(tmp.resolve("shipped.model.gz"))));
    }

    /**
     * A stop asked before every fit of the retraining (the shipped rows' grid: 12 points x 3 inner splits on 2 threads,
     * then the final fit with probability estimates) ends it at the next fit, wherever it comes: the first fit, mid
     * grid, the final fit. A stop never set asks once per fit and changes nothing, to the byte.
     */
    @Test
    void aStopEndsTheRetrainingBeforeItsNextFitAndAStopNeverSetChangesNothing() throws IOException {
        EmotionClassifier clf = ClassifierStore.load(Path.of("models", "classifier")).classifier();
        AtomicInteger never = new AtomicInteger();
        FusedSvm whole = PartRetraining.retrain(clf, 3, List.of(), new int[0], TrainingProgress.SILENT.stoppedBy(() -> {
            never.incrementAndGet();
            return false;
        }));
        assertEquals(37, never.get(), "asked once before each of the 36 grid fits and the final fit");
        whole.model().save(tmp.resolve("whole.model.gz"));
        clf.parts().get(3).model().save(tmp.resolve("shipped.model.gz"));
        assertArrayEquals(gunzip(tmp.resolve("shipped.model.gz")), gunzip(tmp.resolve("whole.model.gz")));
        for (int stopAt : new int[]{1, 20, 37}) {
            AtomicInteger asked = new AtomicInteger(), started = new AtomicInteger();
            RuntimeException e = assertThrows(RuntimeException.class, () -> PartRetraining.retrain(clf, 3, List.of(),
                    new int[0], TrainingProgress.SILENT.stoppedBy(() -> {
                        boolean stop = asked.incrementAndGet() >= stopAt;
                        if (!stop) started.incrementAndGet();
                        return stop;
                    })), "stopped at fit " + stopAt);
            assertTrue(Stopped.explains(e), e.toString());
            assertEquals(stopAt - 1, started.get(), "fits started, none after the stop");
            // Points already queued ask once each and end without a fit: never more asks than the fits planned.
            assertTrue(asked.get() <= 37, asked + " asks");
        }
    }

    @Test
    void theSettingsRecordedWithTheRowsReadBackAsMoodtagTrainGaveThem() {
        ExperimentSettings given = new ExperimentSettings(dev.moodtag.classify.FusionMode.LATE,
                new dev.moodtag.classify.SvmParams(dev.moodtag.classify.SvmParams.Kernel.RBF, 1, 0, false,
                        dev.moodtag.classify.SvmParams.ClassWeighting.BALANCED),
                new dev.moodtag.classify.GridSearch(List.of(0.1, 1.0), List.of(0.5), 2,
                        dev.moodtag.classify.GridSearch.Rule.ONE_SE), 4, 123, SelectBy.MACRO_F1, true,
                ExperimentSettings.Ablation.NONE, 7, dev.moodtag.classify.ClassifierKind.LIBSVM,
                ExperimentSettings.FusionWeights.EQUAL, GroupNormalisation.NONE, SampleBalance.CORPUS_CLASS);
        assertEquals(given, PartRetraining.settings(JSON.valueToTree(given)));
    }

    /**
     * The counts and the seed recorded with the shipped rows (innerFolds 3, gridMaxSamples 3000, seed 42, grid.threads
     * 2) are whole numbers as written, within what moodtag train accepts: each given as text, a fraction, in exponent
     * form, a boolean, null, missing (grid.threads alone may be missing: 1, as before it was recorded), 2^64 above it
     * (2^32 above it, for the ints), or outside its range is refused naming the key and the value. Read with asInt / asLong, "3", 3.5, 3e0
     * and 2^32 + 3 were all 3 inner folds, a missing gridMaxSamples 0 (all rows) and a missing seed 0.
     */
    @Test
    void theRecordedCountsAndSeedAreWholeNumbersAsWrittenOrRefusedNamingTheKey() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode shipped = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(Path.of("models", "classifier", ClassifierStore.FILE).toFile())
                .path("parts").get(3).path("rows").path("settings");
        ExperimentSettings as = PartRetraining.settings(shipped);
        record Key(String path, long value, long min, long max) {
        }
        List<Key> keys = List.of(new Key("innerFolds", 3, 2, ExperimentSettings.MAX_INNER_FOLDS),
                new Key("gridMaxSamples", 3000, 0, Integer.MAX_VALUE), new Key("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                new Key("grid.threads", 2, 1, TrainThreads.MAX_THREADS));
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (Key k : keys) {
            java.math.BigInteger v = java.math.BigInteger.valueOf(k.value());
            List<String> values = new ArrayList<>(List.of("<missing>", "null", "\"" + v + "\"", v + ".0", v + ".5",
                    v + "e0", "true", "[" + v + "]", v.add(java.math.BigInteger.ONE.shiftLeft(64)).toString(),
                    java.math.BigInteger.valueOf(k.min()).subtract(java.math.BigInteger.ONE).toString(),
                    java.math.BigInteger.valueOf(k.max()).add(java.math.BigInteger.ONE).toString()));
            values.add(0, v.toString());
            // an int read as one: 2^32 above it was the same int (a seed is a long, and 2^32 above it another seed)
            if (k.max() <= Integer.MAX_VALUE) values.add(v.add(java.math.BigInteger.ONE.shiftLeft(32)).toString());
            for (String value : values) {
                com.fasterxml.jackson.databind.node.ObjectNode edited = shipped.deepCopy();
                com.fasterxml.jackson.databind.node.ObjectNode holder = k.path().startsWith("grid.")
                        ? (com.fasterxml.jackson.databind.node.ObjectNode) edited.path("grid") : edited;
                String field = k.path().substring(k.path().indexOf('.') + 1);
                if (value.equals("<missing>")) holder.remove(field);
                else holder.set(field, JSON.readTree(value));
                String got;
                try {
                    got = PartRetraining.settings(edited).equals(as) ? "reads as shipped" : "reads as " + PartRetraining.settings(edited);
                } catch (IllegalArgumentException e) {
                    got = e.getMessage();
                }
                cells++;
                String expected = value.equals(v.toString()) || value.equals("<missing>") && k.path().equals("grid.threads")
                        ? (value.equals("<missing>") ? "reads as " + new ExperimentSettings(as.mode(), as.base(),
                        new dev.moodtag.classify.GridSearch(as.grid().cs(), as.grid().gammaScales(), 1, as.grid().rule()),
                        as.innerFolds(), as.gridMaxSamples(), as.selectBy(), as.balanceBlocks(), as.ablation(), as.seed(),
                        as.classifier(), as.fusionWeights(), as.normalisation(), as.balance()) : "reads as shipped")
                        : "'" + k.path() + "' must be a whole number from " + k.min() + " to " + k.max() + ", not "
                        + (value.equals("<missing>") ? "missing" : JSON.readTree(value).toString());
                if (!got.equals(expected)) wrong.add(k.path() + " " + value + ": " + got);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
    }

    /**
     * The C grid and gamma scales recorded with the shipped rows (cs [0.1, 1, 10, 100], gammaScales [0.25, 1, 4]) are
     * JSON numbers, finite and above 0, and a C at most {@link dev.moodtag.classify.GridSearch#MAX_C} as moodtag train
     * allows: each value given as a boolean, text, null, a list, an object, NaN or infinity as text, 1e999, below or at
     * 0, or (for C) above the bound, and each list given as no list or missing, is refused naming the key, the place and
     * the value. Read with asDouble, true and "1" were C 1 (and gamma scale 1), null was 0, and a C of 1e308 (which
     * fits for as long as it takes) read back as it was written. So are the base C and gamma and the two switches
     * (base.probability, balanceBlocks), each given as every kind of JSON value, out of range, or missing.
     */
    @Test
    void theRecordedGridIsNumbersAsWrittenOrRefusedNamingTheKey() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode shipped = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(Path.of("models", "classifier", ClassifierStore.FILE).toFile())
                .path("parts").get(3).path("rows").path("settings");
        ExperimentSettings as = PartRetraining.settings(shipped);
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (String key : List.of("cs", "gammaScales")) {
            boolean c = key.equals("cs");
            String bound = c ? "above 0 and at most 32768" : "above 0";
            // the value in place of the list's second number: what it must read as ("" = as shipped), or the refusal
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
            for (String fine : List.of("1.0", "1", "1e0", "0.100e1"))
                values.put(fine, "");
            for (String bad : List.of("true", "false", "\"1\"", "\"1.0\"", "\"\"", "null", "[1.0]", "{}", "\"NaN\"",
                    "\"Infinity\"", "1e999", "-1e999", "-1.0", "0", "0.0", "-0.0", "4.9e-324"))
                values.put(bad, bad.equals("4.9e-324") ? "" : "'grid." + key + "[1]' must be a finite number " + bound
                        + ", not " + JSON.readTree(bad));
            if (c) {
                values.put("32768", "");
                for (String over : List.of("32768.000001", "1e308", "1e6"))
                    values.put(over, "'grid.cs[1]' must be a finite number above 0 and at most 32768, not " + JSON.readTree(over));
            } else {
                values.put("1e308", "");
            }
            for (var cell : values.entrySet()) {
                com.fasterxml.jackson.databind.node.ObjectNode edited = shipped.deepCopy();
                ((com.fasterxml.jackson.databind.node.ArrayNode) edited.path("grid").path(key)).set(1, JSON.readTree(cell.getKey()));
                String got;
                try {
                    ExperimentSettings read = PartRetraining.settings(edited);
                    got = read.equals(as) ? "" : "reads as " + read.grid();
                } catch (IllegalArgumentException e) {
                    got = e.getMessage();
                }
                cells++;
                // a number other than the shipped one reads as that number, nothing else
                String expected = cell.getValue();
                if (expected.isEmpty() && JSON.readTree(cell.getKey()).asDouble() != 1.0) {
                    List<Double> list = new ArrayList<>(c ? as.grid().cs() : as.grid().gammaScales());
                    list.set(1, JSON.readTree(cell.getKey()).asDouble());
                    expected = "reads as " + new dev.moodtag.classify.GridSearch(c ? list : as.grid().cs(),
                            c ? as.grid().gammaScales() : list, as.grid().threads(), as.grid().rule());
                }
                if (!got.equals(expected)) wrong.add(key + "[1] " + cell.getKey() + ": " + (got.isEmpty() ? "reads as shipped" : got));
            }
            for (String list : List.of("<missing>", "null", "1.0", "\"0.1,1\"", "{}", "true")) {
                com.fasterxml.jackson.databind.node.ObjectNode edited = shipped.deepCopy();
                if (list.equals("<missing>")) ((com.fasterxml.jackson.databind.node.ObjectNode) edited.path("grid")).remove(key);
                else ((com.fasterxml.jackson.databind.node.ObjectNode) edited.path("grid")).set(key, JSON.readTree(list));
                String got;
                try {
                    got = "reads as " + PartRetraining.settings(edited).grid();
                } catch (IllegalArgumentException e) {
                    got = e.getMessage();
                }
                cells++;
                String expected = "'grid." + key + "' must be a list of numbers, not "
                        + (list.equals("<missing>") ? "missing" : JSON.readTree(list).toString());
                if (!got.equals(expected)) wrong.add(key + " " + list + ": " + got);
            }
        }
        // The base C and gamma (shipped 1 and 0: the grid search replaces both) are numbers read as the grid's are, C
        // above 0 and at most MAX_C, gamma at least 0; the switches are JSON booleans. Read with asDouble / asBoolean,
        // true was C 1, "1" and "yes" were false, 1 and "true" true, and a missing balanceBlocks false.
        java.util.Map<String, List<String>> fine = new java.util.LinkedHashMap<>(), bad = new java.util.LinkedHashMap<>();
        fine.put("base.c", List.of("1.0", "1", "1e0", "0.5", "32768", "4.9e-324"));
        bad.put("base.c", List.of("<missing>", "true", "false", "\"1\"", "null", "[1.0]", "{}", "\"NaN\"", "1e999", "-1.0", "0",
                "0.0", "-0.0", "32768.000001", "1e308"));
        fine.put("base.gamma", List.of("0.0", "0", "0e0", "0.5", "1e308"));
        bad.put("base.gamma", List.of("<missing>", "true", "\"0\"", "null", "[0]", "{}", "\"Infinity\"", "1e999", "-1.0",
                "-4.9e-324"));
        for (String flag : List.of("base.probability", "balanceBlocks")) {
            fine.put(flag, List.of("true", "false"));
            bad.put(flag, List.of("<missing>", "\"true\"", "\"false\"", "\"yes\"", "\"no\"", "\"\"", "1", "0", "1.0",
                    "null", "[true]", "{}"));
        }
        for (String key : fine.keySet()) {
            String must = key.startsWith("base.c") ? "a finite number above 0 and at most 32768"
                    : key.equals("base.gamma") ? "a finite number at least 0" : "true or false";
            List<String> values = new ArrayList<>(fine.get(key));
            values.addAll(bad.get(key));
            for (String value : values) {
                com.fasterxml.jackson.databind.node.ObjectNode edited = shipped.deepCopy();
                com.fasterxml.jackson.databind.node.ObjectNode holder = key.startsWith("base.")
                        ? (com.fasterxml.jackson.databind.node.ObjectNode) edited.path("base") : edited;
                String field = key.substring(key.indexOf('.') + 1);
                if (value.equals("<missing>")) holder.remove(field);
                else holder.set(field, JSON.readTree(value));
                String got;
                try {
                    got = "reads as " + PartRetraining.settings(edited);
                } catch (IllegalArgumentException e) {
                    got = e.getMessage();
                }
                cells++;
                String expected;
                if (fine.get(key).contains(value)) {
                    com.fasterxml.jackson.databind.JsonNode v = JSON.readTree(value);
                    dev.moodtag.classify.SvmParams b = as.base();
                    b = switch (key) {
                        case "base.c" -> b.withCGamma(v.asDouble(), b.gamma());
                        case "base.gamma" -> b.withCGamma(b.c(), v.asDouble());
                        case "base.probability" -> b.withProbability(v.asBoolean());
                        default -> b;
                    };
                    expected = "reads as " + new ExperimentSettings(as.mode(), b, as.grid(), as.innerFolds(), as.gridMaxSamples(),
                            as.selectBy(), key.equals("balanceBlocks") ? v.asBoolean() : as.balanceBlocks(), as.ablation(),
                            as.seed(), as.classifier(), as.fusionWeights(), as.normalisation(), as.balance());
                } else {
                    expected = "'" + key + "' must be " + must + ", not "
                            + (value.equals("<missing>") ? "missing" : JSON.readTree(value).toString());
                }
                if (!got.equals(expected)) wrong.add(key + " " + value + ": " + got);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
    }

    /** Rows whose recorded settings were edited by hand: said before a batch is picked over, not at its retraining. */
    @Test
    void rowsWhoseSettingsDoNotReadBackAreSaidToBeUnusable() {
        EmotionClassifier clf = ClassifierStore.load(Path.of("models", "classifier")).classifier();
        FusedSvm part = clf.parts().get(3);
        assertEquals(java.util.Optional.empty(), PartRetraining.problem(part));
        TrainingRows rows = part.rows();
        for (String[] edit : new String[][]{{"classifier", "svm-9"}, {"innerFolds", "1"}, {"mode", null}}) {
            com.fasterxml.jackson.databind.node.ObjectNode settings = rows.settings().deepCopy();
            if (edit[1] == null) settings.remove(edit[0]);
            else settings.put(edit[0], edit[1]);
            FusedSvm edited = part.withRows(new TrainingRows(rows.blocks(), rows.dims(), rows.samples(), rows.labels(),
                    rows.groups(), settings));
            // What a batch asks before it is read for self-training
            List<FusedSvm> parts = new ArrayList<>(clf.parts());
            parts.set(3, edited);
            java.util.Optional<String> why = new dev.moodtag.label.SvmLabeller(new EmotionClassifier(clf.mode(),
                    clf.classes(), clf.layout(), parts, clf.weights()), "test").overRecording().orElseThrow().whyNotRetrainable();
            assertTrue(why.isPresent(), edit[0] + ": edited settings reach the retraining");
            assertTrue(why.get().startsWith("the classifier's recording part (parts[3]) ships training rows whose "
                    + "recorded settings do not read back"), why.get());
        }
        assertEquals("ships no training rows (exported before moodtag train --export wrote them; export it again)",
                PartRetraining.problem(part.withRows(null)).orElseThrow());
    }

    private static byte[] gunzip(Path p) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }
}
