package dev.moodtag.train;

import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.StandardisedOver;
import dev.moodtag.media.Modality;
import dev.moodtag.support.ConsoleProgress;
import dev.moodtag.support.Stopped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The train-and-evaluate run behind {@code moodtag train}: manifest → features (encoders through the cache, or
 * the manifest's precomputed blocks) → label map → cross-validation with ablation → report folder → optionally the
 * exported classifier.
 */
public final class Trainer {

    private static final Logger LOG = Logger.getLogger(Trainer.class);

    /**
     * @param modalities  only these modalities (all present when empty)
     * @param exportDir   where to write the classifier trained on all training rows (none when empty)
     * @param scoreFeatureless score rows without any features (as the training majority) rather than leave them out
     * @param recognisedTranscripts rows with audio and no text get the text that serving would recognise
     *                              ({@code --transcripts recognised}), so their text is an input too
     */
    public record Request(String dataset, Path manifest, LabelMap labels, String folds, ExperimentSettings settings,
                          Set<Modality> modalities, Path reportDir, Optional<Path> exportDir, boolean scoreFeatureless,
                          boolean recognisedTranscripts) {
    }

    public record Outcome(FeatureTable table, Experiment.Result result) {
    }

    /**
     * @param extractor builds the feature extractor for the encoder modalities the manifest needs; called only when
     *                  some row has media or a transcript
     */
    public Outcome run(Request req, Function<Set<Modality>, FeatureExtractor> extractor) {
        return run(req, extractor, () -> false);
    }

    /**
     * @param stop asked between rows of the feature extraction and before each fit: once it says so, the run ends with
     *             {@link Stopped} before the report (rows encoded so far stay in the cache), or, during the export's
     *             fits, with the report written and nothing exported
     */
    public Outcome run(Request req, Function<Set<Modality>, FeatureExtractor> extractor, BooleanSupplier stop) {
        GroupNormalisation normalisation = req.settings().normalisation();
        if (req.exportDir().isPresent() && normalisation != GroupNormalisation.NONE && normalisation != GroupNormalisation.SPEAKER)
            throw new IllegalArgumentException("--normalise " + normalisation.option() + " cannot be exported: serving has"
                    + " no corpus statistics, and " + GroupNormalisation.SPEAKER_SKEWED.option() + " is a simulation;"
                    + " --normalise " + GroupNormalisation.SPEAKER.option() + " exports parts that a timeline standardises"
                    + " over its recording");
        DatasetManifest manifest = DatasetManifest.read(req.manifest());
        LOG.infof("manifest %s: %d rows, %d precomputed block(s)", req.manifest(), manifest.rows().size(), manifest.precomputed().size());
        List<ManifestRow> labelled = labelled(manifest.rows(), req.labels());
        if (labelled.isEmpty() && !manifest.rows().isEmpty()) {
            List<String> labels = manifest.rows().stream().map(ManifestRow::label).filter(l -> l != null && !l.isBlank())
                    .map(String::strip).distinct().sorted().toList();
            throw new IllegalArgumentException("manifest " + req.manifest() + ": label map '" + req.labels().name()
                    + "' keeps none of its " + manifest.rows().size() + " rows: it takes " + new java.util.TreeSet<>(req.labels().mapping().keySet())
                    + ", the rows are labelled " + (labels.size() > 12 ? labels.subList(0, 12) + " and " + (labels.size() - 12)
                    + " more" : labels));
        }
        req.settings().balance().requireCorpora(labelled);
        if (req.scoreFeatureless() && !labelled.isEmpty()) foldable(req, labelled);
        Set<Modality> inputs = inputModalities(labelled, req.recognisedTranscripts());
        if (!req.modalities().isEmpty()) inputs.retainAll(req.modalities());
        FeatureExtractor.Result encoded = new FeatureExtractor.Result(Map.of(), 0, 0, Map.of());
        dev.moodtag.fuse.FeatureLayout encoderLayout = new dev.moodtag.fuse.FeatureLayout(List.of());
        if (!inputs.isEmpty()) {
            FeatureExtractor fx = extractor.apply(inputs);
            encoderLayout = fx.layout();
            long t0 = System.nanoTime();
            encoded = fx.extract(labelled, stop);
            LOG.infof("features: %d row(s) encoded, %d from the cache, %d failed, in %.0f s", encoded.computed(),
                    encoded.cached(), encoded.failed().size(), (System.nanoTime() - t0) / 1e9);
        }
        FeatureTable table = FeatureTable.build(manifest, req.labels(), encoderLayout, encoded.vectors(), encoded.whyWithoutFeatures(),
                req.scoreFeatureless(), req.modalities());
        requireSomethingToTrainOn(req.manifest(), table, inputs);
        if (!table.skippedLabels().isEmpty()) LOG.infof("skipped by the label map: %s", table.skippedLabels());
        if (!table.skippedRows().isEmpty()) LOG.warnf("%d row(s) without features, %s", table.skippedRows().size(),
                table.featurelessScored() ? "scored as the training majority class" : "left out");
        LOG.infof("%d rows, classes %s, blocks %s", table.size(), table.classes(),
                table.layout().blocks().stream().map(b -> b.id() + ":" + b.dim()).toList());

        FoldScheme scheme = FoldScheme.parse(req.folds(), req.settings().seed(), table.groups(), table.splits());
        Experiment.Result result;
        try (ConsoleProgress console = ConsoleProgress.open("train", 0, "fits")) {
            result = new Experiment(req.settings(), new TrainingProgress(console).stoppedBy(stop)).run(table, scheme);
        } catch (RuntimeException e) {
            throw stoppedOr(e, "stopped before the cross-validation's next fit: no report was written to " + req.reportDir());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("encoders", encoderLayout.blocks());
        ReportWriter.write(req.reportDir(), new ReportWriter.Context(req.dataset(), req.manifest(), manifest.sha256(),
                req.labels().name(), req.settings(), table.skippedLabels(), table.skippedRows(),
                table.featurelessScored(), extra), table, result);
        LOG.infof("report written to %s", req.reportDir().resolve("report.md"));

        if (req.exportDir().isPresent()) {
            List<Fold> folds = scheme.folds(table.labels(), table.groups(), table.splits());
            int[] train, validation;
            if (scheme instanceof FoldScheme.GivenSplit) {
                train = folds.get(0).train();
                validation = folds.get(0).validation();
            } else {
                train = IntStream.range(0, table.size()).toArray();
                validation = new int[0];
            }
            EmotionClassifier clf;
            FeatureTable applied = normalisation.apply(table);
            try (ConsoleProgress console = ConsoleProgress.open("export", 0, "fits")) {
                clf = new Experiment(req.settings(), new TrainingProgress(console).stoppedBy(stop))
                        .fit(applied, Experiment.allBlocks(table.layout()), train, validation);
            } catch (RuntimeException e) {
                throw stoppedOr(e, "stopped during the export's fits: the report is written (its cross-validation is "
                        + "whole); no classifier was exported to " + req.exportDir().get());
            }
            // Trained on rows standardised per speaker: served only on segments standardised over their recording,
            // and shipped with those rows, so that a batch standardised over itself may train the part again.
            if (normalisation == GroupNormalisation.SPEAKER)
                clf = PartRetraining.attach(clf.standardisedOver(StandardisedOver.RECORDING), applied, train, req.settings());
            Experiment.SubsetResult cv = result.full();
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("dataset", req.dataset());
            training.put("manifest", req.manifest().getFileName().toString());
            training.put("manifestSha256", manifest.sha256());
            training.put("labelMap", req.labels().name());
            training.put("rows", train.length);
            training.put("protocol", result.protocol());
            training.put("settings", req.settings());
            training.put("chosenParams", clf.parts().stream().map(p -> p.params().toString()).toList());
            // In a fixed order (Map.of's changes from one JVM to the next), so the same training writes the same bytes.
            Map<String, Object> cvRecord = new LinkedHashMap<>();
            cvRecord.put("subset", cv.subset());
            cvRecord.put("folds", cv.folds().size());
            cvRecord.put("wa", cv.wa());
            cvRecord.put("ua", cv.ua());
            cvRecord.put("macroF1", cv.macroF1());
            cvRecord.put("weightedF1", cv.weightedF1());
            training.put("cv", cvRecord);
            ClassifierStore.save(req.exportDir().get(), clf, training);
            LOG.infof("classifier (%s, %s) exported to %s", clf.mode(), training.get("chosenParams"), req.exportDir().get());
        }
        return new Outcome(table, result);
    }

    /**
     * Refuses, before any feature is extracted, folds that the rows' groups and splits cannot give (grouped:5 over 3
     * speakers, corpus:NAME of no corpus, split without test rows): they were refused after the extraction, minutes
     * on a large manifest. Folds depend on groups and splits, not on features, and the labels only order a stratified
     * scheme's rows, which never refuses; so the answer is the one the table would get, as long as every labelled row
     * is in it, which holds while rows without features are scored (else the table's own folds decide, later).
     */
    private static void foldable(Request req, List<ManifestRow> labelled) {
        String[] groups = labelled.stream().map(ManifestRow::group).toArray(String[]::new);
        String[] splits = labelled.stream().map(ManifestRow::split).toArray(String[]::new);
        FoldScheme.parse(req.folds(), req.settings().seed(), groups, splits).folds(new int[labelled.size()], groups, splits);
    }

    /**
     * {@code e} as a {@link Stopped} saying what the stop left, when a stop explains it (a fit of the grid search stops
     * on its own thread, and comes wrapped as the search's failure); else {@code e} as it is.
     */
    private static RuntimeException stoppedOr(RuntimeException e, String left) {
        return Stopped.explains(e) ? new Stopped(left, e) : e;
    }

    /**
     * The rows the label map keeps: a row it drops is never decoded or encoded (it still counts among the report's
     * skipped labels, which {@link FeatureTable#build} takes from the whole manifest).
     */
    static List<ManifestRow> labelled(List<ManifestRow> rows, LabelMap labels) {
        LabelMap map = labels.resolve(rows.stream().map(ManifestRow::label).toList());
        return rows.stream().filter(r -> map.classOf(r.label()).isPresent()).toList();
    }

    /**
     * Which modalities the rows give encoders something to read for; with {@code recognised}, audio is also text (the
     * recogniser's), which without this never reached the text encoder.
     */
    static Set<Modality> inputModalities(List<ManifestRow> rows, boolean recognised) {
        Set<Modality> m = EnumSet.noneOf(Modality.class);
        for (ManifestRow r : rows) {
            if (r.inlineTranscript().isPresent() || r.transcriptFile() != null) m.add(Modality.TEXT);
            if (r.media().containsKey("media")) {
                m.add(Modality.SPEECH);
                m.add(Modality.VIDEO);
            }
            if (r.media().containsKey("audio")) m.add(Modality.SPEECH);
            if (recognised && (r.media().containsKey("media") || r.media().containsKey("audio"))) m.add(Modality.TEXT);
            if (r.media().containsKey("video") || r.media().containsKey("image")) m.add(Modality.VIDEO);
        }
        return m;
    }

    /** Refuses a table no classifier can be trained on, saying what is missing, before any fold is fitted. */
    private static void requireSomethingToTrainOn(Path manifest, FeatureTable table, Set<Modality> inputs) {
        if (table.layout().blocks().isEmpty()) {
            throw new IllegalArgumentException("manifest " + manifest + ": nothing to train on: its rows have no media "
                    + "for the modalities asked for" + (inputs.isEmpty() ? "" : " (" + inputs + ")")
                    + " and no precomputed feature columns (feat.<text|speech|video>.<block>.<index>)");
        }
        if (table.samples().stream().noneMatch(FeatureTable::hasFeatures)) {
            int labelled = table.featurelessScored() ? table.size() : table.skippedRows().size();
            String first = table.skippedRows().entrySet().stream().findFirst()
                    .map(e -> "; first: " + e.getKey() + ": " + e.getValue()).orElse("");
            throw new IllegalArgumentException("manifest " + manifest + ": none of its " + labelled
                    + " labelled rows has features in " + table.layout().blocks().stream().map(b -> b.id()).toList() + first);
        }
    }
}
