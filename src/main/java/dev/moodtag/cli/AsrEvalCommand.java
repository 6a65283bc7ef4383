package dev.moodtag.cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.moodtag.batch.ReportFolder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.MediaFiles;
import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.pack.PackConfig;
import dev.moodtag.support.NotARegularFile;
import dev.moodtag.support.SettingRange;
import dev.moodtag.support.Sha256;
import dev.moodtag.support.Utf8Text;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.train.DatasetManifest;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.UnwritableFile;
import dev.moodtag.support.WholeFile;
import dev.moodtag.tagging.HeardTranscriptsProducer;
import dev.moodtag.transcribe.AsrClip;
import dev.moodtag.transcribe.AsrClipsCsv;
import dev.moodtag.transcribe.AsrSummary;
import dev.moodtag.transcribe.GateCandidate;
import dev.moodtag.transcribe.GateTuning;
import dev.moodtag.transcribe.RecognisedSpeech;
import dev.moodtag.transcribe.SpeechTranscriber;
import dev.moodtag.transcribe.SpeechTranscribers;
import dev.moodtag.transcribe.TranscribeConfig;
import dev.moodtag.transcribe.TranscribingSink;
import dev.moodtag.transcribe.TranscriptGate;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * {@code moodtag asr-eval}: runs the pack's speech-to-text and its gate over a corpus and prints acceptance and WER,
 * with a per-clip CSV. Recognitions are cached per clip (keyed by the file's sha256 and the model's fingerprint), so
 * trying other gate thresholds on the same corpus costs only the decoding-free re-scoring.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "asr-eval", mixinStandardHelpOptions = true,
        description = "Speech-to-text on a corpus: acceptance by the confidence gate and word error rate. "
                + "MANIFEST is a CSV with a 'file' column (relative to the CSV) and optionally the spoken text in 'text' "
                + "(or 'reference', 'transcript'); a FOLDER is evaluated for acceptance only. With --from-stats, the "
                + "per-clip file of an earlier run is re-scored (and, with --tune, a threshold chosen) without recognising.")
public class AsrEvalCommand implements Callable<Integer>, BeforeStart.Check {

    /** Voiced time is measured on blocks of this length: whole clips, and long recordings in bounded memory. */
    private static final double VOICED_BLOCK_SECONDS = 60;

    @Parameters(arity = "0..*", paramLabel = "MANIFEST|FOLDER|FILE")
    List<Path> inputs;

    @Option(names = "--out", defaultValue = "out/asr-eval.csv", description = "Per-clip statistics CSV: hypothesis, "
            + "verdict, confidences, voiced coverage, word errors, input (default ${DEFAULT-VALUE}).")
    Path csv;

    @Option(names = "--cache", defaultValue = "out/asr-cache",
            description = "Folder of cached recognitions (default ${DEFAULT-VALUE}); 'none' to recognise again.")
    String cache;

    /**
     * More threads than this is a typo, not a machine: each thread decodes a clip and holds it and its recognition at
     * once; the same bound as tag's --workers and train's thread counts ({@code TagCommand.MAX_WORKERS}).
     */
    static final int MAX_THREADS = TagCommand.MAX_WORKERS;

    @Option(names = "--threads", defaultValue = "1",
            description = "Clips recognised at once, 1.." + MAX_THREADS + " (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N clips (0, the default: all).")
    int limit;

    @Option(names = "--cached-only", description = "Score only the clips already in the cache (the others are counted "
            + "and left out): figures from a run still in progress, or another gate on the same recognitions.")
    boolean cachedOnly;

    @Option(names = "--sweep", description = "Also print, over a grid of mean-confidence thresholds, the acceptance with "
            + "and without a reference and the WER (per split with --tune): the trade-off curve.")
    boolean sweep;

    @Option(names = "--from-stats", paramLabel = "CSV", description = "Re-score the per-clip statistics file of an "
            + "earlier run (its --out) instead of recognising: no recogniser, model or audio is read.")
    Path fromStats;

    @Option(names = "--tune", paramLabel = "INPUT", description = "With --from-stats: the inputs (manifest paths or file "
            + "names, as in the file's 'input' column) the threshold is chosen on; the others are reported under it. "
            + "Repeatable.")
    List<String> tune = new ArrayList<>();

    @Option(names = "--keep", defaultValue = "0.95", description = "With --tune: the share of the tuning clips that have a "
            + "reference text (speech in the recogniser's language) the chosen threshold must accept (default ${DEFAULT-VALUE}).")
    double keep;

    @Option(names = "--max-other", defaultValue = "0.05", description = "With --candidates: the most of the clips without "
            + "a reference (speech in other languages) a gate may accept (default ${DEFAULT-VALUE}).")
    double maxOther;

    @Option(names = "--max-wer", defaultValue = "0.06", description = "With --candidates: the highest corpus WER of the "
            + "accepted clips with a reference (default ${DEFAULT-VALUE}).")
    double maxWer;

    @Option(names = "--candidates", description = "With --from-stats and --tune: score the gate rules fixed in TRAINING.md "
            + "(mean confidence with a word count, doubtful-word share, lowest confidence or speaking-rate limit; the "
            + "geometric mean), each tuned on the tuning split by its margin to both goals, and say whether the best "
            + "replaces the served gate on the report split.")
    boolean candidates;

    /** How much higher than the served gate's the report WER of a replacing candidate may be (fixed in TRAINING.md). */
    private static final double WER_TOLERANCE = 0.005;

    private final MediaDecoder decoder;
    private final PackConfig packConfig;
    private final TranscribeConfig config;
    private final OnnxRuntime onnx;
    private final EncoderKinds kinds;
    private final ObjectMapper json = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    public AsrEvalCommand(MediaDecoder decoder, PackConfig packConfig, TranscribeConfig config, OnnxRuntime onnx,
                          EncoderKinds kinds) {
        this.decoder = decoder;
        this.packConfig = packConfig;
        this.config = config;
        this.onnx = onnx;
        this.kinds = kinds;
    }

    /** One clip to evaluate; {@code input} is the manifest or folder it was listed in (figures are given per input). */
    record Item(Path file, String reference, String input) {
    }

    /**
     * The clips scored, what each clip that could not be decoded was refused with (in the inputs' order), and how many
     * were not started because of a stop.
     */
    record Evaluated(List<AsrClip> clips, List<String> undecodable, int notRun) {
    }

    /**
     * An input or --from-stats file that is not there is known before any model loads: it was a NoSuchFileException's
     * stack trace and exit code 1, for an input only after the recogniser had loaded.
     */
    @Override
    public Optional<String> problemBeforeStart() {
        // --threads 0 or -1 ran on one thread without a word (the pool's Math.max), and 100000 started a thread per clip
        // --limit -1 meant all clips without a word, as 0 does; the gate goals were refused, once Quarkus had started,
        // as "gate goals must lie in [0, 1]: 1.5" without the option, and --keep 0 as "keep share must lie in (0, 1]"
        Optional<String> outOfRange = SettingRange.within("--threads", threads, 1, MAX_THREADS)
                .or(() -> SettingRange.atLeast("--limit", limit, 0))
                .or(() -> SettingRange.aboveAtMost("--keep", keep, 0, 1))
                .or(() -> SettingRange.within("--max-other", maxOther, 0, 1))
                .or(() -> SettingRange.within("--max-wer", maxWer, 0, 1));
        if (outOfRange.isPresent()) return outOfRange;
        if (fromStats != null) {
            Optional<String> stats = BeforeStart.notAFile("--from-stats", fromStats);
            if (stats.isPresent()) return stats;
        }
        Optional<String> missing = (inputs == null ? List.<Path>of() : inputs).stream().map(AsrEvalCommand::inputProblem)
                .flatMap(Optional::stream).findFirst();
        if (missing.isPresent() || fromStats != null) return missing;
        // Written after every clip was recognised: a --out or --cache that could not be written ended, once the
        // recogniser had loaded and run, in a bare exception's name ("java.nio.file.NoSuchFileException: /proc/.x….tmp")
        if (Files.exists(csv) && !Files.isRegularFile(csv) && !Files.isDirectory(csv))
            return Optional.of("--out " + csv + " is " + WholeFile.NOT_REPLACED);
        try {
            // checked, not made: the run may still be refused (no clips, a model that does not load)
            ReportFolder.checkFile("--out", csv);
            if (!cache.equals("none")) ReportFolder.check("--cache", Path.of(cache));
        } catch (IllegalArgumentException wrong) {
            return Optional.of(wrong.getMessage());
        }
        return Optional.empty();
    }

    /**
     * An input that is not there, or is no clip, manifest or folder: a FIFO or a device given as a clip was accepted, and
     * once the recogniser had loaded its bytes were hashed for the cache for ever (a stop signal waiting with it).
     */
    private static Optional<String> inputProblem(Path input) {
        Optional<String> missing = BeforeStart.missing(input);
        if (missing.isPresent() || Files.isRegularFile(input) || Files.isDirectory(input)) return missing;
        return Optional.of(input + " is " + NotARegularFile.OTHER + ": give a clip, a manifest or a folder");
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (fromStats != null) return fromStats(out);
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("asr-eval needs a MANIFEST, FOLDER or FILE, or --from-stats");
        }
        if (!tune.isEmpty()) throw new IllegalArgumentException("--tune chooses a threshold from --from-stats");
        List<Item> items = items();
        if (limit > 0 && items.size() > limit) items = items.subList(0, limit);
        // The first signal stops the run before its next clip: the clips in flight finish and are cached, the per-clip
        // file and the figures (which would be of part of the corpus) are not written; a second signal ends the process
        // at once. Before, a signal ended it in the middle of its clips, with no word. Listened for before the pack and
        // the recogniser load (seconds, Vosk's model alone about 2): a signal then was the JVM's own (exit 130/143, no
        // word); now the load finishes and no clip is started, said as any stop is.
        try (StopSignals stop = StopSignals.install(() -> System.err.printf("%nmoodtag asr-eval: stopping before "
                + "the next clip (signal again to quit now)...%n"))) {
            return recognise(out, items, stop);
        }
    }

    /** Loads the pack's recogniser and gate and scores {@code items}, stopping before the next clip once {@code stop} says. */
    private int recognise(PrintStream out, List<Item> items, BooleanSupplier stop) throws Exception {
        ModelPack pack = ModelPackLoader.fromConfig(packConfig).load(Path.of(packConfig.manifest()));
        long t0 = System.nanoTime();
        Optional<SpeechTranscriber> loaded = SpeechTranscribers.load(pack, config);
        if (loaded.isEmpty()) {
            throw new ModelPackException(pack.manifest() + " has no transcriber, or moodtag.transcribe.enabled is false");
        }
        TranscriptGate gate = TranscriptGate.fromConfig(config);
        Optional<SpeechActivityDetector> vad = pack.vad().map(spec ->
                kinds.detector(spec).create(spec, new EncoderContext(onnx, Optional.empty())));
        try (SpeechTranscriber transcriber = loaded.get()) {
            out.printf(Locale.ROOT, "moodtag asr-eval: %d clips, %s (model %s, %s) loaded in %.1f s; gate: mean word "
                            + "confidence >= %s, voiced coverage >= %s%s%n", items.size(), transcriber.engine(),
                    transcriber.modelSha256().substring(0, 12), transcriber.language(), (System.nanoTime() - t0) / 1e9,
                    config.gate().minMeanConfidence(), config.gate().minVoicedCoverage(),
                    vad.isPresent() ? "" : " (no VAD in the pack: coverage not measured)");
            Evaluated evaluated = evaluate(items, transcriber, vad, gate, stop);
            if (evaluated.notRun() > 0) {
                System.err.printf(Locale.ROOT, "moodtag asr-eval: stopped after %d of %d clips; %s; %s not written "
                                + "(a stopped run has figures of part of the corpus)%n", items.size() - evaluated.notRun(),
                        items.size(), "none".equals(cache) ? "nothing is kept (--cache none)"
                                : "their recognitions are cached under " + Path.of(cache).toAbsolutePath()
                                + ": run the same command again to continue, or add --cached-only for figures of those",
                        csv);
                return 1; // as moodtag train's and tag's stop
            }
            List<AsrClip> clips = evaluated.clips();
            try {
                AsrClipsCsv.write(csv, clips);
            } catch (IOException e) {
                // was "java.io.IOException: No space left on device" and its stack trace, the figures not printed
                throw new UnwritableFile("--out " + csv + " cannot be written: " + LocalFailures.inWords(e, csv)
                        + "; the recognitions are cached, so the same command run again with room scores at once", e);
            }
            printPerInput(out, clips);
            AsrSummary.of(clips).print(out, "gate");
            double audio = 0, spent = 0;
            int fresh = 0;
            for (AsrClip c : clips) {
                if (c.cached()) continue;
                fresh++;
                audio += c.statistics().audioSeconds();
                spent += c.seconds();
            }
            if (fresh > 0) {
                out.printf(Locale.ROOT, "recognised %d clips (%.0f s of audio) in %.0f s of worker time: %.1f× real time "
                        + "per worker (decode + VAD + recognition); %d from the cache%n", fresh, audio, spent,
                        audio / spent, clips.size() - fresh);
            }
            if (sweep) tradeOff(out, List.of(new Split("all", clips)), config.gate().minVoicedCoverage());
            out.println("per-clip results: " + csv.toAbsolutePath());
            // As embed: a clip that cannot be decoded is named and left out, the others are still scored, exit code 1
            if (!evaluated.undecodable().isEmpty()) {
                out.printf(Locale.ROOT, "%d clip(s) could not be decoded and are left out of these figures:%n",
                        evaluated.undecodable().size());
                evaluated.undecodable().forEach(reason -> out.printf("  error: %s%n", reason));
                return 1;
            }
        } finally {
            vad.ifPresent(SpeechActivityDetector::close);
        }
        return 0;
    }

    /** Re-scores a statistics file; with --tune, chooses the threshold on the tuning inputs and reports the rest. */
    private int fromStats(PrintStream out) throws IOException {
        if (inputs != null && !inputs.isEmpty()) {
            throw new IllegalArgumentException("--from-stats re-scores a statistics file; give no MANIFEST, FOLDER or FILE");
        }
        if (candidates && tune.isEmpty()) throw new IllegalArgumentException("--candidates needs the tuning split: --tune");
        GateTuning.Goals goals = new GateTuning.Goals(keep, maxOther, maxWer);
        TranscriptGate configured = TranscriptGate.fromConfig(config);
        List<AsrClip> clips = AsrClipsCsv.read(fromStats, configured);
        out.printf(Locale.ROOT, "moodtag asr-eval: %d clips from %s (no recognition)%n", clips.size(), fromStats);
        printPerInput(out, clips);
        List<Split> splits = splits(clips);
        printSplits(out, "configured", configured, splits);
        TranscriptGate gate = configured;
        if (!tune.isEmpty()) {
            List<AsrClip> inLanguage = splits.get(0).inLanguage();
            if (inLanguage.isEmpty()) {
                throw new IllegalArgumentException("--tune " + tune + " selects no clip with a reference text in " + fromStats
                        + "; its inputs are " + clips.stream().map(AsrClip::input).distinct().toList());
            }
            double threshold = GateTuning.highestKeeping(inLanguage, keep, configured.minVoicedCoverage());
            out.printf(Locale.ROOT, "%nchosen on %d tuning clips (%d with a reference): mean word confidence >= %s, the "
                            + "highest keeping >= %.1f %% of those with a reference%n", splits.get(0).clips().size(),
                    inLanguage.size(), TranscriptGate.plain(threshold), 100 * keep);
            TranscriptGate chosen = new TranscriptGate(threshold, configured.minVoicedCoverage());
            gate = chosen;
            clips = clips.stream().map(c -> c.under(chosen)).toList();
            splits = splits(clips);
            if (threshold != configured.minMeanConfidence()) printSplits(out, "chosen", chosen, splits);
        }
        AsrSummary.of(clips).print(out, "gate");
        if (sweep) tradeOff(out, splits, gate.minVoicedCoverage());
        if (candidates) candidates(out, splits, configured, goals);
        return 0;
    }

    /** With --tune: the tuning clips, the others (the report split) and all; without: all. */
    private List<Split> splits(List<AsrClip> clips) {
        if (tune.isEmpty()) return List.of(new Split("all", clips));
        return List.of(new Split("tuning", clips.stream().filter(this::isTuning).toList()),
                new Split("report", clips.stream().filter(c -> !isTuning(c)).toList()), new Split("all", clips));
    }

    private static void printSplits(PrintStream out, String label, TranscriptGate gate, List<Split> splits) {
        out.printf(Locale.ROOT, "%s gate: mean word confidence >= %s, voiced coverage >= %s%n", label,
                TranscriptGate.plain(gate.minMeanConfidence()), TranscriptGate.plain(gate.minVoicedCoverage()));
        for (Split split : splits) {
            List<AsrClip> decided = split.clips().stream().map(c -> c.under(gate)).toList();
            Split d = new Split(split.name(), decided);
            if (!d.inLanguage().isEmpty()) AsrSummary.of(d.inLanguage()).print(out, split.name() + ", with a reference");
            if (!d.other().isEmpty()) AsrSummary.of(d.other()).print(out, split.name() + ", without a reference");
        }
    }

    /** The clips of one split, told apart by whether they have a reference: speech in the recogniser's language or not. */
    private record Split(String name, List<AsrClip> clips) {
        List<AsrClip> inLanguage() {
            return clips.stream().filter(AsrClip::hasReference).toList();
        }

        List<AsrClip> other() {
            return clips.stream().filter(c -> !c.hasReference()).toList();
        }
    }

    /** Acceptance with and without a reference, and the WER, per split over a grid of mean-confidence thresholds. */
    private static void tradeOff(PrintStream out, List<Split> splits, double minVoicedCoverage) {
        out.printf(Locale.ROOT, "%nmean-confidence threshold trade-off (voiced coverage >= %s kept); per split: "
                + "accepted with a reference, their WER, accepted without a reference%n", TranscriptGate.plain(minVoicedCoverage));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%9s", "threshold"));
        for (Split split : splits) header.append(String.format(Locale.ROOT, " | %-25s", split.name()));
        out.println(header);
        for (int i = 50; i <= 99; i += (i < 80 ? 5 : 1)) {
            TranscriptGate g = new TranscriptGate(i / 100.0, minVoicedCoverage);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%9.2f", i / 100.0));
            for (Split split : splits) {
                AsrSummary in = AsrSummary.of(split.inLanguage().stream().map(c -> c.under(g)).toList());
                AsrSummary other = AsrSummary.of(split.other().stream().map(c -> c.under(g)).toList());
                row.append(String.format(Locale.ROOT, " | %6.1f%% %6.2f%% %6.1f%% ", 100 * in.acceptedShare(),
                        100 * in.acceptedWer(), 100 * other.acceptedShare()));
            }
            out.println(row);
        }
    }

    /**
     * The pre-registered gate candidates (TRAINING.md): each one's threshold by the widest margin on the tuning split,
     * the best of them, and whether it replaces the served gate by the rule fixed beforehand.
     */
    private static void candidates(PrintStream out, List<Split> splits, TranscriptGate served, GateTuning.Goals goals) {
        if (splits.size() < 3) throw new IllegalStateException("candidates need the tuning and report splits");
        Split tuning = splits.get(0), report = splits.get(1), all = splits.get(2);
        double coverage = served.minVoicedCoverage();
        out.printf(Locale.ROOT, "%ngate candidates, each threshold t chosen on the tuning split by the widest margin to "
                        + "both goals (>= %.1f %% with a reference at WER <= %.2f %%, <= %.1f %% without):%n",
                100 * goals.minInLanguage(), 100 * goals.maxWer(), 100 * goals.maxOther());
        out.printf(Locale.ROOT, "%-62s %7s %9s %8s %9s %8s%n", "candidate", "t", "with ref", "WER", "without", "margin");
        GateTuning.Tuned best = null;
        for (GateCandidate candidate : GateCandidate.preRegistered()) {
            Optional<GateTuning.Tuned> tuned = GateTuning.widestMargin(candidate, tuning.clips(), goals, coverage);
            if (tuned.isEmpty()) {
                out.printf(Locale.ROOT, "%-62s no threshold keeps the WER goal%n", candidate.describe());
                continue;
            }
            GateTuning.Tuned t = tuned.get();
            out.printf(Locale.ROOT, "%-62s %7s %8.1f%% %7.2f%% %8.1f%% %+8.2f%n", candidate.describe(),
                    TranscriptGate.plain(t.threshold()), 100 * t.inLanguage().acceptedShare(),
                    100 * t.inLanguage().acceptedWer(), 100 * t.other().acceptedShare(), 100 * t.margin());
            if (best == null || GateTuning.BY_MARGIN.compare(t, best) > 0) best = t;
        }
        if (best == null) return;
        out.printf(Locale.ROOT, "chosen on the tuning split: %s at t = %s%n", best.candidate().describe(),
                TranscriptGate.plain(best.threshold()));
        GateCandidate servedRule = GateCandidate.preRegistered().get(0);
        GateTuning.Tuned chosenReport = null, servedReport = null;
        for (Split split : List.of(tuning, report, all)) {
            GateTuning.Tuned c = GateTuning.measure(best.candidate(), best.threshold(), split.inLanguage(), split.other(),
                    goals, coverage);
            GateTuning.Tuned s = GateTuning.measure(servedRule, served.minMeanConfidence(), split.inLanguage(),
                    split.other(), goals, coverage);
            for (GateTuning.Tuned m : List.of(c, s)) {
                out.printf(Locale.ROOT, "  %-6s %-8s with a reference %5.1f %% (%d of %d), WER %.2f %%; without %5.1f %% "
                                + "(%d of %d); margin %+.2f%n", split.name(), m == c ? "chosen" : "served",
                        100 * m.inLanguage().acceptedShare(), m.inLanguage().accepted(), m.inLanguage().clips(),
                        100 * m.inLanguage().acceptedWer(), 100 * m.other().acceptedShare(), m.other().accepted(),
                        m.other().clips(), 100 * m.margin());
            }
            if (split == report) {
                chosenReport = c;
                servedReport = s;
            }
        }
        double inC = chosenReport.inLanguage().acceptedShare(), inS = servedReport.inLanguage().acceptedShare();
        double otherC = chosenReport.other().acceptedShare(), otherS = servedReport.other().acceptedShare();
        double werC = chosenReport.inLanguage().acceptedWer(), werS = servedReport.inLanguage().acceptedWer();
        boolean better = (inC > inS && otherC <= otherS) || (inC == inS && otherC < otherS);
        boolean werKept = werC <= goals.maxWer() && werC <= werS + WER_TOLERANCE;
        out.printf(Locale.ROOT, "on the report split the chosen candidate %s the served gate (it must accept more with a "
                        + "reference and no more without, at a WER <= %.2f %% and <= the served WER + %.1f points)%n",
                better && werKept ? "REPLACES" : "does not replace", 100 * goals.maxWer(), 100 * WER_TOLERANCE);
    }

    private boolean isTuning(AsrClip clip) {
        Path input = Path.of(clip.input());
        return tune.stream().anyMatch(t -> clip.input().equals(t) || input.getFileName() != null
                && input.getFileName().toString().equals(t) || input.normalize().equals(Path.of(t).normalize()));
    }

    private static void printPerInput(PrintStream out, List<AsrClip> clips) {
        List<String> sources = clips.stream().map(AsrClip::input).distinct().toList();
        if (sources.size() < 2) return;
        for (String source : sources) {
            AsrSummary.of(clips.stream().filter(c -> source.equals(c.input())).toList()).print(out, source);
        }
    }

    /** A clip's end: scored, left out by --cached-only (neither set), or refused by the decoder. */
    private record ClipOutcome(AsrClip clip, String undecodable) {
    }

    private Evaluated evaluate(List<Item> items, SpeechTranscriber transcriber, Optional<SpeechActivityDetector> vad,
                               TranscriptGate gate, BooleanSupplier stop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger done = new AtomicInteger(), notRun = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<ClipOutcome>> futures = new ArrayList<>();
            for (Item item : items) {
                futures.add(pool.submit(() -> {
                    if (stop.getAsBoolean()) {
                        notRun.incrementAndGet();
                        return new ClipOutcome(null, null);
                    }
                    if (cachedOnly && !isCached(item.file(), transcriber)) return new ClipOutcome(null, null);
                    // One corrupt or vanished file ended the whole run with a stack trace, nothing written
                    ClipOutcome clip;
                    try {
                        clip = new ClipOutcome(evaluate(item, transcriber, vad, gate), null);
                    } catch (MediaException e) {
                        clip = new ClipOutcome(null, e.getMessage());
                    }
                    int n = done.incrementAndGet();
                    if (n % 50 == 0 || n == items.size()) {
                        System.err.printf(Locale.ROOT, "asr-eval: %d/%d clips, %.0f s%n", n, items.size(),
                                (System.nanoTime() - start) / 1e9);
                    }
                    return clip;
                }));
            }
            List<AsrClip> clips = new ArrayList<>();
            List<String> undecodable = new ArrayList<>();
            for (Future<ClipOutcome> f : futures) {
                ClipOutcome outcome = f.get();
                if (outcome.clip() != null) clips.add(outcome.clip());
                if (outcome.undecodable() != null) undecodable.add(outcome.undecodable());
            }
            if (notRun.get() > 0) return new Evaluated(clips, undecodable, notRun.get());
            int uncached = items.size() - clips.size() - undecodable.size();
            if (uncached > 0) {
                System.out.printf(Locale.ROOT, "--cached-only: %d of %d clips have no cached recognition and are left out%n",
                        uncached, items.size());
            }
            return new Evaluated(clips, undecodable, 0);
        } finally {
            pool.shutdownNow();
        }
    }

    private AsrClip evaluate(Item item, SpeechTranscriber transcriber, Optional<SpeechActivityDetector> vad,
                             TranscriptGate gate) throws IOException {
        Path cached = cacheFile(item.file(), transcriber);
        if (cached != null && Files.isRegularFile(cached)) {
            RecognisedSpeech speech = json.readValue(cached.toFile(), RecognisedSpeech.class);
            return AsrClip.of(item.input(), item.file().toString(), item.reference(), speech, gate, true, 0);
        }
        long t0 = System.nanoTime();
        RecognisedSpeech speech;
        // Streamed: recognised while decoded, so an hour-long recording costs no more memory than a clip
        try (TranscribingSink sink = new TranscribingSink(transcriber.begin(0),
                vad.map(HeardTranscriptsProducer::voicedTime).orElse(null),
                VOICED_BLOCK_SECONDS)) {
            decoder.stream(item.file(), sink);
            speech = sink.finish();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (cached != null) {
            try {
                WholeFile.write(cached, temporary -> json.writeValue(temporary.toFile(), speech));
            } catch (IOException e) {
                // ended the run in an ExecutionException's stack trace; the clips cached before stay whole
                throw new UnwritableFile("--cache " + cache + " cannot be written: " + LocalFailures.inWords(e, cached), e);
            }
        }
        return AsrClip.of(item.input(), item.file().toString(), item.reference(), speech, gate, false, seconds);
    }

    private boolean isCached(Path file, SpeechTranscriber transcriber) throws IOException {
        Path cached = cacheFile(file, transcriber);
        return cached != null && Files.isRegularFile(cached);
    }

    private Path cacheFile(Path file, SpeechTranscriber transcriber) throws IOException {
        if ("none".equals(cache)) return null;
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
            sha = Sha256.of(in);
        }
        return Path.of(cache, transcriber.modelSha256().substring(0, 16), sha + ".json");
    }

    private List<Item> items() throws IOException {
        List<Item> items = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isRegularFile(input) && input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                items.addAll(manifest(input));
            } else {
                MediaFiles.expand(List.of(input)).forEach(f -> items.add(new Item(f, null, input.toString())));
            }
        }
        return items;
    }

    /**
     * The clips a manifest lists, read as a dataset manifest's bytes and CSV are ({@link DatasetManifest#parser}): UTF-8
     * text, with or without a byte order mark, header names without surrounding spaces. Said before the recogniser loads,
     * in one refusal naming the manifest and the line: bytes that are not UTF-8, CSV that is not well-formed and a row
     * with more or fewer cells than the header (each was a stack trace or commons-csv's words without the manifest), and
     * every row whose file cell names nothing that can be read as a clip.
     */
    static List<Item> manifest(Path csvFile) throws IOException {
        Path dir = csvFile.toAbsolutePath().getParent();
        List<Item> items = new ArrayList<>();
        try (Reader r = Utf8Text.withoutByteOrderMark(new BufferedReader(new Utf8Text(csvFile)));
             CSVParser p = DatasetManifest.parser(csvFile, r)) {
            // A mark or a space around a name left the reference column unread, and every clip was scored as speech
            // without a reference (another language's) without a word
            List<String> header = p.getHeaderNames().stream().map(String::strip).toList();
            int fileColumn = header.indexOf(column(header, csvFile, true, "file", "path"));
            String textName = column(header, csvFile, false, "text", "reference", "transcript");
            int textColumn = textName == null ? -1 : header.indexOf(textName);
            List<String> unusable = new ArrayList<>();
            for (CSVRecord rec : DatasetManifest.records(csvFile, p)) {
                long line = rec.getRecordNumber() + 1;
                if (rec.size() != header.size())
                    throw new IllegalArgumentException("manifest " + csvFile + " line " + line + " has " + rec.size()
                            + " cells; its header has " + header.size());
                String cell = rec.get(fileColumn);
                Optional<String> problem = cell.isEmpty() ? Optional.of("names no file") : clipProblem(dir, cell);
                if (problem.isPresent()) {
                    unusable.add("line " + line + " '" + cell + "': " + problem.get());
                    continue;
                }
                items.add(new Item(dir.resolve(cell).normalize(), textColumn < 0 ? null : rec.get(textColumn),
                        csvFile.toString()));
            }
            // Said before the recogniser loads: a row naming no file was a stack trace in the middle of the run, a
            // folder (an empty cell names the manifest's own) the same once the recogniser had loaded, and a FIFO or
            // a device waited for ever while its bytes were hashed for the cache, a stop signal waiting with it
            if (!unusable.isEmpty())
                throw new IllegalArgumentException("manifest " + csvFile + ": " + unusable.size() + " row(s) name no file "
                        + "that can be read as a clip (relative to the manifest's folder), first " + unusable.get(0));
        } catch (IOException e) {
            Utf8Text.refuseIfNotUtf8(e, "manifest");
            throw e;
        }
        return items;
    }

    /** Why the file {@code cell} names (relative to {@code dir}) cannot be a clip: not there, a folder, a FIFO... */
    private static Optional<String> clipProblem(Path dir, String cell) {
        Path file;
        try {
            file = dir.resolve(cell).normalize();
        } catch (InvalidPathException e) {
            return Optional.of(LocalObjectStorage.noFileName(e));
        }
        if (Files.isRegularFile(file)) return Optional.empty();
        return Optional.of(Files.exists(file) ? NotARegularFile.words(file) : "does not exist");
    }

    private static String column(List<String> header, Path csvFile, boolean required, String... names) {
        for (String n : names) if (header.contains(n)) return n;
        if (required) {
            throw new IllegalArgumentException(csvFile + " has no column " + String.join(" or ", names) + "; its columns are "
                    + header);
        }
        return null;
    }
}
