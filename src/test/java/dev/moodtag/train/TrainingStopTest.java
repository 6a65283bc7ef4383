package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import dev.moodtag.media.Modality;
import dev.moodtag.support.Stopped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * moodtag train's stop (Ctrl-C), asked before every fit: stopped before the k-th fit for every k of a grid over the
 * whole run, it runs no other fit, writes no report while the cross-validation is not whole, and exports nothing once
 * its report is written; never stopped, it writes the bytes a run without a stop writes.
 */
class TrainingStopTest {

    @TempDir
    Path dir;

    @Test
    void aStopBeforeAnyFitEndsTheRunThereAndLeavesNoReportOrExportThatLooksWhole() throws Exception {
        Path manifest = manifest();
        Map<String, byte[]> plain = run("plain", manifest, null);
        assertTrue(plain.containsKey("report/report.md") && plain.containsKey("export/classifier.json"), plain.keySet()::toString);

        AtomicInteger asked = new AtomicInteger();
        int[] reportAt = {-1};
        Path whole = dir.resolve("counted");
        Map<String, byte[]> counted = run("counted", manifest, () -> {
            if (reportAt[0] < 0 && Files.exists(whole.resolve("report").resolve("report.md"))) reportAt[0] = asked.get();
            asked.incrementAndGet();
            return false;
        });
        int fits = asked.get(), crossValidation = reportAt[0];
        assertTrue(crossValidation > 0 && crossValidation < fits, crossValidation + " of " + fits);
        assertEquals(plain.keySet(), counted.keySet());
        for (String file : plain.keySet()) assertArrayEquals(plain.get(file), counted.get(file), file + " differs once stoppable");

        List<String> wrong = new ArrayList<>();
        for (int k : new int[]{0, 1, 2, crossValidation / 2, crossValidation - 1, crossValidation, crossValidation + 1, fits - 1}) {
            AtomicInteger n = new AtomicInteger();
            String name = "stop-" + k;
            Stopped stopped = assertThrows(Stopped.class, () -> run(name, manifest, () -> n.incrementAndGet() > k),
                    "stopped before fit " + (k + 1) + " of " + fits);
            Map<String, byte[]> left = files(dir.resolve(name));
            String said = "stop before fit " + (k + 1) + " of " + fits + " (" + stopped.getMessage() + "): " + left.keySet();
            // k fits ran; after the stop, each grid point already queued on the search's threads asks once more and
            // starts nothing (a search here has 3 x 2 points)
            if (n.get() < k + 1 || n.get() > k + 6) wrong.add(said + ": asked " + n.get() + " times");
            if (k < crossValidation) {
                if (!left.isEmpty() || !stopped.getMessage().startsWith("stopped before the cross-validation's next fit"))
                    wrong.add(said);
            } else if (!left.keySet().stream().allMatch(f -> f.startsWith("report/"))
                    || !java.util.Arrays.equals(plain.get("report/report.md"), left.get("report/report.md"))
                    || !stopped.getMessage().startsWith("stopped during the export's fits")) {
                wrong.add(said);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** Trains and exports into {@code dir/name}, stoppable when {@code stop} is not null; its files by relative path. */
    private Map<String, byte[]> run(String name, Path manifest, BooleanSupplier stop) throws IOException {
        Path out = dir.resolve(name);
        Trainer.Request req = new Trainer.Request("toy", manifest, LabelMap.parse("identity"), "grouped:3",
                Synthetic.settings(FusionMode.LATE), Set.of(), out.resolve("report"), Optional.of(out.resolve("export")), true, false);
        if (stop == null) {
            new Trainer().run(req, needed -> {
                throw new AssertionError("a precomputed-feature manifest needs no encoder");
            });
        } else {
            new Trainer().run(req, needed -> {
                throw new AssertionError("a precomputed-feature manifest needs no encoder");
            }, stop);
        }
        return files(out);
    }

    /** The files under {@code root} by relative path ('/'-separated), with their bytes. */
    static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        if (!Files.isDirectory(root)) return all;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList())
                all.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
        }
        return all;
    }

    private Path manifest() throws IOException {
        return toyManifest(dir);
    }

    /** {@code dir/toy.csv}: three classes, six speakers, a video block and a speech block, the same every time. */
    static Path toyManifest(Path dir) throws IOException {
        List<String> header = new ArrayList<>(List.of("id", "label", "group"));
        header.add(DatasetManifest.featureColumn(Modality.VIDEO, "au", 0));
        header.add(DatasetManifest.featureColumn(Modality.SPEECH, "mfcc", 0));
        List<List<String>> rows = new ArrayList<>();
        Random r = new Random(3);
        String[] labels = {"neutral", "happy", "sad"};
        for (int i = 0; i < 54; i++) {
            int y = i % 3;
            rows.add(List.of("c" + i, labels[y], "actor" + (i % 6), fmt(y + 0.4 * r.nextGaussian()),
                    fmt((y == 2 ? 1 : 0) + r.nextGaussian())));
        }
        Path manifest = dir.resolve("toy.csv");
        DatasetManifest.write(manifest, header, rows);
        return manifest;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }
}
