package dev.moodtag.cli;

import dev.moodtag.support.Percentiles;
import dev.moodtag.support.SettingRange;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moodtag.batch.ReportFolder;
import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EmbeddingEngines;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.pack.PackConfig;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.UnwritableFile;
import dev.moodtag.support.WholeFile;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code moodtag bench}: the whole pipeline on one utterance, as a user runs it: model load time (manifest with
 * checksums, sessions, classifier), the first (cold) utterance, per-stage medians (decode, each encoder alone, fusion
 * + classifier), end-to-end p50/p95 with the encoders running concurrently, throughput at several concurrency levels,
 * and the process's peak RSS. Writes the figures (and the pooled embeddings, for precision checks) as JSON so that
 * {@code bench/run.sh} can set them beside the Python peer's. A benchmark, not a test: it never fails on a number.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the whole pipeline (decode, encoders, fusion + classifier) on one media file.")
public class BenchCommand implements Callable<Integer>, BeforeStart.Check {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "FILE", description = "The utterance (media file, transcript beside it).")
    Path file;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs, 0.." + BeforeStart.MAX_RUNS
            + " (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "20", description = "Timed runs, 1.." + BeforeStart.MAX_RUNS
            + " (default ${DEFAULT-VALUE}).")
    int runs;

    /** The most passes run at once for throughput: past the cores more only queue (the same bound as tag's --workers). */
    static final int MAX_CONCURRENCY = TagCommand.MAX_WORKERS;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,2,4",
            description = "Concurrency levels for throughput, each 1.." + MAX_CONCURRENCY + " (default ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    /** The longest pause before a pass: a minute is longer than any component's idle work between requests. */
    static final long MAX_PAUSE_MS = 60_000;

    @Option(names = "--pause-ms", defaultValue = "0", description = "Idle time before each timed end-to-end pass, as "
            + "events that arrive apart rather than back to back: work a component does between requests (a recogniser "
            + "warmed up ahead) then stays off the timed path, 0.." + MAX_PAUSE_MS + " (default ${DEFAULT-VALUE}).")
    long pauseMs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--label", defaultValue = "moodtag", description = "Name of this configuration in the output.")
    String label;

    @Option(names = "--json", description = "Write the figures and the pooled embeddings to this JSON file.")
    Path json;

    private final MediaDecoder decoder;
    private final PackConfig packConfig;
    private final EmbeddingEngines engines;

    public BenchCommand(MediaDecoder decoder, PackConfig packConfig, EmbeddingEngines engines) {
        this.decoder = decoder;
        this.packConfig = packConfig;
        this.engines = engines;
    }

    /** What one pass through the pipeline costs, stage by stage. */
    private record Pass(double decodeMs, UtteranceEmbeddings embeddings, double classifyMs, double totalMs) {
    }

    /**
     * Every distinct vector each encoder produced over all passes, warm-up, sequential and concurrent alike: the
     * product promises one vector per file and pack whatever the load, and a bench run is that load.
     */
    static final class Repeatability {
        private final Map<String, List<float[]>> seen = new LinkedHashMap<>();
        private int passes;

        synchronized void see(UtteranceEmbeddings e) {
            passes++;
            for (EncoderResult r : e.results()) {
                if (!r.present()) continue;
                List<float[]> vs = seen.computeIfAbsent(r.encoder().id(), k -> new ArrayList<>());
                if (vs.stream().noneMatch(v -> Arrays.equals(v, r.vector()))) vs.add(r.vector().clone());
            }
        }

        synchronized Map<String, Object> summary() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("passes", passes);
            Map<String, Integer> distinct = new LinkedHashMap<>();
            seen.forEach((id, vs) -> distinct.put(id, vs.size()));
            out.put("distinctVectors", distinct);
            return out;
        }
    }

    private final Repeatability repeatability = new Repeatability();

    /**
     * A FILE that is not there (or a folder), and counts that cannot be run, are known before any model loads; the
     * FILE was a MediaException's stack trace and exit code 1 once the pack had loaded.
     */
    @Override
    public Optional<String> problemBeforeStart() {
        // Refused after every timed run before: a pool of 0 threads, an array of -1 timings.
        Optional<String> counts = BeforeStart.runCounts(runs, warmup);
        if (counts.isPresent()) return counts;
        Optional<String> outOfRange = SettingRange.within("--pause-ms", pauseMs, 0, MAX_PAUSE_MS)
                .or(() -> concurrency.stream().map(c -> SettingRange.within("--concurrency", c, 1, MAX_CONCURRENCY))
                        .flatMap(Optional::stream).findFirst());
        if (outOfRange.isPresent()) return outOfRange;
        if (concurrency.isEmpty()) return Optional.of("--concurrency needs at least one level");
        if (Files.isDirectory(file)) return Optional.of(file + " is a folder: give one media file (bench-embed takes folders)");
        Optional<String> missing = BeforeStart.missing(file);
        if (missing.isPresent()) return missing;
        // --json is written after every timed run: a folder that is not there was a FileNotFoundException's stack
        // trace (exit 1) once the whole benchmark had run, its figures lost, and so was any other path that cannot be
        // written (/proc/x, a file as its folder, a loop of links, a name too long), which passed this check.
        if (json != null) {
            Path abs = json.toAbsolutePath().normalize(), folder = abs.getParent();
            if (Files.isDirectory(json)) return Optional.of("--json " + json + " is a folder: give a file name");
            if (folder != null && !Files.isDirectory(folder)) {
                LocalFailures.PathFault fault = LocalFailures.faultOf(new NoSuchFileException(abs.toString()), abs);
                // only missing: made by no one but the user, as before; anything else in the way is said in words
                return Optional.of("--json " + json + (fault.fault() == LocalFailures.Fault.NO_SUCH_FOLDER
                        ? ": the folder " + folder + " does not exist; create it first"
                        : " (" + abs + ") cannot be written: " + fault.words()));
            }
            // a device (/dev/null) is written in place as before, which ReportFolder.prepareFile refuses for the files
            // it appends to or replaces
            if (Files.exists(abs) && !Files.isRegularFile(abs)) return Optional.empty();
            try {
                ReportFolder.prepareFile("--json", json);
            } catch (IllegalArgumentException wrong) {
                return Optional.of(wrong.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public Integer call() throws Exception {
        // Answered before Quarkus starts (BeforeStart); asked again for callers that skip that step
        Optional<String> problem = problemBeforeStart();
        if (problem.isPresent()) throw new picocli.CommandLine.ParameterException(spec.commandLine(), problem.get());
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        ModelPack pack = ModelPackLoader.fromConfig(packConfig).load(Path.of(packConfig.manifest()));
        Optional<EmotionClassifier> classifier = ClassifierStore.loadFromPack(pack).map(ClassifierStore.Stored::classifier);
        try (EmbeddingEngine engine = engines.build(pack, true)) {
            double loadMs = (System.nanoTime() - t0) / 1e6;
            double coldMs;
            try {
                coldMs = pass(engine, classifier, false).totalMs();
            } catch (MediaException e) {
                // The FILE is there but cannot be decoded: an input bench cannot use, as the first pass finds out
                // (one line and exit code 2 through MoodtagMain.inputRefused, not a stack trace and exit code 1).
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            long rssAfterLoad = procStatusKb("VmRSS");

            for (int i = 0; i < warmup; i++) pass(engine, classifier, false);
            // Per stage: encoders one after another, so that each figure is that encoder alone.
            Map<String, double[]> stages = new LinkedHashMap<>();
            double[] decode = new double[runs], classify = new double[runs], e2e = new double[runs];
            List<EncoderResult> last = List.of();
            for (int r = 0; r < runs; r++) {
                Pass p = pass(engine, classifier, true);
                decode[r] = p.decodeMs();
                classify[r] = p.classifyMs();
                for (EncoderResult res : p.embeddings().results())
                    stages.computeIfAbsent(res.encoder().id(), k -> new double[runs])[r] = res.millis();
                last = p.embeddings().results();
                // End to end as served: encoders concurrently. Interleaved with the per-stage pass, so that both
                // see the same machine load.
                if (pauseMs > 0) Thread.sleep(pauseMs);
                e2e[r] = pass(engine, classifier, false).totalMs();
            }
            Map<String, Double> throughput = new LinkedHashMap<>();
            Map<String, Double> loadedP50 = new LinkedHashMap<>();
            for (int c : concurrency) {
                double[] lat = new double[Math.max(runs, 3 * c)];
                double wallS = concurrently(engine, classifier, c, lat);
                throughput.put(Integer.toString(c), lat.length / wallS);
                loadedP50.put(Integer.toString(c), Percentiles.of(lat, 50));
            }
            long peakKb = procStatusKb("VmHWM");

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("label", label);
            result.put("pack", pack.id() + " " + pack.version());
            result.put("file", file.getFileName().toString());
            result.put("cores", Runtime.getRuntime().availableProcessors());
            result.put("intraOpThreads", System.getenv().getOrDefault("MOODTAG_ONNX_INTRA_OP_THREADS", "default"));
            result.put("loadMs", loadMs);
            result.put("coldMs", coldMs);
            Map<String, Object> stageOut = new LinkedHashMap<>();
            stageOut.put("decode", summary(decode));
            Map<String, EncoderInfo> infos = new LinkedHashMap<>();
            engine.encoders().forEach(i -> infos.put(i.id(), i));
            stages.forEach((id, ms) -> {
                Map<String, Object> s = summary(ms);
                s.put("precision", infos.get(id).precision());
                s.put("modality", infos.get(id).modality().name().toLowerCase(Locale.ROOT));
                s.put("provider", infos.get(id).provider());
                if (!infos.get(id).providerNote().isEmpty()) s.put("providerNote", infos.get(id).providerNote());
                stageOut.put(id, s);
            });
            if (classifier.isPresent()) stageOut.put("fuse+classify", summary(classify));
            result.put("stages", stageOut);
            result.put("e2e", summary(e2e));
            result.put("throughput", throughput);
            result.put("p50UnderConcurrency", loadedP50);
            result.put("rssAfterLoadMb", rssAfterLoad / 1024.0);
            result.put("peakRssMb", peakKb / 1024.0);
            Map<String, float[]> vectors = new LinkedHashMap<>();
            for (EncoderResult res : last) if (res.present()) vectors.put(res.encoder().id(), res.vector());
            result.put("embeddings", vectors);
            result.put("repeatability", repeatability.summary());

            print(out, result, stageOut);
            if (json != null) writeJson(result);
        }
        return 0;
    }

    /**
     * Whole or not at all (a device such as /dev/null in place, as checked before start): a full disk left the JSON
     * cut at a page and ended in "java.io.IOException: No space left on device" with its stack trace.
     */
    private void writeJson(Map<String, Object> result) {
        try {
            if (Files.exists(json) && !Files.isRegularFile(json)) JSON.writeValue(json.toFile(), result);
            else WholeFile.write(json, temporary -> JSON.writeValue(temporary.toFile(), result));
        } catch (IOException e) {
            throw new UnwritableFile("--json " + json + " cannot be written: " + LocalFailures.inWords(e, json)
                    + "; the figures are printed above", e);
        }
    }

    private Pass pass(EmbeddingEngine engine, Optional<EmotionClassifier> classifier, boolean sequential) {
        long t0 = System.nanoTime();
        double decodeMs;
        UtteranceEmbeddings e;
        if (sequential) {
            Utterance u = decoder.decode(file, null);
            decodeMs = (System.nanoTime() - t0) / 1e6;
            e = engine.embedSequentially(u);
        } else {
            // As served: the encoders work while the file is decoded.
            EmbeddingEngine.Decoded d = engine.decodeAndEmbed(decoder, file, null);
            decodeMs = d.decodeMillis();
            e = d.embeddings();
        }
        repeatability.see(e);
        long t2 = System.nanoTime();
        classifier.ifPresent(c -> c.predict(ClassifierStore.sample(c, e)));
        long t3 = System.nanoTime();
        return new Pass(decodeMs, e, (t3 - t2) / 1e6, (t3 - t0) / 1e6);
    }

    /** Runs lat.length passes on c threads; fills per-pass latency, returns the wall time in seconds. */
    private double concurrently(EmbeddingEngine engine, Optional<EmotionClassifier> classifier, int c, double[] lat)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(c);
        try {
            long t0 = System.nanoTime();
            List<Future<Double>> fs = new ArrayList<>();
            for (int i = 0; i < lat.length; i++) fs.add(pool.submit(() -> pass(engine, classifier, false).totalMs()));
            for (int i = 0; i < lat.length; i++) lat[i] = fs.get(i).get();
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    private void print(PrintStream out, Map<String, Object> r, Map<String, Object> stages) {
        out.printf(Locale.ROOT, "moodtag bench: %s, pack %s, %s, %d cores, intra-op threads %s, %d warm-up + %d timed%s%n",
                label, r.get("pack"), file.getFileName(), (Integer) r.get("cores"), r.get("intraOpThreads"), warmup, runs,
                pauseMs > 0 ? ", " + pauseMs + " ms idle before each end-to-end pass" : "");
        out.printf(Locale.ROOT, "  load %.0f ms, first utterance %.0f ms%n", (Double) r.get("loadMs"), (Double) r.get("coldMs"));
        stages.forEach((id, s) -> out.printf(Locale.ROOT, "  %-26s p50 %8.1f ms  p95 %8.1f ms%n", id,
                ((Map<?, ?>) s).get("p50"), ((Map<?, ?>) s).get("p95")));
        Map<?, ?> e2e = (Map<?, ?>) r.get("e2e");
        out.printf(Locale.ROOT, "  %-26s p50 %8.1f ms  p95 %8.1f ms%n", "end to end", e2e.get("p50"), e2e.get("p95"));
        ((Map<?, ?>) r.get("throughput")).forEach((c, t) -> out.printf(Locale.ROOT,
                "  concurrency %s: %.2f utterances/s%n", c, t));
        out.printf(Locale.ROOT, "  peak RSS %.0f MB (after load %.0f MB)%n", r.get("peakRssMb"), r.get("rssAfterLoadMb"));
        Map<?, ?> rep = (Map<?, ?>) r.get("repeatability");
        out.printf(Locale.ROOT, "  distinct vectors per encoder over %s passes: %s%n", rep.get("passes"), rep.get("distinctVectors"));
    }

    private static Map<String, Object> summary(double[] ms) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", Percentiles.of(ms, 50));
        m.put("p95", Percentiles.of(ms, 95));
        return m;
    }

    /** A size line of /proc/self/status in kB (0 where there is no /proc). */
    static long procStatusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
            return 0;
        } catch (IOException e) {
            return 0;
        } catch (UncheckedIOException e) {
            return 0;
        }
    }
}
