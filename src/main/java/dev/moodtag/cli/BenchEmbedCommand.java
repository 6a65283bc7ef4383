package dev.moodtag.cli;

import dev.moodtag.support.Percentiles;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EmbeddingEngines;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.Pooling;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.MediaFiles;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.pack.PackConfig;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code moodtag bench-embed}: per-stage latency of the shipped pack on real files, and INT8 against FP32 for every
 * encoder that ships both. A benchmark, not a test: it prints figures and never fails on them. Figures are medians
 * after warm-up; compare ratios within one run, since shared machines are noisy.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "bench-embed", mixinStandardHelpOptions = true,
        description = "Benchmark decode and each encoder on media files; compare INT8 and FP32 encoders.")
public class BenchEmbedCommand implements Callable<Integer>, BeforeStart.Check {

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR")
    List<Path> inputs;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs per file, 0.."
            + BeforeStart.MAX_RUNS + " (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "10", description = "Timed runs per file, 1.."
            + BeforeStart.MAX_RUNS + " (default ${DEFAULT-VALUE}).")
    int runs;

    private final MediaDecoder decoder;
    private final PackConfig packConfig;
    private final EmbeddingEngines engines;

    public BenchEmbedCommand(MediaDecoder decoder, PackConfig packConfig, EmbeddingEngines engines) {
        this.decoder = decoder;
        this.packConfig = packConfig;
        this.engines = engines;
    }

    /**
     * Counts that cannot be run, and an input that is not there, are known before any model loads; the missing input
     * was a MediaException's stack trace and exit code 1 after the pack had loaded and the table's header was printed.
     */
    @Override
    public Optional<String> problemBeforeStart() {
        return BeforeStart.runCounts(runs, warmup)
                .or(() -> inputs.stream().map(BeforeStart::missing).flatMap(Optional::stream).findFirst());
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        List<Path> files = MediaFiles.expand(inputs);
        // A file that cannot be decoded is an input bench-embed cannot use, refused before any figure as bench refuses
        // it (one line, exit code 2 through MoodtagMain): it was a MediaException's stack trace and exit code 1, after
        // the figures of the files before it
        List<Utterance> utterances = new ArrayList<>();
        for (Path file : files) {
            try {
                utterances.add(decoder.decode(file, null));
            } catch (MediaException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        ModelPack pack = ModelPackLoader.fromConfig(packConfig).load(Path.of(packConfig.manifest()));
        out.printf(Locale.ROOT, "moodtag bench-embed: pack %s %s, %d warm-up + %d timed runs per file, %d cores, java %s%n",
                pack.id(), pack.version(), warmup, runs, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        try (EmbeddingEngine sequential = engine(pack, false); EmbeddingEngine concurrent = engine(pack, true)) {
            List<String> ids = sequential.encoders().stream().map(e -> e.id() + " (" + e.precision() + ")").toList();
            out.printf(Locale.ROOT, "%nmedian ms per utterance; 'sum' runs encoders one after another, 'total' concurrently, "
                    + "'e2e' decodes and encodes with the video encoders working while the file is decoded%n");
            out.printf(Locale.ROOT, "%-28s %7s %7s", "file", "media s", "decode");
            ids.forEach(id -> out.printf(Locale.ROOT, " %24s", id));
            out.printf(Locale.ROOT, " %8s %8s %8s%n", "sum", "total", "e2e");
            for (int f = 0; f < files.size(); f++) {
                Path file = files.get(f);
                Utterance u = utterances.get(f);
                double[] decodeMs = time(() -> decoder.decode(file, null));
                Map<String, double[]> perEncoder = new LinkedHashMap<>();
                double[] sum = new double[runs];
                for (int i = 0; i < warmup; i++) sequential.embed(u);
                for (int r = 0; r < runs; r++) {
                    UtteranceEmbeddings e = sequential.embed(u);
                    for (EncoderResult res : e.results()) {
                        perEncoder.computeIfAbsent(res.encoder().id(), k -> new double[runs])[r] = res.millis();
                        sum[r] += res.millis();
                    }
                }
                double[] total = time(() -> concurrent.embed(u));
                // As served: the encoders work while the file is decoded.
                double[] e2e = time(() -> concurrent.decodeAndEmbed(decoder, file, null));
                double duration = u.audioTrack().map(a -> a.durationSeconds())
                        .orElse(u.videoTrack().map(v -> v.frames().size() / Math.max(1, v.sampledFps())).orElse(0.0));
                out.printf(Locale.ROOT, "%-28s %7.2f %7.1f", trim(file.getFileName().toString(), 28), duration,
                        Percentiles.median(decodeMs));
                UtteranceEmbeddings once = sequential.embed(u);
                for (EncoderResult res : once.results()) {
                    out.printf(Locale.ROOT, " %24s", res.present()
                            ? String.format(Locale.ROOT, "%.1f", Percentiles.median(perEncoder.get(res.encoder().id())))
                            : "missing");
                }
                out.printf(Locale.ROOT, " %8.1f %8.1f %8.1f%n", Percentiles.median(sum), Percentiles.median(total), Percentiles.median(e2e));
            }
        }
        out.printf(Locale.ROOT, "%npooling (mean+std of 41x96 and 16x263 matrices): %.3f ms%n", poolingMs());
        comparePrecisions(pack, utterances, out);
        return 0;
    }

    /** For every encoder that ships both precisions: embedding cosine and speed, INT8 against FP32. */
    private void comparePrecisions(ModelPack pack, List<Utterance> utterances, PrintStream out) {
        out.printf(Locale.ROOT, "%nINT8 vs FP32 (same inputs; cosine of the pooled embedding; median ms)%n");
        out.printf(Locale.ROOT, "%-24s %-28s %8s %9s %9s %7s%n", "encoder", "file", "cosine", "int8 ms", "fp32 ms",
                "ratio");
        for (EncoderSpec spec : pack.encoders()) {
            Set<String> others = pack.encoders().stream().map(EncoderSpec::id).filter(id -> !id.equals(spec.id()))
                    .collect(Collectors.toSet());
            ModelPack int8, fp32;
            try {
                int8 = loader(spec.id(), "int8", others).load(pack.manifest());
                fp32 = loader(spec.id(), "fp32", others).load(pack.manifest());
            } catch (ModelPackException e) {
                continue; // only one precision ships for this encoder
            }
            if (locations(int8).equals(locations(fp32))) continue; // same files either way: nothing to compare
            try (EmbeddingEngine a = engine(int8, false); EmbeddingEngine b = engine(fp32, false)) {
                for (Utterance u : utterances) {
                    EncoderResult ra = a.embed(u).results().get(0);
                    EncoderResult rb = b.embed(u).results().get(0);
                    if (!ra.present() || !rb.present()) continue;
                    double ta = Percentiles.median(time(() -> a.embed(u)));
                    double tb = Percentiles.median(time(() -> b.embed(u)));
                    out.printf(Locale.ROOT, "%-24s %-28s %8.4f %9.1f %9.1f %7.2f%n", spec.id(),
                            trim(u.source(), 28), Pooling.cosine(ra.vector(), rb.vector()), ta, tb, ta / tb);
                }
            }
        }
    }

    private static Set<String> locations(ModelPack onlyOneEncoder) {
        return onlyOneEncoder.encoders().get(0).files().values().stream().map(f -> f.location())
                .collect(Collectors.toSet());
    }

    private ModelPackLoader loader(String id, String precision, Set<String> disabled) {
        return new ModelPackLoader(packConfig.searchPath().stream().map(Path::of).toList(), false,
                Map.of(id, precision), disabled);
    }

    private EmbeddingEngine engine(ModelPack pack, boolean parallel) {
        return engines.build(pack, parallel);
    }

    private double[] time(Runnable r) {
        for (int i = 0; i < warmup; i++) r.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static double poolingMs() {
        float[] a = new float[41 * 96], b = new float[16 * 263];
        Arrays.fill(a, 0.5f);
        Arrays.fill(b, 0.25f);
        for (int i = 0; i < 2000; i++) {
            Pooling.meanStd(a, 41, 96);
            Pooling.meanStd(b, 16, 263);
        }
        long t0 = System.nanoTime();
        int n = 2000;
        for (int i = 0; i < n; i++) {
            Pooling.meanStd(a, 41, 96);
            Pooling.meanStd(b, 16, 263);
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n + 1);
    }
}
