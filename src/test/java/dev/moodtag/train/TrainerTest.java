package dev.moodtag.train;

import dev.moodtag.classify.ClassifierLayoutException;
import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.StandardisedOver;
import dev.moodtag.media.Modality;
import dev.moodtag.pack.ModelPack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole run behind {@code moodtag train} on a precomputed-feature manifest: report and exported classifier. */
class TrainerTest {

    @Test
    void manifestToReportAndExportedClassifier(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("toy.csv");
        List<String> header = new ArrayList<>(List.of("id", "label", "group"));
        for (int j = 0; j < 2; j++) header.add(DatasetManifest.featureColumn(Modality.VIDEO, "au", j));
        header.add(DatasetManifest.featureColumn(Modality.SPEECH, "mfcc", 0));
        List<List<String>> rows = new ArrayList<>();
        Random r = new Random(1);
        String[] labels = {"neutral", "joy", "sadness", "calm"};
        for (int i = 0; i < 96; i++) {
            int y = i % 4;
            rows.add(List.of("c" + i, labels[y], "actor" + (i % 6),
                    fmt(y == 1 ? 2 + r.nextGaussian() * 0.3 : r.nextGaussian() * 0.3),
                    fmt(y == 2 ? 2 + r.nextGaussian() * 0.3 : r.nextGaussian() * 0.3), fmt(r.nextGaussian())));
        }
        DatasetManifest.write(manifest, header, rows);

        Path report = dir.resolve("report"), export = dir.resolve("classifier");
        Trainer.Outcome out = new Trainer().run(new Trainer.Request("toy", manifest, LabelMap.parse("4class"), "grouped:3",
                Synthetic.settings(FusionMode.EARLY), Set.of(), report, Optional.of(export), true, false), needed -> {
            throw new AssertionError("a precomputed-feature manifest needs no encoder");
        });
        assertEquals(List.of("neutral", "happy", "sad", "angry"), out.table().classes());
        assertEquals(72, out.table().size(), "calm is skipped by the 4-class map");
        assertEquals(24, out.table().skippedLabels().get("calm"));
        assertEquals(3, out.result().subsets().size());
        assertTrue(Files.isRegularFile(report.resolve("report.md")));
        assertTrue(Files.readString(report.resolve("report.md")).contains("calm=24"));

        ClassifierStore.Stored stored = ClassifierStore.load(export);
        assertEquals(List.of("au", "mfcc"), stored.classifier().layout().blocks().stream().map(b -> b.id()).toList());
        assertEquals(72, stored.training().path("rows").asInt());
        assertEquals(64, stored.training().path("manifestSha256").asText().length());
        assertEquals(3, stored.training().path("cv").path("folds").asInt());
        // One order for the training record, so that exporting twice writes the same classifier.json.
        List<String> cvFields = new ArrayList<>();
        stored.training().path("cv").fieldNames().forEachRemaining(cvFields::add);
        assertEquals(List.of("subset", "folds", "wa", "ua", "macroF1", "weightedF1"), cvFields);
        assertEquals(1, stored.classifier().predict(new float[][]{{2, 0}, {0}}).label(), "au[0] high = happy");
        // precomputed dataset features cannot be served by a model pack's encoders
        ModelPack pack = new ModelPack("p", "1", "", dir.resolve("pack.json"), dir, List.of(), Optional.empty());
        assertThrows(ClassifierLayoutException.class, () -> ClassifierStore.load(export, pack));
    }

    /**
     * {@code --modalities A} on a manifest where some rows have only the AU block: those rows have no speech, so they
     * are rows without features, listed with the reason and left out (here) like any other, not rows that reach the
     * folds empty. Before, the featureless test ran on all blocks and the modalities were dropped afterwards.
     */
    @Test
    void aRowWithFeaturesOnlyInAModalityLeftOutIsARowWithoutFeatures(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("toy.csv");
        List<String> header = new ArrayList<>(List.of("id", "label", "group"));
        header.add(DatasetManifest.featureColumn(Modality.SPEECH, "mfcc", 0));
        header.add(DatasetManifest.featureColumn(Modality.VIDEO, "au", 0));
        List<List<String>> rows = new ArrayList<>();
        Random r = new Random(2);
        String[] labels = {"angry", "happy", "sad"};
        for (int i = 0; i < 60; i++) {
            int y = i % 3;
            boolean auOnly = i % 5 == 0;
            rows.add(List.of("c" + i, labels[y], "spk" + (i % 4), auOnly ? "" : fmt(y + r.nextGaussian() * 0.3),
                    fmt(r.nextGaussian())));
        }
        DatasetManifest.write(manifest, header, rows);
        Trainer.Outcome out = new Trainer().run(new Trainer.Request("toy", manifest, LabelMap.parse("identity"), "logo",
                Synthetic.settings(FusionMode.EARLY), Set.of(Modality.SPEECH), dir.resolve("report"), Optional.empty(),
                false, false), needed -> {
            throw new AssertionError("a precomputed-feature manifest needs no encoder");
        });
        assertEquals(List.of("mfcc"), out.table().layout().blocks().stream().map(b -> b.id()).toList());
        assertEquals(12, out.table().skippedRows().size(), "the 12 AU-only rows are listed");
        assertEquals("no features in the modalities asked for [SPEECH]", out.table().skippedRows().get("c0"));
        assertEquals(48, out.table().size(), "and left out, as --no-score-featureless asks");
        assertTrue(out.table().samples().stream().allMatch(FeatureTable::hasFeatures));
        int tested = out.result().full().folds().stream().mapToInt(Experiment.FoldResult::testRows).sum();
        assertEquals(48, tested);
        assertTrue(Files.readString(dir.resolve("report").resolve("report.md")).contains("c0"),
                "the report names the rows without features");
    }

    /**
     * A given split tests only its test rows, and its speakers may be on both sides (MELD's official split is): the
     * report says how many rows were tested and how many of them are by a speaker the fold trains on. Before, it said
     * every row of the table was evaluated and nothing about the speakers.
     */
    @Test
    void aGivenSplitSaysWhatItTestedAndThatItsSpeakersAreOnBothSides(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("toy.csv");
        List<String> header = new ArrayList<>(List.of("id", "label", "group", "split"));
        header.add(DatasetManifest.featureColumn(Modality.SPEECH, "mfcc", 0));
        List<List<String>> rows = new ArrayList<>();
        Random r = new Random(3);
        String[] labels = {"angry", "happy", "sad"};
        for (int i = 0; i < 60; i++) {
            int y = i % 3;
            String split = i % 4 == 0 ? "test" : i % 4 == 1 ? "dev" : "train";
            rows.add(List.of("c" + i, labels[y], i < 40 ? "spk" + (i % 5) : "new" + (i % 2), split,
                    fmt(y + r.nextGaussian() * 0.3)));
        }
        DatasetManifest.write(manifest, header, rows);
        Trainer.Outcome out = new Trainer().run(new Trainer.Request("toy", manifest, LabelMap.parse("identity"), "auto",
                Synthetic.settings(FusionMode.EARLY), Set.of(), dir.resolve("report"), Optional.empty(), false, false),
                needed -> {
                    throw new AssertionError("a precomputed-feature manifest needs no encoder");
                });
        assertEquals(15, out.result().full().folds().get(0).testRows());
        // the 10 test rows of spk0..spk4 share a speaker with training; new0/new1 do too (rows 40..59 alternate)
        int shared = out.result().testRowsSharedGroup();
        assertEquals(15, shared);
        String md = Files.readString(dir.resolve("report").resolve("report.md"));
        assertTrue(md.contains("60 rows, 15 of them tested"), md);
        assertTrue(md.contains("**not group-independent**: 15 of the 15 test rows"), md);
        String json = Files.readString(dir.resolve("report").resolve("report.json"));
        assertTrue(json.contains("\"testedRows\" : 15") || json.contains("\"testedRows\":15"), json);
        Trainer.Outcome grouped = new Trainer().run(new Trainer.Request("toy", manifest, LabelMap.parse("identity"), "logo",
                Synthetic.settings(FusionMode.EARLY), Set.of(), dir.resolve("report2"), Optional.empty(), false, false),
                needed -> {
                    throw new AssertionError();
                });
        assertEquals(0, grouped.result().testRowsSharedGroup());
        String md2 = Files.readString(dir.resolve("report2").resolve("report.md"));
        assertTrue(md2.contains("60 rows evaluated") && !md2.contains("not group-independent"), md2);
    }

    /** --balance corpus-class on groups that name no corpus is refused before any row is encoded, naming the row. */
    @Test
    void corpusBalanceOnGroupsWithoutACorpusIsRefusedBeforeExtraction(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("toy.csv");
        Files.write(dir.resolve("a.wav"), new byte[44]);
        DatasetManifest.write(manifest, List.of("id", "label", "group", "media"), List.of(
                List.of("c0", "angry", "emodb:03", "a.wav"), List.of("c1", "sad", "spk7", "a.wav")));
        ExperimentSettings s = Synthetic.settings(FusionMode.EARLY);
        ExperimentSettings balanced = new ExperimentSettings(s.mode(), s.base(), s.grid(), s.innerFolds(), s.gridMaxSamples(),
                s.selectBy(), s.balanceBlocks(), s.ablation(), s.seed(), s.classifier(), s.fusionWeights(), s.normalisation(),
                SampleBalance.CORPUS_CLASS);
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer().run(new Trainer.Request("toy", manifest,
                LabelMap.parse("identity"), "grouped:2", balanced, Set.of(), dir.resolve("report"), Optional.empty(), true,
                false), needed -> {
            throw new AssertionError("encoders asked for before the groups were checked");
        }));
        assertEquals("--balance corpus-class needs every row's group written corpus:speaker; row c1 has group 'spk7'",
                e.getMessage());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }

    @Test
    void speakerStandardisationExportsPartsForRecordingsAndTheOtherNormalisationsAreRefused(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("toy.csv");
        List<String> header = new ArrayList<>(List.of("id", "label", "group", DatasetManifest.featureColumn(Modality.SPEECH, "f", 0)));
        List<List<String>> rows = new ArrayList<>();
        Random r = new Random(2);
        for (int i = 0; i < 72; i++) {
            int y = i % 3, speaker = i / 12;
            // each speaker at its own level: the class is readable only relative to the speaker's mean
            rows.add(List.of("c" + i, List.of("neutral", "joy", "sadness").get(y), "actor" + speaker,
                    fmt(3.0 * speaker + y + 0.1 * r.nextGaussian())));
        }
        DatasetManifest.write(manifest, header, rows);
        java.util.function.Function<GroupNormalisation, Trainer.Request> request = n -> {
            ExperimentSettings s = Synthetic.settings(FusionMode.LATE);
            return new Trainer.Request("toy", manifest, LabelMap.parse("4class"), "grouped:3",
                    new ExperimentSettings(s.mode(), s.base(), s.grid(), s.innerFolds(), s.gridMaxSamples(), s.selectBy(),
                            s.balanceBlocks(), ExperimentSettings.Ablation.NONE, s.seed(), s.classifier(), s.fusionWeights(), n),
                    Set.of(), dir.resolve("report-" + n.option()), Optional.of(dir.resolve("clf-" + n.option())), true, false);
        };
        new Trainer().run(request.apply(GroupNormalisation.SPEAKER), needed -> {
            throw new AssertionError("precomputed");
        });
        EmotionClassifier clf = ClassifierStore.load(dir.resolve("clf-speaker")).classifier();
        assertTrue(clf.parts().stream().allMatch(p -> p.over() == StandardisedOver.RECORDING));
        assertTrue(Files.readString(dir.resolve("clf-speaker/classifier.json")).contains("\"standardisedOver\" : \"recording\""));
        // A lone utterance gets no label from it; one speaker's rows standardised over themselves do.
        assertEquals(-1, clf.predict(new float[][]{{4f}}).label());
        List<float[][]> speaker5 = List.of(new float[][]{{15f}}, new float[][]{{16f}}, new float[][]{{17f}});
        List<float[][]> standardised = dev.moodtag.fuse.GroupStandardiser.standardise(speaker5, new int[]{0}, null);
        for (int y = 0; y < 3; y++)
            assertEquals(y, clf.predictOverRecording(speaker5.get(y), standardised.get(y)).label(), "row " + y);
        for (GroupNormalisation refused : List.of(GroupNormalisation.CORPUS, GroupNormalisation.SPEAKER_SKEWED,
                GroupNormalisation.SPEAKER_GUARDED, GroupNormalisation.SPEAKER_SKEWED_GUARDED)) {
            var e = assertThrows(IllegalArgumentException.class, () -> new Trainer().run(request.apply(refused), needed -> null));
            assertTrue(e.getMessage().startsWith("--normalise " + refused.option() + " cannot be exported"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("clf-corpus")));
    }

    /** Found by a feature-selection run that left a manifest with no feature column: a bare "Collection is empty". */
    @Test
    void aManifestWithNothingToTrainOnIsRefusedWithWhatIsMissing(@TempDir Path dir) throws Exception {
        Path bare = dir.resolve("bare.csv"), empty = dir.resolve("empty.csv");
        List<List<String>> rows = new ArrayList<>(), blanks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            rows.add(List.of("c" + i, i % 2 == 0 ? "neutral" : "angry", "s" + (i % 4)));
            blanks.add(List.of("c" + i, i % 2 == 0 ? "neutral" : "angry", "s" + (i % 4), ""));
        }
        DatasetManifest.write(bare, List.of("id", "label", "group"), rows);
        DatasetManifest.write(empty, List.of("id", "label", "group",
                DatasetManifest.featureColumn(Modality.SPEECH, "mfcc", 0)), blanks);
        for (boolean scoreFeatureless : new boolean[]{true, false}) {
            var noBlocks = assertThrows(IllegalArgumentException.class, () -> new Trainer().run(new Trainer.Request("bare", bare,
                    LabelMap.parse("4class"), "grouped:2", Synthetic.settings(FusionMode.EARLY), Set.of(), dir.resolve("r1"),
                    Optional.empty(), scoreFeatureless, false), needed -> {
                throw new AssertionError("no media: no encoder");
            }));
            assertTrue(noBlocks.getMessage().contains("nothing to train on") && noBlocks.getMessage().contains("bare.csv")
                    && noBlocks.getMessage().contains("feat."), noBlocks.getMessage());
            var noRows = assertThrows(IllegalArgumentException.class, () -> new Trainer().run(new Trainer.Request("empty", empty,
                    LabelMap.parse("4class"), "grouped:2", Synthetic.settings(FusionMode.EARLY), Set.of(), dir.resolve("r2"),
                    Optional.empty(), scoreFeatureless, false), needed -> {
                throw new AssertionError("no media: no encoder");
            }));
            assertTrue(noRows.getMessage().contains("none of its 24 labelled rows has features")
                    && noRows.getMessage().contains("c0"), noRows.getMessage());
            // A label map that keeps no row says so; before, it was answered as rows without media ("nothing to
            // train on ... no precomputed feature columns") although the manifest had feature columns.
            var noneKept = assertThrows(IllegalArgumentException.class, () -> new Trainer().run(new Trainer.Request("empty", empty,
                    LabelMap.parse("5class"), "grouped:2", Synthetic.settings(FusionMode.EARLY), Set.of(), dir.resolve("r3"),
                    Optional.empty(), scoreFeatureless, false), needed -> {
                throw new AssertionError("no row kept: no encoder");
            }));
            assertEquals("manifest " + empty + ": label map '5class' keeps none of its 24 rows: it takes [5class], the rows are "
                    + "labelled [angry, neutral]", noneKept.getMessage());
        }
    }
}
