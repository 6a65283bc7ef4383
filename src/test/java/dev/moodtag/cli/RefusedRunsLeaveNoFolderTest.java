package dev.moodtag.cli;

import dev.moodtag.function.FileTrees;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private static final String PACK_MANIFEST = "moodtag.pack.manifest";

    private record Cell(String name, String folder, List<String> args, int code, String says, String packManifest) {
        Cell(String name, String folder, List<String> args, int code, String says) {
            this(name, folder, args, code, says, null);
        }
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
                        // exit code 1 and no --part until 2026-12-07: the part's ModelPackException was found behind
                        // the refusal and answered as a start refusal (MoodtagMain)
                        List.of("combine", "--part", broken.toString(), "--out", o), 2,
                        "moodtag combine: --part " + broken + ": " + broken.resolve("classifier.json") + ": required field"),
                new Cell("dataset: a name it does not know", "--out",
                        List.of("dataset", "--data", in.toString(), "--out", o, "no-such-corpus"), 2,
                        "moodtag dataset: no dataset adapter 'no-such-corpus'"),
                new Cell("dataset: a data folder without the corpus", "--out",
                        List.of("dataset", "--data", in.toString(), "--out", o, "emodb"), 2, "moodtag dataset: dataset emodb: "),
                new Cell("watch: no inbox named", "--outbox",
                        List.of("watch", "--outbox", o), 2, "moodtag watch: name the inbox folder"),
                // the outbox was made before the recogniser warmed up, and left when the model pack then failed
                new Cell("watch: a model pack that does not load", "--outbox",
                        List.of("watch", in.toString(), "--outbox", o), 1, "moodtag watch: ",
                        root.resolve("no-such-pack.json").toString()));
        List<String> wrong = new ArrayList<>(), said = new ArrayList<>();
        for (Cell c : cells) {
            String[] args = c.args().toArray(String[]::new);
            StringWriter early = new StringWriter();
            OptionalInt before = BeforeStart.answer(args, new PrintWriter(early, true), new PrintWriter(early, true));
            if (before.isPresent()) {
                wrong.add(c.name() + ": refused before start, where it should pass: " + early.toString().strip());
                continue;
            }
            String packBefore = System.getProperty(PACK_MANIFEST);
            if (c.packManifest() != null) System.setProperty(PACK_MANIFEST, c.packManifest());
            LaunchResult run;
            try {
                run = launcher.launch(args);
            } finally {
                if (packBefore == null) System.clearProperty(PACK_MANIFEST);
                else System.setProperty(PACK_MANIFEST, packBefore);
            }
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

    /**
     * A {@code combine --part} whose classifier cannot be read is a refused option, however it cannot: exit code 2 and
     * one line naming {@code --part} and the folder, before start where the path alone tells, after where only reading
     * tells, and no {@code --out} left. One that was not JSON or was cut short was answered as a model pack's failure
     * (exit code 1, the option unnamed), a FIFO and a link in a loop as holding no classifier.json.
     */
    @Test
    void everyUnreadablePartIsARefusedOptionNamedAsSuch(QuarkusMainLauncher launcher) throws Exception {
        Path root = FileTrees.recreate(ROOT.resolveSibling("unreadable-combine-parts"));
        byte[] whole = Files.readAllBytes(Path.of("models", "classifier", "classifier.json"));
        Map<String, Path> parts = new LinkedHashMap<>();
        parts.put("missing", root.resolve("missing"));
        parts.put("a folder without classifier.json", Files.createDirectories(root.resolve("empty")));
        parts.put("a file, not a folder", Files.writeString(root.resolve("a-file"), "{}"));
        parts.put("not JSON", part(root, "not-json", "this is not JSON\n".getBytes()));
        parts.put("empty classifier.json", part(root, "empty-json", new byte[0]));
        parts.put("truncated", part(root, "truncated", java.util.Arrays.copyOf(whole, whole.length / 2)));
        parts.put("JSON that is no classifier", part(root, "array", "[1, 2]".getBytes()));
        parts.put("classifier.json a folder", Files.createDirectories(root.resolve("json-folder").resolve("classifier.json")).getParent());
        Path fifo = Files.createDirectories(root.resolve("fifo"));
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.resolve("classifier.json").toString()).start().waitFor() == 0);
        parts.put("classifier.json a FIFO", fifo);
        Path loop = Files.createDirectories(root.resolve("loop"));
        Files.createSymbolicLink(loop.resolve("classifier.json"), loop.resolve("classifier.json"));
        parts.put("classifier.json a link in a loop", loop);
        Path dangling = Files.createDirectories(root.resolve("dangling"));
        Files.createSymbolicLink(dangling.resolve("classifier.json"), root.resolve("nowhere.json"));
        parts.put("classifier.json a link to nowhere", dangling);
        Path folderLoop = root.resolve("folder-loop");
        Files.createSymbolicLink(folderLoop, folderLoop);
        parts.put("the part a link in a loop", folderLoop);
        Path out = root.resolve("made").resolve("out");
        List<String> wrong = new ArrayList<>(), said = new ArrayList<>();
        for (var p : parts.entrySet()) {
            String[] args = {"combine", "--part", p.getValue().toString(), "--out", out.toString()};
            StringWriter early = new StringWriter();
            OptionalInt before = BeforeStart.answer(args, new PrintWriter(early, true), new PrintWriter(early, true));
            int code;
            String err;
            if (before.isPresent()) {
                code = before.getAsInt();
                err = early.toString().strip();
            } else {
                LaunchResult run = launcher.launch(args);
                code = run.exitCode();
                err = run.getErrorOutput().strip();
            }
            said.add(p.getKey() + (before.isPresent() ? " (before start): " : ": ") + code + " " + err);
            if (code != 2 || err.lines().noneMatch(l -> l.startsWith("moodtag combine: --part " + p.getValue())))
                wrong.add(p.getKey() + ": " + code + " '" + err + "'");
            if (Files.exists(root.resolve("made"))) wrong.add(p.getKey() + ": --out left behind");
            FileTrees.deleteQuietly(root.resolve("made"));
        }
        System.out.println(String.join("\n", said));
        assertEquals(List.of(), wrong, String.join("\n", wrong));
    }

    private static Path part(Path root, String name, byte[] classifierJson) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.write(dir.resolve("classifier.json"), classifierJson);
        return dir;
    }
}
