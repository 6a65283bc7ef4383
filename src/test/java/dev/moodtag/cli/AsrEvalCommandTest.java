package dev.moodtag.cli;

import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code moodtag asr-eval} end to end: real audio, the real Vosk model, the gate, the per-clip CSV and the cache. */
@QuarkusMainTest
@Tag("quarkus")
class AsrEvalCommandTest {

    @Test
    void printsAcceptanceAndWerAndCachesRecognitions(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "asr-eval");
        Path film = Fixtures.sample("01-01-01-01-01-01-01.mp4").toAbsolutePath();
        Path german = Fixtures.shared("data/emodb/wav/03a01Nc.wav").toAbsolutePath();
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "file,text\n" + film + ",\"Kids are talking, by the door.\"\n" + german + ",\n");
        String[] args = {"asr-eval", manifest.toString(), "--out", dir.resolve("clips.csv").toString(),
                "--cache", dir.resolve("cache").toString(), "--sweep"};

        LaunchResult first = launcher.launch(args);
        String out = first.getOutput();
        assertEquals(0, first.exitCode(), out + first.getErrorOutput());
        assertTrue(out.contains("gate: 2 clips, accepted 1 (50.0 %), rejected {mean_confidence=1}"), out);
        assertTrue(out.contains("WER of accepted 0.00 % (0 edits / 6 words, 1 of 1 exact)"), out);
        assertTrue(out.contains("recognised 2 clips"), out);
        assertTrue(out.contains("threshold trade-off"), out);
        List<String> rows = Files.readAllLines(dir.resolve("clips.csv"));
        assertEquals(3, rows.size(), rows::toString);
        assertTrue(rows.get(1).contains("kids are talking by the door,true,,6,"), rows.get(1));
        assertTrue(rows.get(2).contains("speech not recognised as English with enough confidence"), rows.get(2));

        LaunchResult again = launcher.launch(args);
        assertEquals(0, again.exitCode(), again.getOutput() + again.getErrorOutput());
        assertTrue(again.getOutput().contains("gate: 2 clips, accepted 1 (50.0 %)"), again.getOutput());
        assertFalse(again.getOutput().contains("recognised 2 clips"), "the second run reads the cache: " + again.getOutput());

        // The statistics file alone: a threshold chosen on it without the recogniser, model or audio
        LaunchResult tuned = launcher.launch("asr-eval", "--from-stats", dir.resolve("clips.csv").toString(),
                "--tune", "m.csv", "--keep", "1", "--candidates");
        String t = tuned.getOutput();
        assertEquals(0, tuned.exitCode(), t + tuned.getErrorOutput());
        assertTrue(t.contains("2 clips from") && t.contains("(no recognition)"), t);
        assertTrue(t.contains("configured gate: mean word confidence >= 0.9, voiced coverage >= 0.3"), t);
        assertTrue(t.contains("chosen on 2 tuning clips (1 with a reference): mean word confidence >= "), t);
        assertTrue(t.contains("tuning, with a reference: 1 clips, accepted 1 (100.0 %)"), "the film kept: " + t);
        assertTrue(t.contains("tuning, without a reference: 1 clips, accepted 0 (0.0 %)"), "the German clip refused: " + t);
        assertFalse(t.contains("report, "), "every clip was a tuning clip: " + t);
        assertTrue(t.contains("F4: geometric_mean_confidence >= t") && t.contains("chosen on the tuning split: F"), t);
        LaunchResult untuned = launcher.launch("asr-eval", "--from-stats", dir.resolve("clips.csv").toString(),
                "--candidates");
        assertNotEquals(0, untuned.exitCode());
        assertTrue((untuned.getOutput() + untuned.getErrorOutput()).contains("--candidates needs the tuning split"),
                untuned.getOutput() + untuned.getErrorOutput());
        LaunchResult wrongTune = launcher.launch("asr-eval", "--from-stats", dir.resolve("clips.csv").toString(),
                "--tune", "other.csv");
        assertNotEquals(0, wrongTune.exitCode());
        assertTrue((wrongTune.getOutput() + wrongTune.getErrorOutput()).contains("selects no clip with a reference text"),
                wrongTune.getOutput() + wrongTune.getErrorOutput());
    }

    @Test
    void aManifestWithoutAFileColumnIsAClearError(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "asr-eval");
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "media,text\nx.wav,hello\n");
        LaunchResult result = launcher.launch("asr-eval", manifest.toString(), "--out", dir.resolve("c.csv").toString());
        assertEquals(2, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("moodtag asr-eval: ") && result.getErrorOutput().contains("has no column file or path"),
                result.getOutput() + result.getErrorOutput());
        assertFalse((result.getOutput() + result.getErrorOutput()).contains("\tat "), "one line, no stack trace: "
                + result.getErrorOutput());
    }

    @Test
    void aManifestRowNamingNoFileIsAClearErrorBeforeRecognising(QuarkusMainLauncher launcher) throws Exception {
        // Before: the recogniser loaded, then an ExecutionException's stack trace (MediaException not_found), exit 1.
        Path dir = Files.createTempDirectory(Path.of("target"), "asr-eval");
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "file,text\nnot-here.wav,hello\n");
        LaunchResult result = launcher.launch("asr-eval", manifest.toString(), "--out", dir.resolve("c.csv").toString(),
                "--cache", "none");
        String all = result.getOutput() + result.getErrorOutput();
        assertEquals(2, result.exitCode(), all);
        assertTrue(result.getErrorOutput().contains("moodtag asr-eval: ") && result.getErrorOutput().contains("not-here.wav")
                && result.getErrorOutput().contains("does not exist"), all);
        assertFalse(all.contains("\tat "), "one line, no stack trace: " + all);
        assertFalse(all.contains("loaded in"), "refused before the recogniser loads: " + all);
    }
    @Test
    void clipsThatCannotBeDecodedAreNamedAndTheOthersStillScored(QuarkusMainLauncher launcher) throws Exception {
        // Before: the first undecodable clip ended the run with a 38-line ExecutionException stack trace, exit 1, and
        // neither the per-clip CSV nor any figure for the clips that decode.
        Path dir = Files.createTempDirectory(Path.of("target"), "asr-eval");
        Path folder = Files.createDirectories(dir.resolve("clips"));
        byte[] wav = Files.readAllBytes(Fixtures.sample("03b01Wa.wav"));
        Files.write(folder.resolve("good.wav"), wav);
        // Generated bad inputs: empty, random bytes, text under a media name, a RIFF file cut in half
        Files.write(folder.resolve("empty.wav"), new byte[0]);
        byte[] noise = new byte[3000];
        new java.util.Random(7).nextBytes(noise);
        Files.write(folder.resolve("noise.mp4"), noise);
        Files.writeString(folder.resolve("text.ogg"), "not audio at all\n");
        Files.write(folder.resolve("cut.wav"), java.util.Arrays.copyOf(wav, wav.length / 2));
        List<String> bad = List.of("empty.wav", "noise.mp4", "text.ogg", "cut.wav");

        LaunchResult result = launcher.launch("asr-eval", folder.toString(), "--out", dir.resolve("c.csv").toString(),
                "--cache", "none");
        String out = result.getOutput(), all = out + result.getErrorOutput();
        assertEquals(1, result.exitCode(), all);
        assertFalse(all.contains("\tat "), "no stack trace: " + all);
        assertTrue(out.contains("4 clip(s) could not be decoded and are left out of these figures"), all);
        for (String name : bad) assertTrue(out.contains("  error: " + name + ": "), name + " named: " + all);
        assertTrue(out.contains("gate: 1 clips"), "the good clip still scored: " + all);
        List<String> rows = Files.readAllLines(dir.resolve("c.csv"));
        assertEquals(2, rows.size(), rows::toString);
        assertTrue(rows.get(1).contains("good.wav"), rows.get(1));
    }
}
