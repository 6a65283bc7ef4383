package dev.moodtag.cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.encode.speech.SpeechRegions;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaFiles;
import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.support.Sha256;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.pack.PackConfig;
import dev.moodtag.transcribe.AsrClip;
import dev.moodtag.transcribe.AsrSummary;
import dev.moodtag.transcribe.GateDecision;
import dev.moodtag.transcribe.RecognisedSpeech;
import dev.moodtag.transcribe.SpeechTranscriber;
import dev.moodtag.transcribe.SpeechTranscribers;
import dev.moodtag.transcribe.TranscribeConfig;
import dev.moodtag.transcribe.TranscriptGate;
import dev.moodtag.transcribe.TranscribingSink;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

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
                + "(or 'reference', 'transcript'); a FOLDER is evaluated for acceptance only.")
public class AsrEvalCommand implements Callable<Integer> {

    /** Voiced time is measured on blocks of this length: whole clips, and long recordings in bounded memory. */
    private static final double VOICED_BLOCK_SECONDS = 60;

    @Parameters(arity = "1..*", paramLabel = "MANIFEST|FOLDER|FILE")
    List<Path> inputs;

    @Option(names = "--out", defaultValue = "out/asr-eval.csv", description = "Per-clip CSV (default ${DEFAULT-VALUE}).")
    Path csv;

    @Option(names = "--cache", defaultValue = "out/asr-cache",
            description = "Folder of cached recognitions (default ${DEFAULT-VALUE}); 'none' to recognise again.")
    String cache;

    @Option(names = "--threads", defaultValue = "1", description = "Clips recognised at once (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N clips (0: all).")
    int limit;

    @Option(names = "--cached-only", description = "Score only the clips already in the cache (the others are counted "
            + "and left out): figures from a run still in progress, or another gate on the same recognitions.")
    boolean cachedOnly;

    @Option(names = "--sweep", description = "Also print acceptance and WER for a grid of mean-confidence thresholds.")
    boolean sweep;

    private final MediaDecoder decoder;
    private final PackConfig packConfig;
    private final TranscribeConfig config;
    private final OnnxRuntime onnx;
    private final EncoderKinds kinds;
    private final java.util.Map<String, String> inputOf = new java.util.HashMap<>();
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

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        List<Item> items = items();
        if (limit > 0 && items.size() > limit) items = items.subList(0, limit);
        items.forEach(i -> inputOf.putIfAbsent(i.file().toString(), i.input()));
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
            List<AsrClip> clips = evaluate(items, transcriber, vad, gate);
            writeCsv(clips);
            List<String> sources = items.stream().map(Item::input).distinct().toList();
            if (sources.size() > 1) {
                for (String source : sources) {
                    AsrSummary.of(clips.stream().filter(c -> source.equals(inputOf.get(c.file()))).toList())
                            .print(out, source);
                }
            }
            AsrSummary.of(clips).print(out, "gate");
            double audio = 0, spent = 0;
            int fresh = 0;
            for (AsrClip c : clips) {
                if (c.cached()) continue;
                fresh++;
                audio += c.speech().audioSeconds();
                spent += c.seconds();
            }
            if (fresh > 0) {
                out.printf(Locale.ROOT, "recognised %d clips (%.0f s of audio) in %.0f s of worker time: %.1f× real time "
                        + "per worker (decode + VAD + recognition); %d from the cache%n", fresh, audio, spent,
                        audio / spent, clips.size() - fresh);
            }
            if (sweep) sweep(out, clips);
            out.println("per-clip results: " + csv.toAbsolutePath());
        } finally {
            vad.ifPresent(SpeechActivityDetector::close);
        }
        return 0;
    }

    private List<AsrClip> evaluate(List<Item> items, SpeechTranscriber transcriber, Optional<SpeechActivityDetector> vad,
                                   TranscriptGate gate) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<AsrClip>> futures = new ArrayList<>();
            for (Item item : items) {
                futures.add(pool.submit(() -> {
                    if (cachedOnly && !isCached(item.file(), transcriber)) return null;
                    AsrClip clip = evaluate(item, transcriber, vad, gate);
                    int n = done.incrementAndGet();
                    if (n % 50 == 0 || n == items.size()) {
                        System.err.printf(Locale.ROOT, "asr-eval: %d/%d clips, %.0f s%n", n, items.size(),
                                (System.nanoTime() - start) / 1e9);
                    }
                    return clip;
                }));
            }
            List<AsrClip> clips = new ArrayList<>();
            for (Future<AsrClip> f : futures) {
                AsrClip clip = f.get();
                if (clip != null) clips.add(clip);
            }
            if (clips.size() < items.size()) {
                System.out.printf(Locale.ROOT, "--cached-only: %d of %d clips have no cached recognition and are left out%n",
                        items.size() - clips.size(), items.size());
            }
            return clips;
        } finally {
            pool.shutdownNow();
        }
    }

    private AsrClip evaluate(Item item, SpeechTranscriber transcriber, Optional<SpeechActivityDetector> vad,
                             TranscriptGate gate) throws IOException {
        Path cached = cacheFile(item.file(), transcriber);
        if (cached != null && Files.isRegularFile(cached)) {
            RecognisedSpeech speech = json.readValue(cached.toFile(), RecognisedSpeech.class);
            return AsrClip.of(item.file().toString(), item.reference(), speech, gate, true, 0);
        }
        long t0 = System.nanoTime();
        RecognisedSpeech speech;
        // Streamed: recognised while decoded, so an hour-long recording costs no more memory than a clip
        try (TranscribingSink sink = new TranscribingSink(transcriber.begin(0),
                vad.<ToDoubleFunction<AudioTrack>>map(v -> a -> SpeechRegions.seconds(v.speechRegions(a))).orElse(null),
                VOICED_BLOCK_SECONDS)) {
            decoder.stream(item.file(), sink);
            speech = sink.finish();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (cached != null) {
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), "clip", ".tmp");
            json.writeValue(tmp.toFile(), speech);
            Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return AsrClip.of(item.file().toString(), item.reference(), speech, gate, false, seconds);
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

    private static List<Item> manifest(Path csvFile) throws IOException {
        Path dir = csvFile.toAbsolutePath().getParent();
        List<Item> items = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(csvFile);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            String fileColumn = column(p, csvFile, true, "file", "path");
            String textColumn = column(p, csvFile, false, "text", "reference", "transcript");
            for (CSVRecord rec : p) {
                items.add(new Item(dir.resolve(rec.get(fileColumn)).normalize(),
                        textColumn == null ? null : rec.get(textColumn), csvFile.toString()));
            }
        }
        return items;
    }

    private static String column(CSVParser p, Path csvFile, boolean required, String... names) {
        for (String n : names) if (p.getHeaderMap().containsKey(n)) return n;
        if (required) {
            throw new IllegalArgumentException(csvFile + " has no column " + String.join(" or ", names) + "; its columns are "
                    + p.getHeaderNames());
        }
        return null;
    }

    private void writeCsv(List<AsrClip> clips) {
        try {
            if (csv.toAbsolutePath().getParent() != null) Files.createDirectories(csv.toAbsolutePath().getParent());
            try (Writer w = Files.newBufferedWriter(csv);
                 CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("file", "reference", "hypothesis",
                         "accepted", "reason", "words", "mean_confidence", "min_confidence", "audio_s", "voiced_s",
                         "voiced_coverage", "edits", "reference_words", "seconds").get())) {
                for (AsrClip c : clips) {
                    RecognisedSpeech s = c.speech();
                    GateDecision d = c.decision();
                    p.printRecord(c.file(), c.reference(), s.text(), d.accepted(), d.reason(), s.words().size(),
                            fmt(s.meanConfidence()), fmt(s.minConfidence()), fmt(s.audioSeconds()), fmt(s.voicedSeconds()),
                            fmt(s.voicedCoverage()), c.hasReference() ? c.edits() : "", c.hasReference() ? c.referenceWords() : "",
                            c.cached() ? "" : fmt(c.seconds()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + csv, e);
        }
    }

    private void sweep(PrintStream out, List<AsrClip> clips) {
        out.printf(Locale.ROOT, "%nmean-confidence threshold sweep (voiced coverage >= %.2f kept):%n",
                config.gate().minVoicedCoverage());
        out.printf(Locale.ROOT, "%9s %10s %12s%n", "threshold", "accepted", "WER accepted");
        for (int i = 50; i <= 99; i += (i < 80 ? 5 : 1)) {
            TranscriptGate g = new TranscriptGate(i / 100.0, config.gate().minVoicedCoverage());
            AsrSummary s = AsrSummary.of(clips.stream()
                    .map(c -> AsrClip.of(c.file(), c.reference(), c.speech(), g, c.cached(), c.seconds())).toList());
            out.printf(Locale.ROOT, "%9.2f %9.1f%% %11.2f%%%n", i / 100.0, 100 * s.acceptedShare(), 100 * s.acceptedWer());
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
