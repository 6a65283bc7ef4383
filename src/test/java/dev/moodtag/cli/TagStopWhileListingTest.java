package dev.moodtag.cli;

import dev.moodtag.function.FileTrees;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signal while {@code moodtag tag} lists its inputs (seconds for a folder of 100,000 files, minutes for a large S3
 * prefix) ends it at once, exit 1, saying so, with nothing tagged. Before, the command's handler was installed after
 * the listing: from a shell the signal was the JVM's own (exit 143, nothing said, 0.25 s after a SIGTERM into a walk of
 * 200,000 files); here, with this test's handler standing in for the JVM's, the listing ran to its end first.
 */
@QuarkusMainTest
@TestProfile(TagStopWhileListingTest.Profile.class)
@Tag("quarkus")
class TagStopWhileListingTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.onnx.device", "cpu");
        }
    }

    private static final Path WORK = Path.of("target", "tag-stop-while-listing").toAbsolutePath();

    @Test
    void aSignalDuringTheListingEndsItWithNothingTagged(QuarkusMainLauncher launcher) throws Exception {
        stopWhileListing(launcher, "tag", "moodtag tag: stopped while listing the inputs, nothing tagged");
    }

    /** status's first look (the listing and a result read per object) is stopped the same way, writing no index. */
    @Test
    void aSignalDuringStatusFirstLookEndsItWithNothingWritten(QuarkusMainLauncher launcher) throws Exception {
        stopWhileListing(launcher, "status", "moodtag status: stopped during the first look at the inputs, nothing written");
        assertFalse(Files.exists(WORK.resolve("report").resolve("index.jsonl")), "no index of part of the archive");
    }

    private static void stopWhileListing(QuarkusMainLauncher launcher, String command, String said) throws Exception {
        Path big = WORK.resolve("big");
        if (!Files.isDirectory(big.resolve("d199"))) {
            FileTrees.deleteQuietly(WORK);
            for (int d = 0; d < 200; d++) {
                Path dir = Files.createDirectories(big.resolve("d" + d));
                for (int f = 0; f < 500; f++) Files.createFile(dir.resolve("clip" + f + ".wav"));
            }
        }
        Path out = WORK.resolve("report");
        FileTrees.deleteQuietly(out);
        sun.misc.Signal term = new sun.misc.Signal("TERM");
        // A signal that reaches this handler came before the command installed its own: raised again until the
        // command has it, or the command ends. Never twice to the command's handler, which would halt the JVM.
        AtomicBoolean early = new AtomicBoolean();
        sun.misc.SignalHandler outer = sun.misc.Signal.handle(term, sig -> early.set(true));
        try {
            CompletableFuture<LaunchResult> run = CompletableFuture.supplyAsync(
                    () -> launcher.launch(command, big.toString(), "--out", out.toString()));
            // --out is made when the command starts, just before the listing
            for (int i = 0; i < 1200 && !Files.isDirectory(out); i++) Thread.sleep(50);
            long t0;
            do {
                early.set(false);
                t0 = System.nanoTime();
                sun.misc.Signal.raise(term);
                Thread.sleep(200);
            } while (early.get() && !run.isDone());
            LaunchResult r = run.get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String text = r.getOutput() + r.getErrorOutput();
            assertEquals(1, r.exitCode(), text);
            assertTrue(r.getErrorOutput().contains(said), text);
            assertFalse(text.contains("verified") || text.contains("classifier loaded"), "no model loaded: " + text);
            assertTrue(seconds < 5, "ended " + seconds + " s after the signal: " + text);
            try (var results = Files.walk(big)) {
                assertEquals(0, results.filter(p -> p.toString().endsWith(".emotion.json")).count());
            }
        } finally {
            sun.misc.Signal.handle(term, outer);
        }
    }
}
