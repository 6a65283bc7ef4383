package dev.moodtag.cli;

import org.junit.jupiter.api.Test;
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
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every option that names a local folder or file to write, given a path that cannot be used, is refused before start
 * in one line that says what is wrong in words and names the part of the path at fault. A walk of the README found
 * {@code tag --out /proc/x} answered "cannot be written: java.nio.file.NoSuchFileException: /proc/x": a Java class,
 * no reason. Permission cases are left out (the tests may run as root).
 */
class PathOptionWordsTest {

    @TempDir
    Path tmp;

    private record Option(String name, boolean file, Function<String, String[]> args) {
    }

    private record Answer(OptionalInt code, String err) {
    }

    private static Answer answer(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        OptionalInt code = BeforeStart.answer(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Answer(code, err.toString());
    }

    @Test
    void everyPathOptionSaysWhatIsWrongInWords() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path manifest = Files.writeString(tmp.resolve("m.csv"), "id,audio,label\n");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path loop = tmp.resolve("loop-a");
        Files.createSymbolicLink(loop, tmp.resolve("loop-b"));
        Files.createSymbolicLink(tmp.resolve("loop-b"), loop);
        Path wav = Files.writeString(tmp.resolve("a.wav"), "RIFF");
        Path part = Files.createDirectories(tmp.resolve("part"));
        Files.writeString(part.resolve("classifier.json"), "{}");
        String out = tmp.resolve("out").toString(), sink = "http://localhost:9/";

        List<Option> options = List.of(
                new Option("tag --out", false, p -> new String[]{"tag", in.toString(), "--out", p}),
                new Option("status --out", false, p -> new String[]{"status", in.toString(), "--out", p}),
                new Option("tag --publish-log", true, p -> new String[]{"tag", in.toString(), "--out", out, "--publish",
                        sink, "--publish-log", p}),
                new Option("train --out", false, p -> new String[]{"train", "--manifest", manifest.toString(), "--out", p}),
                new Option("train --export", false, p -> new String[]{"train", "--manifest", manifest.toString(), "--export", p}),
                new Option("asr-eval --out", true, p -> new String[]{"asr-eval", in.toString(), "--out", p,
                        "--cache", tmp.resolve("cache").toString()}),
                new Option("asr-eval --cache", false, p -> new String[]{"asr-eval", in.toString(), "--cache", p, "--out",
                        tmp.resolve("asr.csv").toString()}),
                new Option("dataset --out", false, p -> new String[]{"dataset", "--data", tmp.toString(), "--out", p, "emodb"}),
                new Option("watch --outbox", false, p -> new String[]{"watch", in.toString(), "--outbox", p}),
                // /proc/x passed, and the benchmark failed only once it had run, its figures lost
                new Option("bench --json", true, p -> new String[]{"bench", wav.toString(), "--json", p}),
                // not checked before start: /proc/x, a file in the way or a loop of links was an UncheckedIOException's
                // stack trace once the parts had been read and combined
                new Option("combine --out", false, p -> new String[]{"combine", "--part", part.toString(), "--out", p}));

        // the path, and what the answer must say; null where only a folder option refuses it
        record Case(Path path, String folderWords, String fileWords) {
        }
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("a file as the folder", new Case(file, "exists and is not a folder", null));
        cases.put("a file as its parent", new Case(file.resolve("x"), "not a folder: " + file + " is a file in the way",
                "not a folder: " + file + " is a file in the way"));
        String proc = "/proc is the kernel's proc file system, where no file or folder can be made";
        cases.put("/proc/x", new Case(Path.of("/proc/x"), proc, proc));
        cases.put("/proc/x/y", new Case(Path.of("/proc/x/y"), proc, proc));
        cases.put("/dev/null as the folder", new Case(Path.of("/dev/null"), "exists and is not a folder", null));
        String device = "not a folder: /dev/null is a FIFO, socket or device in the way";
        cases.put("/dev/null as its parent", new Case(Path.of("/dev/null/x"), device, device));
        String tooLong = "name too long: the name " + "n".repeat(40) + "… has 256 bytes; file systems take at most 255";
        cases.put("a name of 256 bytes", new Case(tmp.resolve("n".repeat(256)), tooLong, tooLong));
        cases.put("a name of 256 bytes as its parent", new Case(tmp.resolve("n".repeat(256)).resolve("x"), tooLong, tooLong));
        String nowhere = loop + " is a link that leads nowhere (a loop of links, or to something that does not exist)";
        cases.put("a loop of links", new Case(loop, nowhere, nowhere));
        cases.put("a loop of links as its parent", new Case(loop.resolve("x"), nowhere, nowhere));
        cases.put("a folder as the file", new Case(Files.createDirectories(tmp.resolve("folder")), null, "is a folder"));

        List<String> wrong = new ArrayList<>(), said = new ArrayList<>();
        int refused = 0;
        for (Option o : options) {
            for (var c : cases.entrySet()) {
                String words = o.file() ? c.getValue().fileWords() : c.getValue().folderWords();
                if (words == null) continue;
                String path = c.getValue().path().toString();
                Answer a = answer(o.args().apply(path));
                OptionalInt code = a.code();
                String answer = a.err().strip();
                said.add(o.name() + " / " + c.getKey() + ": " + code + " " + answer);
                if (code.isEmpty()) {
                    wrong.add(o.name() + " / " + c.getKey() + ": not refused before start");
                    continue;
                }
                refused++;
                String[] parts = o.name().split(" ");
                if (!code.equals(OptionalInt.of(2)) || answer.lines().count() != 1
                        || !answer.startsWith("moodtag " + parts[0] + ": " + parts[1] + " ")
                        || !answer.contains(words) || answer.contains("java.") || answer.contains("Exception"))
                    wrong.add(o.name() + " / " + c.getKey() + ": " + code + " '" + answer + "'");
            }
        }
        // A device where asr-eval's statistics go: the file written beside it was moved over it, and as root the
        // system's /dev/null became a regular file of statistics
        Answer devNull = answer("asr-eval", in.toString(), "--out", "/dev/null", "--cache", "none");
        said.add("asr-eval --out / /dev/null as the file: " + devNull.code() + " " + devNull.err().strip());
        if (!devNull.code().equals(OptionalInt.of(2)) || !devNull.err().strip().equals("moodtag asr-eval: --out /dev/null is "
                + "not a regular file (a FIFO, socket or device): moodtag writes a new file and moves it over the old one, "
                + "which would replace it; give a file name")) wrong.add(said.get(said.size() - 1));
        assertEquals(false, Files.isRegularFile(Path.of("/dev/null")), "/dev/null is still a device");
        // and as the publish log, which is read back, appended to and forced
        Answer devNullLog = answer("tag", in.toString(), "--out", out, "--publish", sink, "--publish-log", "/dev/null");
        said.add("tag --publish-log / /dev/null as the file: " + devNullLog.code() + " " + devNullLog.err().strip());
        if (!devNullLog.code().equals(OptionalInt.of(2)) || !devNullLog.err().strip().equals("moodtag tag: --publish-log "
                + "/dev/null (/dev/null) is not a regular file (a FIFO, socket or device): give a file name"))
            wrong.add(said.get(said.size() - 1));

        System.out.println(String.join("\n", said).replace("n".repeat(256), "<256 n>"));
        assertEquals(List.of(), wrong, refused + " refused; wrong:\n" + String.join("\n", wrong).replace("n".repeat(256), "<256 n>"));
    }
}
