package dev.moodtag.cli;

import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code moodtag train --transcripts recognised} through the command and its CDI wiring, not only a hand-built chain:
 * the producer's wrapper around the recogniser answered an empty identity, so the command refused ("needs the pack's
 * transcriber") although the pack has one.
 */
@QuarkusMainTest
@Tag("quarkus")
class TrainRecognisedTranscriptsCommandTest {

    @Test
    void aCorpusWithAudioAndNoTextIsTrainedOnRecognisedText(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "train-recognised");
        StringBuilder csv = new StringBuilder("id,media,label,group\n");
        for (String actor : new String[]{"01", "02", "03"}) {
            for (String statement : new String[]{"01", "02"}) {
                for (String rep : new String[]{"01", "02"}) {
                    // neutral (01, normal intensity) and happy (03, normal intensity), both sentences, both takes
                    for (String[] e : new String[][]{{"01", "neutral"}, {"03", "happy"}}) {
                        String name = "03-01-" + e[0] + "-01-" + statement + "-" + rep + "-" + actor + ".flac";
                        Path clip = Fixtures.shared("data/ravdess/speech/Actor_" + actor + "/" + name).toAbsolutePath();
                        csv.append(name).append(',').append(clip).append(',').append(e[1]).append(",actor").append(actor).append('\n');
                    }
                }
            }
        }
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, csv);
        LaunchResult r = launcher.launch("train", "--manifest", manifest.toString(), "--transcripts", "recognised",
                "--modalities", "T", "--folds", "grouped:3", "--no-ablation", "--out", dir.resolve("report").toString());
        String all = r.getOutput() + r.getErrorOutput();
        assertEquals(0, r.exitCode(), all);
        assertFalse(all.contains("needs the pack's transcriber"), all);
        String report = Files.readString(dir.resolve("report/report.md"));
        // every row got its text from the recogniser (the English sentences pass the gate), so the text block trained
        assertTrue(report.contains("T(text-bge-small)"), report);
        assertFalse(report.contains("rows without features"), report);
    }
}
