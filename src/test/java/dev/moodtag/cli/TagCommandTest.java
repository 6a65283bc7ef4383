package dev.moodtag.cli;

import dev.moodtag.function.FileTrees;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code moodtag tag} end to end through picocli, Quarkus, FFmpeg and the default pack. */
@QuarkusMainTest
@Tag("quarkus")
class TagCommandTest {

    @Test
    void aFolderWithAReadmeExitsZeroListingItAsIgnoredAndARelativeOutWithDotDotIsUsed(QuarkusMainLauncher launcher)
            throws Exception {
        Path work = Path.of("target", "tag-command").toAbsolutePath();
        FileTrees.deleteQuietly(work);
        Path dir = Files.createDirectories(work.resolve("samples"));
        Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve("03b01Wa.wav"));
        Files.writeString(dir.resolve("README.md"), "# samples\n");
        // As typed by a user: relative, through "..".
        String out = Path.of("").toAbsolutePath().relativize(work) + "/samples/../report";
        assertTrue(out.contains(".."), out);

        LaunchResult r = launcher.launch("tag", dir.toString(), "--out", out);
        String text = r.getOutput() + r.getErrorOutput();
        assertEquals(0, r.exitCode(), "every media file got its result: " + text);
        assertTrue(text.contains("failures: 0"), text);
        assertTrue(text.contains("ignored (not media or filtered out; not failures): 1"), text);
        assertTrue(text.matches("(?s).*\\n  README\\.md: not a media file name.*"), text);
        Path report = work.resolve("report");
        List<String> index = Files.readAllLines(report.resolve("index.jsonl"));
        assertEquals(2, index.size(), index.toString());
        assertTrue(Files.readString(report.resolve("report.html")).contains("<h2>Ignored</h2>"));
    }

    /**
     * {@code --speech-over-batch}: the summary says the batch's verdict; it does not go with --publish. {@code
     * --self-train} says why a batch did not self-train, and needs the second pass.
     */
    @Test
    void speechOverBatchSaysTheVerdictInTheSummaryAndIsRefusedWithPublish(QuarkusMainLauncher launcher) throws Exception {
        Path work = Path.of("target", "tag-command-batch-speech").toAbsolutePath();
        FileTrees.deleteQuietly(work);
        Path dir = Files.createDirectories(work.resolve("samples"));
        for (String n : List.of("03b01Wa.wav", "03a05Fc.wav")) Files.copy(Fixtures.sample(n), dir.resolve(n));

        LaunchResult r = launcher.launch("tag", dir.toString(), "--speech-over-batch", "--out", work.resolve("report").toString());
        String text = r.getOutput() + r.getErrorOutput();
        assertEquals(0, r.exitCode(), text);
        assertTrue(text.contains("speech over the batch: per utterance (2 clip(s)): 2 clip(s) with speech; standardising "
                + "over a batch needs 10"), text);
        assertTrue(Files.readString(dir.resolve("03b01Wa.wav.emotion.json")).contains("\"speechStandardisation\""));

        LaunchResult p = launcher.launch("tag", dir.toString(), "--speech-over-batch", "--publish", "http://localhost:1/",
                "--out", work.resolve("report").toString());
        assertEquals(2, p.exitCode());
        assertTrue(p.getErrorOutput().contains("--speech-over-batch does not go with --publish"), p.getErrorOutput());

        // --self-train: the summary says why this batch did not self-train; without a second pass it is refused
        LaunchResult st = launcher.launch("tag", dir.toString(), "--speech-over-batch", "--self-train", "--force",
                "--out", work.resolve("report").toString());
        String said = st.getOutput() + st.getErrorOutput();
        assertEquals(0, st.exitCode(), said);
        assertTrue(said.contains("; not self-trained: the guard kept the batch per utterance"), said);
        LaunchResult alone = launcher.launch("tag", dir.toString(), "--self-train", "--out", work.resolve("report").toString());
        assertEquals(2, alone.exitCode());
        assertTrue(alone.getErrorOutput().contains("--self-train goes with --speech-over-batch"), alone.getErrorOutput());
    }

    /**
     * File names (and the reasons that quote them) are escaped on the console as in the log: a name with a line break
     * forged summary lines ("failures: 0"), and an ESC sequence in one reached the terminal (found by a review).
     */
    @Test
    void controlCharactersInFileNamesDoNotReachTheConsole(QuarkusMainLauncher launcher) throws Exception {
        Path work = Path.of("target", "tag-command-names").toAbsolutePath();
        FileTrees.deleteQuietly(work);
        Path dir = Files.createDirectories(work.resolve("samples"));
        Files.writeString(dir.resolve("x\nfailures: 0\n.md"), "not media");
        Files.writeString(dir.resolve("y\u001b[2J\r.wav"), "%PDF-1.4 not a recording");

        LaunchResult r = launcher.launch("tag", dir.toString(), "--out", work.resolve("report").toString());
        // The summary and the progress lines. Log lines are the log filter's to escape, and a launch in a test captures
        // them without it (the packaged command's are escaped, its MDC's object URI too).
        String text = java.util.Arrays.stream((r.getOutput() + "\n" + r.getErrorOutput()).split("\n"))
                .filter(l -> !l.matches("(?s)\\d\\d:\\d\\d:\\d\\d [A-Z]+ .*")).collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(1, r.exitCode(), text);
        assertTrue(text.contains("tag 2/2 files"), text);
        assertTrue(text.chars().noneMatch(c -> c != '\n' && Character.isISOControl(c)), "raw control characters: " + text);
        assertEquals(List.of("failures: 1"), text.lines().filter(l -> l.startsWith("failures: ")).toList(), text);
        assertTrue(text.contains("  x\\nfailures: 0\\n.md: not a media file name"), text);
        assertTrue(text.contains("  y\\u001b[2J\\r.wav: processed: unsupported: "), text);
    }

    /**
     * A signal during {@code status --wait} ends the wait and still writes the index and report of the last look (exit
     * 3: some objects have no result). Before, SIGINT/SIGTERM ended the JVM (exit 130/143) with nothing written and
     * nothing said; here, with this test's own handler standing in for the JVM's, the wait ran on to its --timeout.
     * SIGTERM, because a process started in the background may have SIGINT ignored, and then no handler runs.
     */
    @Test
    void aSignalledStatusWaitWritesItsLastLookAndExitsThree(QuarkusMainLauncher launcher) throws Exception {
        Path work = Path.of("target", "status-signalled").toAbsolutePath();
        FileTrees.deleteQuietly(work);
        Path dir = Files.createDirectories(work.resolve("samples"));
        Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve("03b01Wa.wav")); // never tagged: the wait cannot end
        sun.misc.Signal term = new sun.misc.Signal("TERM");
        // a signal that reaches this handler came before the command's wait installed its own (Quarkus and the first
        // look may take tens of seconds on a loaded machine): it is raised again until the command's handler has it.
        // Never twice to the command's handler: a second signal halts the JVM, as it should for a user
        java.util.concurrent.atomic.AtomicBoolean early = new java.util.concurrent.atomic.AtomicBoolean();
        sun.misc.SignalHandler outer = sun.misc.Signal.handle(term, sig -> early.set(true));
        try {
            java.util.concurrent.CompletableFuture<LaunchResult> run = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> launcher.launch("status", dir.toString(), "--wait", "--interval", "PT0.2S", "--timeout", "PT40S",
                            "--out", work.resolve("report").toString()));
            // --out is created when the command starts; the wait begins after one look at a one-file folder
            for (int i = 0; i < 1200 && !Files.isDirectory(work.resolve("report")); i++) Thread.sleep(100);
            long t0, giveUp = System.nanoTime() + 60_000_000_000L;
            do {
                early.set(false);
                t0 = System.nanoTime();
                sun.misc.Signal.raise(term);
                Thread.sleep(1_000);
            } while (early.get() && !run.isDone() && System.nanoTime() < giveUp);
            LaunchResult r = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String text = r.getOutput() + r.getErrorOutput();
            assertTrue(seconds < 10, "the wait ended " + seconds + " s after the signal: " + text);
            assertEquals(StatusCommand.NOT_DONE, r.exitCode(), text);
            assertTrue(text.contains("stopped waiting"), text);
            assertTrue(text.contains("1 object(s): 0 with a current result (0 of them errors), 1 none yet"), text);
            assertEquals(1, Files.readAllLines(work.resolve("report").resolve("index.jsonl")).size());
        } finally {
            sun.misc.Signal.handle(term, outer);
        }
    }
}
