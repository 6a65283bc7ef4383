package dev.moodtag.cli;

import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signal during {@code moodtag embed} or {@code moodtag asr-eval} stops it before its next file or clip, as
 * {@code train} and {@code tag} stop. Before, neither installed a handler: SIGINT/SIGTERM ended the process at once
 * (exit 130/143, 0.1-0.3 s after the signal, in the middle of a file, with no line of its own and no summary). Here the
 * process is the test's, so the signal instead reaches the test's own handler and the command runs on to the end. SIGTERM,
 * because a process started in the background may have SIGINT ignored; the commands handle both alike. Real clips of
 * the shared RAVDESS speech, the real pack and the real recogniser. The line the first signal prints comes from the
 * signal's own thread, whose output the launcher does not capture; the summary lines are checked.
 */
@QuarkusMainTest
@Tag("quarkus")
class EmbedAsrEvalStopTest {

    private static final sun.misc.Signal TERM = new sun.misc.Signal("TERM");

    /**
     * The signal is raised while the second file is open (the decoder reading it), as seen in this process's open
     * files, so that it lands in the middle of that file for certain.
     */
    @Test
    void embedStopsBeforeTheNextFileAndSummarisesWhatItDid(QuarkusMainLauncher launcher) throws Exception {
        List<Path> clips = clips(4);
        Path second = clips.get(1).toRealPath();
        LaunchResult stopped = stoppedWhen(() -> open(second), "the second file was never seen open", launcher,
                Stream.concat(Stream.of("embed"), clips.stream().map(Path::toString)).toArray(String[]::new));
        String out = stopped.getOutput(), err = stopped.getErrorOutput();
        assertTrue(err.contains("moodtag embed: stopped after 2 of 4 file(s); the other 2 were not embedded"), err);
        assertEquals(2, out.lines().filter(l -> l.startsWith("  label: ")).count(), "the file in flight is finished: " + out);
        assertFalse(out.contains("[3/4]"), "a file started after the stop: " + out);
        assertTrue(out.contains("2 of 4 file(s), 0 failed; stopped before " + clips.get(2).getFileName()), out);
    }

    /**
     * The signal is raised once the first recognition is in the cache. What was recognised stays cached and the rerun
     * reads it; the per-clip file of an earlier run is left as it was, not replaced by figures of part of the corpus.
     */
    @Test
    void asrEvalStopsBeforeTheNextClipKeepsTheCacheAndTheRerunReusesIt(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "asr-eval-stop").toAbsolutePath();
        Path manifest = dir.resolve("m.csv"), cache = dir.resolve("cache"), stats = dir.resolve("clips.csv");
        StringBuilder csv = new StringBuilder("file,text\n");
        for (Path clip : clips(6)) csv.append(clip).append(",\n");
        Files.writeString(manifest, csv);
        byte[] earlier = "file,hypothesis\nfrom an earlier run,\n".getBytes();
        Files.write(stats, earlier);
        String[] args = {"asr-eval", manifest.toString(), "--out", stats.toString(), "--cache", cache.toString(),
                "--threads", "1"};

        LaunchResult stopped = stoppedWhen(() -> recognitions(cache) > 0, "no recognition cached", launcher, args);
        String out = stopped.getOutput(), err = stopped.getErrorOutput();
        Matcher m = Pattern.compile("moodtag asr-eval: stopped after (\\d+) of 6 clips; their recognitions are cached "
                + "under ").matcher(err);
        assertTrue(m.find(), err);
        int done = Integer.parseInt(m.group(1));
        assertTrue(done >= 1 && done < 6, err);
        assertEquals(done, recognitions(cache), "the cache holds what the summary says was done: " + err);
        assertEquals(List.of(), leftovers(cache), "temporary files left in the cache");
        assertArrayEquals(earlier, Files.readAllBytes(stats), "the per-clip file of an earlier run was replaced");
        assertFalse(Pattern.compile("gate: \\d+ clips").matcher(out).find(), "figures of a stopped run: " + out);

        LaunchResult rerun = launcher.launch(args);
        String again = rerun.getOutput();
        assertEquals(0, rerun.exitCode(), again + rerun.getErrorOutput());
        assertTrue(again.contains("recognised " + (6 - done) + " clips") && again.contains("; " + done + " from the cache"),
                again);
        assertEquals(7, Files.readAllLines(stats).size(), again);
        assertEquals(6, recognitions(cache));
    }

    /**
     * A signal while the models load (the pack verified, the classifier read, the encoders' ONNX sessions or the
     * recogniser made: seconds) is the command's too: the load finishes, nothing is started, and the stop is said as
     * any stop is, exit code 1. Before, embed and asr-eval (and tag) listened only once their models were loaded: the
     * signal was the JVM's own (exit 143, no word), here the test's handler while the command ran on to its end with
     * exit code 0. The signal is raised the first time a thread of this process is seen inside the load.
     */
    @Test
    void embedStoppedWhileItsModelsLoadEmbedsNothingAndSaysSo(QuarkusMainLauncher launcher) throws Exception {
        List<Path> clips = clips(4);
        LaunchResult stopped = stoppedWhen(EmbedAsrEvalStopTest::loadingModels, "no model load was seen", launcher,
                Stream.concat(Stream.of("embed"), clips.stream().map(Path::toString)).toArray(String[]::new));
        String out = stopped.getOutput(), err = stopped.getErrorOutput();
        assertTrue(err.contains("moodtag embed: stopped after 0 of 4 file(s); the other 4 were not embedded"), out + err);
        assertFalse(out.contains("[1/4]"), "a file was started after the stop: " + out);
    }

    @Test
    void asrEvalStoppedWhileItsRecogniserLoadsRecognisesNothingAndSaysSo(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "asr-eval-load-stop").toAbsolutePath();
        Path cache = dir.resolve("cache"), stats = dir.resolve("clips.csv");
        List<String> args = new java.util.ArrayList<>(List.of("asr-eval", "--out", stats.toString(), "--cache",
                cache.toString()));
        clips(3).forEach(c -> args.add(c.toString()));
        LaunchResult stopped = stoppedWhen(EmbedAsrEvalStopTest::loadingModels, "no model load was seen", launcher,
                args.toArray(String[]::new));
        String err = stopped.getErrorOutput();
        assertTrue(err.contains("moodtag asr-eval: stopped after 0 of 3 clips"), stopped.getOutput() + err);
        assertEquals(0, recognitions(cache), "nothing was recognised");
        assertFalse(Files.exists(stats), "no figures of a stopped run");
    }

    @Test
    void tagStoppedWhileItsModelsLoadTagsNothingAndSaysHowToContinue(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "tag-load-stop").toAbsolutePath();
        Path archive = Files.createDirectories(dir.resolve("archive"));
        for (Path clip : clips(2)) Files.copy(clip, archive.resolve(clip.getFileName()));
        LaunchResult stopped = stoppedWhen(EmbedAsrEvalStopTest::loadingModels, "no model load was seen", launcher,
                "tag", archive.toString(), "--out", dir.resolve("report").toString());
        String out = stopped.getOutput();
        assertTrue(out.contains("not run (stopped): 2; run the same command again to continue"), out + stopped.getErrorOutput());
        try (Stream<Path> files = Files.list(archive)) {
            assertEquals(2, files.count(), "no result was written: " + out);
        }
    }

    /**
     * Whether a thread of this process is inside the loading of a model pack, a classifier, encoders or a recogniser.
     * Not the reading of the pack's identity (its manifest, not verified, and the classifier's mode and hash), which
     * tag does in milliseconds before it lists its inputs: a signal then stops the listing.
     */
    private static boolean loadingModels() {
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            if (java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().equals("dev.moodtag.label.LabellerProducer")
                    && f.getMethodName().equals("packIdentity") || f.getClassName().equals("dev.moodtag.pack.ModelPackProducer")
                    && f.getMethodName().equals("locatedPack")))
                continue;
            for (StackTraceElement frame : stack) {
                String c = frame.getClassName();
                if (c.equals("dev.moodtag.pack.ModelPackLoader") || c.equals("dev.moodtag.label.LabellerProducer")
                        || c.equals("dev.moodtag.transcribe.SpeechTranscribers")
                        || c.equals("dev.moodtag.encode.EmbeddingEngine") && frame.getMethodName().equals("<init>"))
                    return true;
            }
        }
        return false;
    }

    /**
     * Launches {@code args} and raises SIGTERM once, the first time {@code ready} holds (looked at every 2 ms); the
     * command must have handled it and exited 1, as a stopped {@code train} does.
     */
    private static LaunchResult stoppedWhen(BooleanSupplier ready, String neverReady, QuarkusMainLauncher launcher,
                                            String... args) throws InterruptedException {
        AtomicBoolean unhandled = new AtomicBoolean(), running = new AtomicBoolean(true), raised = new AtomicBoolean();
        sun.misc.SignalHandler outer = sun.misc.Signal.handle(TERM, sig -> unhandled.set(true));
        Thread watch = new Thread(() -> {
            while (running.get() && !raised.get()) {
                if (ready.getAsBoolean()) {
                    raised.set(true);
                    sun.misc.Signal.raise(TERM);
                }
                sleep(2);
            }
        }, "stop-test-signal");
        watch.start();
        LaunchResult result;
        try {
            result = launcher.launch(args);
        } finally {
            running.set(false);
            watch.join();
            sun.misc.Signal.handle(TERM, outer);
        }
        String said = result.getOutput() + result.getErrorOutput();
        assertTrue(raised.get(), neverReady + ": " + said);
        assertFalse(unhandled.get(), "the signal reached no handler of the command: " + said);
        assertEquals(1, result.exitCode(), said);
        return result;
    }

    /** Whether this process has {@code file} open (Linux: its descriptors under /proc/self/fd). */
    private static boolean open(Path file) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException | UnsupportedOperationException closed) {
                    return false;
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The first {@code n} clips of one RAVDESS speaker (about 3.5 s each). */
    private static List<Path> clips(int n) throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.shared("data/ravdess/speech/Actor_01").toAbsolutePath())) {
            List<Path> clips = files.filter(f -> f.getFileName().toString().endsWith(".flac")).sorted().limit(n).toList();
            assertEquals(n, clips.size());
            return clips;
        }
    }

    private static long recognitions(Path cache) {
        return files(cache).stream().filter(f -> f.getFileName().toString().endsWith(".json")).count();
    }

    private static List<Path> leftovers(Path cache) {
        return files(cache).stream().filter(f -> !f.getFileName().toString().endsWith(".json")).toList();
    }

    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).toList();
        } catch (IOException | java.io.UncheckedIOException racing) {
            return List.of(); // a temporary file moved while listed: asked again
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
