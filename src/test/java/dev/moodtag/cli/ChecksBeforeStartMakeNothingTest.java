package dev.moodtag.cli;

import dev.moodtag.testing.SmallDisks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The check before start ({@link BeforeStart}, run before Quarkus and the models load) judges every folder an option
 * names to write to without making it: it made them ({@code ReportFolder.prepare}), so a run then refused for another
 * reason (a second bad option, a setting, an input), or stopped before it began, left empty folders behind. A grid of
 * the commands that name such a folder × path shapes the check passes (nested, with {@code .} and {@code ..}, spaces and
 * non-ASCII, a name of 255 bytes, relative), and a second option refused after the path was checked.
 */
class ChecksBeforeStartMakeNothingTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final SmallDisks disks = new SmallDisks();

    private record Answer(OptionalInt code, String err) {
    }

    private static Answer answer(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        OptionalInt code = BeforeStart.answer(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Answer(code, err.toString().strip());
    }

    private static TreeSet<String> tree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void aCheckThatPassesMakesNoFolder() throws IOException {
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        Path in = Files.createDirectories(inputs.resolve("in"));
        Path manifest = Files.writeString(inputs.resolve("m.csv"), "id,audio,label\n");
        Path part = Files.createDirectories(inputs.resolve("part"));
        Files.writeString(part.resolve("classifier.json"), "{}");
        Path work = Files.createDirectories(tmp.resolve("work"));
        String sink = "http://localhost:9/";
        // each command with the folder option under test; every other input is there, so the check passes
        Map<String, Function<String, String[]>> commands = new LinkedHashMap<>();
        commands.put("tag --out", p -> new String[]{"tag", in.toString(), "--out", p});
        commands.put("status --out", p -> new String[]{"status", in.toString(), "--out", p});
        commands.put("tag --publish-log", p -> new String[]{"tag", in.toString(), "--out", inputs.toString(), "--publish",
                sink, "--publish-log", p + "/publish-log.jsonl"});
        commands.put("train --out", p -> new String[]{"train", "--manifest", manifest.toString(), "--out", p});
        commands.put("train --export", p -> new String[]{"train", "--manifest", manifest.toString(), "--export", p});
        commands.put("combine --out", p -> new String[]{"combine", "--part", part.toString(), "--out", p});
        commands.put("dataset --out", p -> new String[]{"dataset", "--data", inputs.toString(), "--out", p, "emodb"});
        commands.put("watch --outbox", p -> new String[]{"watch", in.toString(), "--outbox", p});

        Path relativeBase = Path.of("target", "checks-make-nothing-" + ProcessHandle.current().pid());
        Map<String, Path> shapes = new LinkedHashMap<>();
        shapes.put("one folder", work.resolve("out"));
        shapes.put("four folders deep", work.resolve("a").resolve("b").resolve("c").resolve("d"));
        shapes.put("with . and ..", Path.of(work + "/x/./y/../z"));
        shapes.put("spaces and non-ASCII", work.resolve("Ergebnisse über Nacht").resolve("тест 1"));
        shapes.put("a name of 255 bytes", work.resolve("n".repeat(255)));
        shapes.put("relative", relativeBase.resolve("out"));

        TreeSet<String> before = tree(tmp);
        List<String> wrong = new ArrayList<>();
        int passed = 0;
        for (var c : commands.entrySet()) {
            for (var s : shapes.entrySet()) {
                String cell = c.getKey() + " / " + s.getKey();
                Answer a = answer(c.getValue().apply(s.getValue().toString()));
                if (a.code().isPresent()) wrong.add(cell + ": refused before start: " + a.code() + " " + a.err());
                else passed++;
                TreeSet<String> after = tree(tmp);
                after.removeAll(before);
                if (!after.isEmpty()) wrong.add(cell + ": the check left " + after);
                if (Files.exists(relativeBase)) wrong.add(cell + ": the check left " + relativeBase.toAbsolutePath());
                deleteMadeUnder(work);
                deleteTree(relativeBase);
            }
        }
        assertEquals(List.of(), wrong, passed + " passed to the start; wrong:\n" + String.join("\n", wrong)
                .replace("n".repeat(255), "<255 n>"));
    }

    /**
     * A second option refused after the folder option was checked: the whole command is refused, and the folder that
     * passed its check is not left behind.
     */
    @Test
    void aRefusalAfterThePathCheckLeavesNoFolder() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path manifest = Files.writeString(tmp.resolve("m.csv"), "id,audio,label\n");
        Path out = tmp.resolve("out").resolve("run");
        String proc = "/proc is the kernel's proc file system, where no file or folder can be made";
        record Cell(String name, String[] args, String says) {
        }
        List<Cell> cells = List.of(
                new Cell("tag --out, then --publish-log under /proc", new String[]{"tag", in.toString(), "--out",
                        out.toString(), "--publish", "http://localhost:9/", "--publish-log", "/proc/x/log.jsonl"},
                        "moodtag tag: --publish-log /proc/x/log.jsonl (/proc/x/log.jsonl) cannot be written: " + proc),
                new Cell("tag --out, then --publish-log a folder", new String[]{"tag", in.toString(), "--out",
                        out.toString(), "--publish", "http://localhost:9/", "--publish-log", in.toString()},
                        "moodtag tag: --publish-log " + in + " (" + in + ") is a folder: give a file name"),
                new Cell("train --out, then --export under /proc", new String[]{"train", "--manifest", manifest.toString(),
                        "--out", out.toString(), "--export", "/proc/x"},
                        "moodtag train: --export /proc/x (/proc/x) cannot be written: " + proc),
                new Cell("train --out, then --export a file", new String[]{"train", "--manifest", manifest.toString(),
                        "--out", out.toString(), "--export", manifest.toString()},
                        "moodtag train: --export " + manifest + " (" + manifest + ") exists and is not a folder"));
        List<String> wrong = new ArrayList<>();
        for (Cell c : cells) {
            Answer a = answer(c.args());
            if (!a.code().equals(OptionalInt.of(2)) || !a.err().equals(c.says()))
                wrong.add(c.name() + ": " + a.code() + " '" + a.err() + "'");
            if (Files.exists(tmp.resolve("out"))) wrong.add(c.name() + ": left " + tmp.resolve("out"));
            deleteTree(tmp.resolve("out"));
        }
        assertEquals(List.of(), wrong, String.join("\n", wrong));
    }

    /**
     * A folder option on a read-only file system, the folder there or still to be made: refused before start in the
     * words the check that made the folders used, naming the file system; on a full one passed on, as it was. Nothing
     * is made either way.
     */
    @Test
    void aReadOnlyOrFullFileSystemIsRefusedInTheSameWords() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path manifest = Files.writeString(tmp.resolve("m.csv"), "id,audio,label\n");
        Path part = Files.createDirectories(tmp.resolve("part"));
        Files.writeString(part.resolve("classifier.json"), "{}");
        Map<String, Function<String, String[]>> commands = new LinkedHashMap<>();
        commands.put("tag --out", p -> new String[]{"tag", in.toString(), "--out", p});
        commands.put("status --out", p -> new String[]{"status", in.toString(), "--out", p});
        commands.put("train --out", p -> new String[]{"train", "--manifest", manifest.toString(), "--out", p});
        commands.put("train --export", p -> new String[]{"train", "--manifest", manifest.toString(), "--export", p});
        commands.put("combine --out", p -> new String[]{"combine", "--part", part.toString(), "--out", p});
        commands.put("dataset --out", p -> new String[]{"dataset", "--data", tmp.toString(), "--out", p, "emodb"});
        commands.put("watch --outbox", p -> new String[]{"watch", in.toString(), "--outbox", p});
        List<String> wrong = new ArrayList<>();
        for (SmallDisks.Disk disk : List.of(SmallDisks.Disk.READ_ONLY, SmallDisks.Disk.FULL_FROM_START)) {
            Path mount = disks.mount(tmp.resolve(disk.name().toLowerCase(java.util.Locale.ROOT)), 64 << 10);
            if (disk == SmallDisks.Disk.READ_ONLY) SmallDisks.readOnly(mount);
            else dev.moodtag.testing.Mounts.fill(mount, "filler");
            TreeSet<String> before = tree(mount);
            for (Path folder : List.of(mount, mount.resolve("out"), mount.resolve("a").resolve("b"))) {
                for (var c : commands.entrySet()) {
                    String cell = disk + " / " + c.getKey() + " / " + mount.relativize(folder);
                    String[] option = c.getKey().split(" ");
                    Answer a = answer(c.getValue().apply(folder.toString()));
                    // A full one is passed on, as before: the probe, an empty file, takes no room; the work's first
                    // write says it (TagReportOnFullDiskTest, TrainWritesOnFullDiskTest)
                    String says = disk == SmallDisks.Disk.READ_ONLY ? "moodtag " + option[0] + ": " + option[1] + " "
                            + folder + " (" + folder + ") cannot be written: " + mount + " " + disk.words : "";
                    if (!a.code().equals(says.isEmpty() ? OptionalInt.empty() : OptionalInt.of(2)) || !a.err().equals(says))
                        wrong.add(cell + ": " + a.code() + " '" + a.err() + "'");
                    if (!tree(mount).equals(before)) wrong.add(cell + ": the check left " + tree(mount));
                }
            }
        }
        assertEquals(List.of(), wrong, String.join("\n", wrong));
    }

    private static void deleteMadeUnder(Path work) throws IOException {
        try (Stream<Path> made = Files.list(work)) {
            for (Path p : made.toList()) deleteTree(p);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
