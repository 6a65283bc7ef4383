package dev.moodtag.cli;

import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signal during {@code moodtag train} stops it before its next fit. Before, the training installed no handler:
 * SIGINT/SIGTERM became Quarkus's request to exit once the command returned, so the whole grid search and the export
 * ran on, the report was written and the command exited 0. The signal here is raised once the features are
 * extracted and the last line before the first fit is logged (on the training's own thread, which then gives the
 * signal's thread time to land), so the stop comes before any fit for certain. SIGTERM, because a process started
 * in the background may have SIGINT ignored; the command handles both alike.
 */
@QuarkusMainTest
@Tag("quarkus")
class TrainStopTest {

    @Test
    void aSignalBeforeTheFirstFitStopsTheTrainingWritingNothingAndTheRerunReusesTheFeatures(QuarkusMainLauncher launcher)
            throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "train-stop").toAbsolutePath();
        Path manifest = emodb(dir, 32);
        Path cache = dir.resolve("cache"), report = dir.resolve("report"), export = dir.resolve("clf");
        String[] args = {"train", "--manifest", manifest.toString(), "--modalities", "A", "--folds", "grouped:4",
                "--no-ablation", "--c", "1,10", "--gamma-scales", "0.5,1", "--inner-folds", "2",
                "--out", report.toString(), "--export", export.toString()};
        String before = System.getProperty("moodtag.train.cache-dir");
        System.setProperty("moodtag.train.cache-dir", cache.toString());
        sun.misc.Signal term = new sun.misc.Signal("TERM");
        AtomicBoolean unhandled = new AtomicBoolean();
        sun.misc.SignalHandler outer = sun.misc.Signal.handle(term, sig -> unhandled.set(true));
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean raise = new AtomicBoolean(true);
        Handler watch = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String said = r instanceof org.jboss.logmanager.ExtLogRecord e ? e.getFormattedMessage() : r.getMessage();
                logged.add(said);
                if (said.contains(" rows, classes ") && raise.getAndSet(false)) {
                    sun.misc.Signal.raise(term);
                    try {
                        Thread.sleep(2_000); // the handler runs on the signal's own thread
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger trainer = Logger.getLogger("dev.moodtag.train.Trainer");
        trainer.addHandler(watch);
        try {
            LaunchResult stopped = launcher.launch(args);
            String text = stopped.getOutput() + stopped.getErrorOutput();
            assertFalse(unhandled.get(), "the signal reached no handler of the command: " + text);
            assertEquals(1, stopped.exitCode(), text);
            assertTrue(text.contains("moodtag train: stopped"), text);
            assertEquals(0, fits(text), "fits after the stop: " + text);
            assertFalse(Files.exists(report.resolve("report.md")), "a report of a stopped training: " + text);
            assertEquals(List.of(), files(report), "the report folder of a stopped training");
            assertEquals(List.of(), files(export), "the export of a stopped training");

            logged.clear();
            LaunchResult rerun = launcher.launch(args);
            String again = rerun.getOutput() + rerun.getErrorOutput();
            assertEquals(0, rerun.exitCode(), again);
            assertTrue(fits(again) > 0, again);
            assertTrue(Files.isRegularFile(report.resolve("report.md")), again);
            assertTrue(Files.isRegularFile(export.resolve("classifier.json")), again);
            List<String> features = logged.stream().filter(l -> l.startsWith("features: ")).toList();
            assertEquals(1, features.size(), String.valueOf(logged));
            assertTrue(features.get(0).startsWith("features: 0 row(s) encoded, 32 from the cache, 0 failed"), features.get(0));
        } finally {
            trainer.removeHandler(watch);
            sun.misc.Signal.handle(term, outer);
            if (before == null) System.clearProperty("moodtag.train.cache-dir");
            else System.setProperty("moodtag.train.cache-dir", before);
        }
    }

    /** The progress lines that say a fit started. */
    private static long fits(String text) {
        return text.lines().filter(l -> l.contains("fitting ")).count();
    }

    private static List<Path> files(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    /** {@code rows} EmoDB clips, an eighth of them per speaker (four) and class (anger, neutral). */
    private static Path emodb(Path dir, int rows) throws java.io.IOException {
        Path root = Fixtures.shared("data/emodb").toAbsolutePath();
        List<String> lines = Files.readAllLines(root.resolve("manifest.csv"));
        StringBuilder csv = new StringBuilder("id,audio,label,group\n");
        int[] taken = new int[8];
        List<String> speakers = List.of("03", "08", "09", "10");
        for (String line : lines.subList(1, lines.size())) {
            String[] cell = line.split(",");
            int y = cell[3].equals("anger") ? 0 : cell[3].equals("neutral") ? 1 : -1;
            int cellIndex = 2 * speakers.indexOf(cell[1]) + y;
            if (y < 0 || cellIndex < 0 || taken[cellIndex] >= rows / 8) continue;
            taken[cellIndex]++;
            csv.append(cell[0].replace('/', '_')).append(',').append(root.resolve(cell[0])).append(',').append(cell[3])
                    .append(",spk").append(cell[1]).append('\n');
        }
        assertEquals(rows, java.util.Arrays.stream(taken).sum(), csv.toString());
        return Files.writeString(dir.resolve("emodb.csv"), csv);
    }
}
