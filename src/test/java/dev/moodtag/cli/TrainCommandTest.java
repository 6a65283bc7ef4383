package dev.moodtag.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code moodtag train} and {@code moodtag combine} through Quarkus and picocli, on a small precomputed manifest. */
@QuarkusMainTest
@Tag("quarkus")
class TrainCommandTest {

    @Test
    void trainsReportsExportsAndCombines(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "train-cli"));
        Path manifest = toyManifest(dir, 60, 3);
        Path report = dir.resolve("report"), clf = dir.resolve("clf");
        LaunchResult train = launcher.launch("train", "--manifest", manifest.toString(), "--folds", "grouped:5",
                "--fusion", "late", "--c", "1,10", "--gamma-scales", "1", "--out", report.toString(), "--export", clf.toString());
        assertEquals(0, train.exitCode(), train.getOutput() + train.getErrorOutput());
        assertTrue(Files.isRegularFile(report.resolve("report.md")));
        assertTrue(Files.isRegularFile(report.resolve("ablation.png")));
        assertTrue(Files.isRegularFile(clf.resolve("classifier.json")));
        LaunchResult combine = launcher.launch("combine", "--part", clf.toString(), "--out", dir.resolve("combined").toString());
        assertEquals(0, combine.exitCode(), combine.getOutput() + combine.getErrorOutput());
        assertTrue(combine.getOutput().contains("2 part(s)"), combine.getOutput());
    }

    @Test
    void trainsExportsAndCombinesLogisticRegressionParts(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "train-cli-linear"));
        Path manifest = toyManifest(dir, 90, 4);
        Path report = dir.resolve("report"), clf = dir.resolve("clf");
        LaunchResult train = launcher.launch("train", "--manifest", manifest.toString(), "--folds", "grouped:5",
                "--fusion", "late", "--classifier", "logistic", "--c", "0.01,1", "--out", report.toString(),
                "--export", clf.toString());
        assertEquals(0, train.exitCode(), train.getOutput() + train.getErrorOutput());
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("classifier: liblinear-logistic,"), md);
        String json = Files.readString(clf.resolve("classifier.json"));
        assertEquals(2, json.split("\"type\" : \"liblinear-logistic\"", -1).length - 1, json);
        LaunchResult combine = launcher.launch("combine", "--part", clf.toString(), "--out", dir.resolve("combined").toString());
        assertEquals(0, combine.exitCode(), combine.getOutput() + combine.getErrorOutput());

        LaunchResult kernel = launcher.launch("train", "--manifest", manifest.toString(), "--classifier", "logistic",
                "--kernel", "rbf", "--out", report.toString());
        assertTrue(kernel.exitCode() != 0, "a kernel does not apply to a linear model");
        LaunchResult svmLate = launcher.launch("train", "--manifest", manifest.toString(), "--folds", "grouped:5",
                "--fusion", "late", "--classifier", "linear-svm", "--out", dir.resolve("svm-late").toString());
        assertTrue(svmLate.exitCode() != 0 && (svmLate.getErrorOutput() + svmLate.getOutput()).contains("probabilit"),
                svmLate.getOutput() + svmLate.getErrorOutput());
    }

    /** A manifest the trainer cannot use is answered with what is wrong, exit code 2, and no stack trace. */
    @Test
    void aManifestWithNothingToTrainOnIsAnsweredInOneLine(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "train-cli-bare"));
        Path bare = Files.writeString(dir.resolve("bare.csv"), "id,label,group\na,neutral,s1\nb,angry,s2\nc,neutral,s3\n");
        LaunchResult run = launcher.launch("train", "--manifest", bare.toString(), "--folds", "grouped:3",
                "--out", dir.resolve("report").toString());
        String all = run.getOutput() + run.getErrorOutput();
        assertEquals(2, run.exitCode(), all);
        assertTrue(run.getErrorOutput().contains("moodtag train: manifest ") && all.contains("nothing to train on"), all);
        assertFalse(all.contains("\tat dev.moodtag") || all.contains("Exception"), all);
    }

    /** Three classes, five speakers: an "au" video value that separates them and a noisy "mfcc" speech value. */
    private static Path toyManifest(Path dir, int rows, long seed) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("id,label,group,feat.video.au.0,feat.speech.mfcc.0\n");
        Random r = new Random(seed);
        String[] labels = {"neutral", "happy", "sad"};
        for (int i = 0; i < rows; i++) {
            int y = i % 3;
            csv.append(String.format(Locale.ROOT, "u%d,%s,spk%d,%.4f,%.4f%n", i, labels[y], i % 5,
                    y + 0.3 * r.nextGaussian(), (y == 2 ? 1 : 0) + r.nextGaussian()));
        }
        Path manifest = dir.resolve("toy.csv");
        Files.writeString(manifest, csv);
        return manifest;
    }
}
