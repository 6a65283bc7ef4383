package dev.moodtag.cli;

import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.classify.ClassifierKind;
import dev.moodtag.classify.SvmParams;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EmbeddingEngines;
import dev.moodtag.encode.EngineConfig;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.Modality;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.support.Choice;
import dev.moodtag.support.SettingRange;
import dev.moodtag.support.Stopped;
import dev.moodtag.train.SelectBy;
import dev.moodtag.train.DatasetAdapter;
import dev.moodtag.train.ExperimentSettings;
import dev.moodtag.train.FeatureCache;
import dev.moodtag.train.FeatureExtractor;
import dev.moodtag.train.FoldScheme;
import dev.moodtag.train.GroupNormalisation;
import dev.moodtag.train.SampleBalance;
import dev.moodtag.train.LabelMap;
import dev.moodtag.train.TrainConfig;
import dev.moodtag.train.TrainGrid;
import dev.moodtag.train.TrainThreads;
import dev.moodtag.train.Trainer;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code moodtag train}: cross-validate the classifier on a manifest, write the report, optionally export it. */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Run the experiment on a dataset manifest (features → fusion → SVM, grouped cross-validation, "
                + "ablation over modalities), write a report folder, and optionally export the classifier into a model pack.")
public class TrainCommand implements Callable<Integer>, BeforeStart.Check {

    @Option(names = "--manifest", paramLabel = "CSV", description = "The dataset manifest.")
    Path manifest;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "A dataset of the shared data folder (emodb, meld, ravdess, ravdess-speech, speech-pooled, faces, "
                    + "goemotions, meld-goemotions, fer2013, fer2013-to-faces, faces-to-fer2013): writes its "
                    + "manifest and uses its protocol's folds and labels unless --folds / --labels say otherwise.")
    String dataset;

    @Option(names = "--labels", paramLabel = "MAP",
            description = "identity, 4class, a CSV file raw,class, or raw=class,... (default: the dataset's, else identity).")
    String labels;

    @Option(names = "--folds", paramLabel = "SCHEME",
            description = "auto, grouped:K, logo, corpus (leave one corpus out; groups written corpus:speaker), "
                    + "corpus:NAME (test on NAME only), stratified:K or split (default: the dataset's, else auto).")
    String folds;

    @Option(names = "--fusion", paramLabel = "MODE", description = "early or late (default: moodtag.train.fusion).")
    String fusion;

    @Option(names = "--modalities", paramLabel = "T,A,V", split = ",", description = "Use only these modalities.")
    List<String> modalities;

    @Option(names = "--classifier", paramLabel = "KIND",
            description = "libsvm, logistic (LIBLINEAR, probabilities: late fusion) or linear-svm (LIBLINEAR) "
                    + "(default: moodtag.train.classifier).")
    String classifier;

    @Option(names = "--kernel", description = "rbf or linear (libsvm only; LIBLINEAR models are linear).")
    String kernel;

    @Option(names = "--c", split = ",", paramLabel = "C", description = "C grid.")
    List<Double> cGrid;

    @Option(names = "--gamma-scales", split = ",", paramLabel = "G", description = "RBF gamma grid, × 1/dimension.")
    List<Double> gammaScales;

    @Option(names = "--select-by", description = "ua, wa, macro-f1 or weighted-f1.")
    String selectBy;

    @Option(names = "--select-rule", description = "best (the highest inner score) or one-se (the smoothest grid point "
            + "within one standard error of it: smallest gamma, then C).")
    String selectRule;

    @Option(names = "--class-weights", description = "balanced or none.")
    String classWeights;

    @Option(names = "--grid-max-samples", description = "Rows per grid-search fit (0 = all).")
    Integer gridMaxSamples;

    @Option(names = "--inner-folds", description = "Grid-search folds per outer training set.")
    Integer innerFolds;

    @Option(names = "--balance-blocks", negatable = true,
            description = "Weigh each standardised block by 1/sqrt(dim) (default: moodtag.train.balance-blocks).")
    Boolean balanceBlocks;

    @Option(names = "--score-featureless", negatable = true,
            description = "Score rows without any features as the training majority (default), or leave them out.")
    Boolean scoreFeatureless;

    @Option(names = "--fusion-weights", paramLabel = "HOW",
            description = "Late fusion: learned (from out-of-fold probabilities of the training rows) or equal "
                    + "(default: moodtag.train.fusion-weights).")
    String fusionWeights;

    @Option(names = "--normalise", paramLabel = "HOW",
            description = "Standardise features per corpus or per speaker before the experiment: none, corpus "
                    + "(measurement only; export refuses it), speaker (uses each test speaker's own statistics, as a "
                    + "timeline does over its recording; exported parts are used only there), speaker-skewed (speaker, "
                    + "but each test speaker's statistics weighted so that one emotion makes up 80 %% of them: a "
                    + "simulation of a recording held in one mood), speaker-guarded and speaker-skewed-guarded (each "
                    + "test speaker served as a timeline serves a recording: a first-pass model without "
                    + "standardisation, and the guard of moodtag.timeline.recording-*).")
    String normalise;

    @Option(names = "--balance", paramLabel = "HOW",
            description = "none, or corpus-class: replicate training rows so that every (corpus, class) cell counts "
                    + "as much as the largest (groups written corpus:speaker; default: moodtag.train.balance).")
    String balance;

    @Option(names = "--no-ablation", description = "Evaluate only all modalities together.")
    boolean noAblation;

    @Option(names = "--block-ablation",
            description = "Ablate over feature blocks (e.g. speech embedding vs acoustic functionals), not modalities.")
    boolean blockAblation;

    @Option(names = "--transcripts", paramLabel = "FROM", description = "given (default): inline text, transcript "
            + "files and sidecars only; recognised: rows without any also get the pack's speech-to-text, through the same "
            + "chain and gate as serving (for corpora with audio and no text).")
    String transcriptsFrom = "given";

    /** Where training text may come from. */
    enum TrainingTranscripts {
        /** Inline text, a row's transcript file, or a sidecar beside the media. */
        GIVEN,
        /** As {@link #GIVEN}, then the pack's recogniser for rows with none, gated as in serving. */
        RECOGNISED;

        static TrainingTranscripts of(String name) {
            for (TrainingTranscripts t : values()) if (t.name().equalsIgnoreCase(name.strip())) return t;
            throw new IllegalArgumentException("--transcripts must be given or recognised, not " + name);
        }
    }

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: target/reports/<dataset, or the manifest's file name without extension>).")
    Path out;

    @Option(names = "--export", paramLabel = "DIR",
            description = "Export the classifier trained on all training rows into DIR (e.g. models/classifier).")
    Path export;

    private final TrainConfig config;
    private final Instance<ModelPack> pack;
    private final EmbeddingEngines engineBuilder;
    private final Instance<MediaDecoder> decoder;
    private final TranscriptChain transcripts;
    private final EngineConfig engineConfig;

    // Instances, not beans: a precomputed-feature manifest needs neither the pack nor the decoder, and this branch of
    // the product may not have a decoder at all.
    public TrainCommand(TrainConfig config, Instance<ModelPack> pack, EmbeddingEngines engineBuilder,
                        Instance<MediaDecoder> decoder, EngineConfig engineConfig, TranscriptChain transcripts) {
        this.transcripts = transcripts;
        this.config = config;
        this.pack = pack;
        this.engineBuilder = engineBuilder;
        this.decoder = decoder;
        this.engineConfig = engineConfig;
    }

    @Override
    public Optional<String> problemBeforeStart() {
        if (manifest == null && dataset == null) return Optional.of("give --manifest CSV or --dataset NAME");
        if (manifest != null) {
            Optional<String> notThere = BeforeStart.notAFile("--manifest", manifest);
            if (notThere.isPresent()) return notThere;
        }
        try {
            given();
            if (labels != null) LabelMap.parse(labels);
            // Before, an unknown or malformed --folds (weird:3, grouped:0, grouped:abc) and an unknown --dataset were
            // refused only once Quarkus had started, the fold scheme after every row's features had been extracted.
            if (folds != null) FoldScheme.checkSpelling(folds);
            if (dataset != null) DatasetAdapter.named(dataset);
            // Before, a C or gamma scale out of range was refused only once Quarkus had started, without the option
            if (cGrid != null) GridSearch.checkCs("--c", cGrid);
            if (gammaScales != null) GridSearch.checkGammaScales("--gamma-scales", gammaScales);
            // Before, --grid-max-samples -1 was refused once Quarkus had started, naming the setting and not the option
            if (gridMaxSamples != null) {
                Optional<String> samples = SettingRange.atLeast("--grid-max-samples", gridMaxSamples, 0);
                if (samples.isPresent()) return samples;
            }
            // Written after every fold (the report) and the final model (the classifier): a folder that cannot be
            // made was an UncheckedIOException's stack trace once the training had run. Made when they are written.
            if (out != null) dev.moodtag.batch.ReportFolder.check("--out", out);
            if (export != null) dev.moodtag.batch.ReportFolder.check("--export", export);
        } catch (IllegalArgumentException | java.io.UncheckedIOException wrong) {
            return Optional.of(wrong.getMessage());
        }
        return Optional.empty();
    }

    /** The closed-set options as given, null where not given (configuration decides). */
    private record Given(ClassifierKind classifier, SvmParams.Kernel kernel, SvmParams.ClassWeighting classWeights,
                         FusionMode fusion, GridSearch.Rule selectRule, SelectBy selectBy,
                         ExperimentSettings.FusionWeights fusionWeights, GroupNormalisation normalise,
                         SampleBalance balance, TrainingTranscripts transcripts, Set<Modality> modalities) {
    }

    /** Reads every closed-set option; a wrong value is refused naming the option and the values it takes. */
    private Given given() {
        return new Given(
                classifier == null ? null : Choice.parse("--classifier", classifier, ClassifierKind.class),
                kernel == null ? null : Choice.parse("--kernel", kernel, SvmParams.Kernel.class),
                classWeights == null ? null : Choice.parse("--class-weights", classWeights, SvmParams.ClassWeighting.class),
                fusion == null ? null : Choice.parse("--fusion", fusion, FusionMode.class),
                selectRule == null ? null : Choice.parse("--select-rule", selectRule, GridSearch.Rule.class),
                selectBy == null ? null : Choice.parse("--select-by", selectBy, SelectBy.class),
                fusionWeights == null ? null : Choice.parse("--fusion-weights", fusionWeights, ExperimentSettings.FusionWeights.class),
                normalise == null ? null : GroupNormalisation.parse(normalise),
                balance == null ? null : SampleBalance.parse(balance),
                TrainingTranscripts.of(transcriptsFrom),
                modalities == null ? Set.of() : modalities.stream().map(TrainCommand::modality)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Modality.class))));
    }

    @Override
    public Integer call() {
        // Answered before Quarkus starts (BeforeStart); asked again for callers that skip that step
        problemBeforeStart().ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        Given given = given(); // a wrong value fails before any work
        TrainThreads.checkSettings(config);
        TrainGrid.checkSettings(config);
        Optional<DatasetAdapter> adapter = Optional.ofNullable(dataset).map(DatasetAdapter::named);
        Path m = manifest;
        if (m == null) {
            m = Path.of(config.datasetsDir()).resolve(adapter.orElseThrow().name() + ".csv");
            DatasetAdapter.writeManifest(adapter.get(), Path.of(config.dataDir()), m);
        }
        String name = adapter.map(DatasetAdapter::name).orElse(stem(m));
        LabelMap labelMap = LabelMap.parse(labels != null ? labels : adapter.map(DatasetAdapter::labels).orElse("identity"));
        String foldSpec = folds != null ? folds : adapter.map(DatasetAdapter::folds).orElse("auto");
        ClassifierKind kind = or(given.classifier(), config.classifier());
        if (!kind.kernelised() && kernel != null)
            throw new IllegalArgumentException("--kernel applies to libsvm only; " + Choice.spelling(kind) + " is linear");
        SvmParams base = new SvmParams(kind.kernelised() ? or(given.kernel(), config.kernel()) : SvmParams.Kernel.LINEAR,
                1, 0, false, or(given.classWeights(), config.classWeights()));
        ExperimentSettings settings = new ExperimentSettings(
                or(given.fusion(), config.fusion()), base,
                new GridSearch(cGrid != null ? cGrid : config.cGrid(), gammaScales != null ? gammaScales : config.gammaScales(),
                        config.gridThreads(), or(given.selectRule(), config.selectRule())),
                innerFolds != null ? innerFolds : config.innerFolds(),
                gridMaxSamples != null ? gridMaxSamples : config.gridMaxSamples(),
                or(given.selectBy(), config.selectBy()), balanceBlocks != null ? balanceBlocks : config.balanceBlocks(),
                noAblation ? ExperimentSettings.Ablation.NONE : blockAblation ? ExperimentSettings.Ablation.BLOCKS
                        : ExperimentSettings.Ablation.MODALITIES, config.seed(), kind,
                or(given.fusionWeights(), config.fusionWeights()), or(given.normalise(), config.normalise()),
                or(given.balance(), config.balance()));
        Set<Modality> only = given.modalities();
        Path reportDir = out != null ? out : Path.of("target", "reports", name);
        List<EmbeddingEngine> engines = new java.util.ArrayList<>();
        // The first signal stops the training at its next row or fit (a full rebuild runs for most of an hour); a
        // second ends the process at once. Rows encoded so far stay in the cache, and no report is written before the
        // cross-validation is whole.
        try (StopSignals stop = StopSignals.install(() -> System.err.printf("%nmoodtag train: stopping before the next "
                + "row or fit (signal again to quit now)...%n"));
             FeatureCache cache = new FeatureCache(Path.of(config.cacheDir()))) {
            new Trainer().run(new Trainer.Request(name, m, labelMap, foldSpec, settings, only, reportDir,
                    Optional.ofNullable(export), scoreFeatureless != null ? scoreFeatureless : config.scoreFeatureless(),
                    given.transcripts() == TrainingTranscripts.RECOGNISED),
                    needed -> extractor(needed, cache, engines), stop);
        } catch (Stopped stopped) {
            System.err.println("moodtag train: " + stopped.getMessage() + "; run the same command again to continue");
            return 1; // as moodtag tag's stopped batch
        } finally {
            engines.forEach(EmbeddingEngine::close);
        }
        System.out.println("report: " + reportDir.resolve("report.md"));
        return 0;
    }

    /** An engine with only the pack's encoders for the modalities the manifest has inputs for. */
    private FeatureExtractor extractor(Set<Modality> needed, FeatureCache cache, List<EmbeddingEngine> engines) {
        ModelPack full = pack.get();
        ModelPack subset = new ModelPack(full.id(), full.version(), full.description(), full.manifest(), full.dir(),
                full.encoders().stream().filter(e -> needed.contains(e.modality())).toList(),
                needed.contains(Modality.SPEECH) ? full.vad() : Optional.empty());
        if (subset.encoders().isEmpty())
            throw new IllegalStateException("the model pack has no encoder for " + needed + ", which the manifest needs");
        EmbeddingEngine engine = engineBuilder.build(subset, engineConfig.parallelEncoders());
        engines.add(engine);
        if (TrainingTranscripts.of(transcriptsFrom) == TrainingTranscripts.RECOGNISED) {
            if (transcripts.recognition().isEmpty()) {
                throw new IllegalArgumentException("--transcripts recognised needs the pack's transcriber and "
                        + "moodtag.transcribe.enabled=true");
            }
            // The decoder's own chain: the one serving uses, recogniser and gate included
            return new FeatureExtractor(engine, decoder.isResolvable() ? decoder.get() : null, cache,
                    config.extractThreads(), transcripts, transcripts.recognition());
        }
        return new FeatureExtractor(engine, decoder.isResolvable() ? withoutRecognition(decoder.get()) : null, cache,
                config.extractThreads(), transcripts);
    }

    /**
     * By default training reads transcripts through the chain's inline and sidecar links only: a corpus whose rows
     * carry no text would otherwise pay for recognition it may not want ({@code --transcripts recognised} asks for it).
     */
    private MediaDecoder withoutRecognition(MediaDecoder decoder) {
        return decoder instanceof FfmpegMediaDecoder ffmpeg
                ? ffmpeg.withTranscripts(transcripts.withoutRecognition()) : decoder;
    }

    private static Modality modality(String code) {
        return Arrays.stream(Modality.values()).filter(x -> x.code().equalsIgnoreCase(code.strip())
                || x.name().equalsIgnoreCase(code.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown modality " + code + "; use T, A or V"));
    }

    private static <T> T or(T given, T configured) {
        return given != null ? given : configured;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".csv") ? n.substring(0, n.length() - 4) : n;
    }
}
