package dev.moodtag.cli;

import dev.moodtag.function.FileTrees;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A command whose folder passed the check before start and that is then refused once Quarkus has started (an option
 * that goes only with another, an input that cannot be listed or read, a name it does not know) leaves no folder
 * behind. Each cell runs as {@code MoodtagMain.main} does: {@link BeforeStart} first (it must pass the command on),
 * then the command in Quarkus. The check made every one of these folders, and {@code tag}'s claim made its own again
 * before the inputs were listed.
 */
@QuarkusMainTest
@Tag("quarkus")
class RefusedRunsLeaveNoFolderTest {

    static final Path ROOT = Path.of("target", "refused-runs-leave-no-folder").toAbsolutePath();

    private record Cell(String name, String folder, List<String> args, int code, String says) {
    }

    @Test
    void everyRefusalAfterThePathCheckLeavesNothing(QuarkusMainLauncher launcher) throws IOException {
        Path root = FileTrees.recreate(ROOT);
        Path in = Files.createDirectories(root.resolve("in"));
        Path broken = Files.createDirectories(root.resolve("broken-part"));
        Files.writeString(broken.resolve("classifier.json"), "{\"format\": 1}");
        Path bare = Files.writeString(root.resolve("bare.csv"), "id,label,group\na,neutral,s1\nb,angry,s2\nc,neutral,s3\n");
        Path toy = Files.writeString(root.resolve("toy.csv"), "id,label,group,feat.video.au.0\na,neutral,s1,0.1\n"
                + "b,angry,s2,0.9\nc,neutral,s3,0.2\nd,angry,s4,0.8\n");
        Path out = root.resolve("made").resolve("out");
        String o = out.toString();
        List<Cell> cells = List.of(
                new Cell("tag: --rate without --publish", "--out",
                        List.of("tag", in.toString(), "--out", o, "--rate", "5"), 2, "moodtag tag: --rate"),
                new Cell("tag: an S3 bucket not configured", "--out",
                        List.of("tag", "s3://not-configured-bucket/p", "--out", o), 2, "moodtag tag: "),
                new Cell("status: an S3 bucket not configured", "--out",
                        List.of("status", "s3://not-configured-bucket/p", "--out", o), 2, "moodtag status: "),
                new Cell("train: a manifest with nothing to train on", "--out",
                        List.of("train", "--manifest", bare.toString(), "--folds", "grouped:3", "--out", o), 2,
                        "moodtag train: manifest "),
                new Cell("train: --kernel with a linear classifier", "--export",
                        List.of("train", "--manifest", toy.toString(), "--classifier", "logistic", "--kernel", "rbf",
                                "--export", o), 2, "moodtag train: --kernel"),
                new Cell("train: --normalise that cannot be exported", "--export",
                        List.of("train", "--manifest", toy.toString(), "--normalise", "corpus", "--export", o), 2,
                        "moodtag train: --normalise"),
                new Cell("combine: a part that cannot be read", "--out",
                        // exit code 1: the part's ModelPackException is found behind the refusal (MoodtagMain)
                        List.of("combine", "--part", broken.toString(), "--out", o), 1,
                        "moodtag combine: " + broken.resolve("classifier.json") + ": required field"),
                new Cell("dataset: a name it does not know", "--out",
                        List.of("dataset", "--data", in.toString(), "--out", o, "no-such-corpus"), 2,
                        "moodtag dataset: no dataset adapter 'no-such-corpus'"),
                new Cell("dataset: a data folder without the corpus", "--out",
                        List.of("dataset", "--data", in.toString(), "--out", o, "emodb"), 2, "moodtag dataset: dataset emodb: "),
                new Cell("watch: no inbox named", "--outbox",
                        List.of("watch", "--outbox", o), 2, "moodtag watch: name the inbox folder"));
        List<String> wrong = new ArrayList<>(), said = new ArrayList<>();
        for (Cell c : cells) {
            String[] args = c.args().toArray(String[]::new);
            StringWriter early = new StringWriter();
            OptionalInt before = BeforeStart.answer(args, new PrintWriter(early, true), new PrintWriter(early, true));
            if (before.isPresent()) {
                wrong.add(c.name() + ": refused before start, where it should pass: " + early.toString().strip());
                continue;
            }
            LaunchResult run = launcher.launch(args);
            String err = run.getErrorOutput().strip();
            said.add(c.name() + ": " + run.exitCode() + " " + err);
            if (run.exitCode() != c.code() || err.lines().noneMatch(l -> l.startsWith(c.says())))
                wrong.add(c.name() + ": " + run.exitCode() + " '" + err + "'");
            if (Files.exists(root.resolve("made")))
                wrong.add(c.name() + ": " + c.folder() + " " + root.relativize(out) + " left behind");
            FileTrees.deleteQuietly(root.resolve("made"));
        }
        System.out.println(String.join("\n", said));
        assertEquals(List.of(), wrong, String.join("\n", wrong));
    }
}
