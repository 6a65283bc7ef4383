package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: what feature extraction encodes. Rows the label map drops are never encoded, and a run killed mid-way
 * (SIGKILL, nothing flushed at exit) resumes from the rows it finished. Real bge-small text encoder, real cache files.
 */
class ExtractionScopeTest {

    /** A cache entry of the 384-d text block: content hash, length, floats. */
    private static final int TEXT_ENTRY_BYTES = 32 + 4 + 384 * 4;

    @TempDir
    Path dir;

    @Test
    void rowsTheLabelMapDropsAreNeverEncoded() throws Exception {
        Path manifest = Files.writeString(dir.resolve("m.csv"), """
                id,transcript,label,split
                k1,I am so happy today!,joy,train
                k2,This is terrible news.,sadness,train
                k3,What a wonderful surprise.,joy,train
                k4,I miss her every day.,sadness,train
                k5,We won the match!,joy,test
                k6,Nobody came to the funeral.,sadness,test
                d1,The meeting is at noon.,neutral,train
                d2,Pass me the salt please.,neutral,test
                d3,I could scream right now!,anger,train
                """);
        ExperimentSettings oneFit = Synthetic.settings(FusionMode.EARLY, ExperimentSettings.Ablation.NONE, 3,
                new GridSearch(List.of(1.0), List.of(1.0), 1));
        Path cacheDir = dir.resolve("cache");
        List<FeatureExtractor> made = new ArrayList<>();
        Trainer.Outcome out;
        try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
             FeatureCache cache = new FeatureCache(cacheDir)) {
            out = new Trainer().run(new Trainer.Request("scope", manifest, LabelMap.parse("joy=happy,sadness=sad"), "split", oneFit,
                    Set.of(), dir.resolve("report"), Optional.empty(), false, false), modalities -> {
                FeatureExtractor fx = new FeatureExtractor(engine, null, cache, 1);
                made.add(fx);
                return fx;
            });
            FeatureExtractor fx = made.get(0);
            FeatureBlock text = fx.layout().block(0);
            assertEquals(6, cache.size(text), "only the six rows the label map keeps were encoded");
            for (ManifestRow row : DatasetManifest.read(manifest).rows()) {
                boolean dropped = row.id().startsWith("d");
                assertEquals(dropped, cache.get(text, fx.contentHash(row)).isEmpty(), row.id() + (dropped ? " was encoded" : " is missing"));
            }
        }
        assertEquals(6, out.table().size());
        assertEquals(java.util.Map.of("neutral", 2, "anger", 1), out.table().skippedLabels(), "dropped rows are still reported");
        String md = Files.readString(dir.resolve("report").resolve("report.md"));
        assertTrue(md.contains("skipped by the label map: {anger=1, neutral=2}"), md);
    }

    /** The extraction a killed child process runs: {@code MANIFEST CACHE_DIR}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
                 FeatureCache cache = new FeatureCache(Path.of(args[1]))) {
                new FeatureExtractor(engine, null, cache, 1).extract(DatasetManifest.read(Path.of(args[0])).rows());
            }
        }
    }

    @Test
    void aRunKilledMidExtractionResumesFromTheRowsItFinished() throws Exception {
        Fixtures.shared("models");
        int n = 600;
        StringBuilder csv = new StringBuilder("id,transcript,label\n");
        for (int i = 0; i < n; i++) csv.append("r").append(i).append(",Sentence number ").append(i).append(" of the resumable run.,joy\n");
        Path manifest = Files.writeString(dir.resolve("many.csv"), csv);
        Path cacheDir = dir.resolve("cache");
        // The class path goes in an argument file: ONNX Runtime 1.29 crashed (SIGSEGV, no JVM error report) at
        // OrtEnvironment creation here in any process whose command line was longer than about 4 KB.
        Path args = Files.writeString(dir.resolve("child.args"), "-cp \"" + System.getProperty("java.class.path") + "\"\n");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "@" + args, Child.class.getName(), manifest.toString(), cacheDir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long killedAt;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (entries(cacheDir) < 10) {
                assertTrue(child.isAlive(), () -> "the child ended before it was killed: " + log());
                assertTrue(System.nanoTime() < deadline, () -> "no progress in 120 s: " + log());
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final flush
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        killedAt = entries(cacheDir);
        assertTrue(killedAt >= 10 && killedAt < n, "killed mid-extraction after " + killedAt + " rows");

        DatasetManifest rows = DatasetManifest.read(manifest);
        try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
             FeatureCache cache = new FeatureCache(cacheDir)) {
            FeatureExtractor fx = new FeatureExtractor(engine, null, cache, 2);
            FeatureExtractor.Result resumed = fx.extract(rows.rows());
            assertEquals(n, resumed.vectors().size());
            assertTrue(resumed.failed().isEmpty(), resumed.failed()::toString);
            assertTrue(resumed.cached() >= killedAt - 1, "every row the killed run completed is reused: " + resumed.cached()
                    + " cached of " + killedAt + " written (the last may have been torn)");
            assertEquals(n - resumed.cached(), resumed.computed(), "only the rest is encoded");
            assertEquals(n, cache.size(fx.layout().block(0)));
            ManifestRow first = rows.rows().get(0);
            assertArrayEquals(engine.embed(fx.utterance(first)).results().get(0).vector(), resumed.vectors().get(first.id())[0],
                    "what the killed run wrote is what the encoder gives");
        }
        assertFalse(log().contains("Exception"), log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Complete text entries in the cache files so far. */
    private static long entries(Path cacheDir) throws Exception {
        if (!Files.isDirectory(cacheDir)) return 0;
        try (Stream<Path> files = Files.walk(cacheDir)) {
            return files.filter(p -> p.toString().endsWith(".bin")).mapToLong(p -> p.toFile().length()).sum() / TEXT_ENTRY_BYTES;
        }
    }

    /**
     * A stop asked for between rows (Ctrl-C of moodtag train) starts no other row, ends the extraction with
     * {@link dev.moodtag.support.Stopped} saying how far it came, and leaves the rows done in the cache for the rerun;
     * with two workers, a row under way when the stop came finishes too. Before, nothing asked for a stop here.
     */
    @Test
    void aStopBetweenRowsEndsTheExtractionAndTheRerunStartsAfterTheRowsDone() throws Exception {
        int n = 40;
        StringBuilder csv = new StringBuilder("id,transcript,label\n");
        for (int i = 0; i < n; i++) csv.append("r").append(i).append(",Sentence number ").append(i).append(" of the stopped run.,joy\n");
        List<ManifestRow> rows = DatasetManifest.read(Files.writeString(dir.resolve("stopped.csv"), csv)).rows();
        try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false)) {
            for (int threads : new int[]{1, 2}) {
                for (int after : new int[]{0, 1, 7, n - 2}) {
                    Path cacheDir = dir.resolve("cache-" + threads + "-" + after);
                    int kept;
                    try (FeatureCache cache = new FeatureCache(cacheDir)) {
                        FeatureExtractor fx = new FeatureExtractor(engine, null, cache, threads);
                        FeatureBlock text = fx.layout().block(0);
                        dev.moodtag.support.Stopped stopped = assertThrows(dev.moodtag.support.Stopped.class,
                                () -> fx.extract(rows, () -> cache.size(text) >= after));
                        kept = cache.size(text);
                        String where = threads + " worker(s), stop after " + after + ": " + stopped.getMessage();
                        assertTrue(kept >= after && kept < after + threads, where + "; kept " + kept);
                        assertTrue(stopped.getMessage().startsWith("stopped during the feature extraction after " + kept
                                + " of " + n + " row(s)"), where);
                    }
                    try (FeatureCache cache = new FeatureCache(cacheDir)) {
                        FeatureExtractor.Result resumed = new FeatureExtractor(engine, null, cache, threads).extract(rows);
                        assertEquals(n, resumed.vectors().size());
                        assertEquals(kept, resumed.cached(), "the rows done before the stop are reused");
                        assertEquals(n - kept, resumed.computed());
                    }
                }
            }
        }
    }
}
