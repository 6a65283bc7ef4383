package dev.moodtag.storage;

import dev.moodtag.batch.BatchReport;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a run killed mid-write (SIGKILL: no shutdown hook, no finally) leaves in the folder it writes its report or
 * export into: its hidden staging folder, which stayed for ever. A real child JVM writes over and over, is stopped
 * (SIGSTOP) at a moment its staging folder is there, and killed; the next write of the same kind into the folder
 * removes that folder, keeps a live run's (the child while only stopped, this JVM's, pid 1's), and keeps every
 * look-alike a user may have: near-miss names, a file or a link named exactly like one, the other kind's, one holding
 * a folder.
 */
class StagingFoldersTest {

    private static final Path SHIPPED_CLASSIFIER = Path.of("models", "classifier");
    private static final String HEX = "0123456789abcdef";

    @TempDir
    Path tmp;

    /** A report of {@code rows} objects, without results: quick to build, some MB to write. */
    private static BatchSummary summary(int rows) {
        List<BatchRow> all = new ArrayList<>();
        for (int i = 0; i < rows; i++)
            all.add(new BatchRow("file:///a/clip" + i + ".wav", "processed", "labelled", "happy", 1, "happy", null,
                    "file:///a/clip" + i + ".wav.emotion.json", 1.0, null));
        return new BatchSummary(all, 1.0, false);
    }

    /** What a killed child writes, over and over until it is killed: {@code report|export OUT}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path out = Path.of(args[1]);
            if (args[0].equals("report")) {
                BatchSummary s = summary(20_000);
                while (true) new BatchReport().write(s, out, "killed mid-write");
            }
            EmotionClassifier clf = ClassifierStore.load(SHIPPED_CLASSIFIER).classifier();
            while (true) ClassifierStore.save(out, clf, Map.of());
        }
    }

    /** The next run's write of that kind into {@code out}, in this JVM. */
    private static void writeAgain(String kind, Path out) throws IOException {
        if (kind.equals("report")) new BatchReport().write(summary(3), out, "the next run");
        else ClassifierStore.save(out, ClassifierStore.load(SHIPPED_CLASSIFIER).classifier(), Map.of());
    }

    @Test
    void theNextWriteRemovesWhatAKilledWriteLeftAndNothingElse() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SHIPPED_CLASSIFIER.resolve(ClassifierStore.FILE)), "no shipped classifier");
        List<String> wrong = new ArrayList<>();
        for (String kind : List.of("report", "export")) {
            Path out = Files.createDirectories(tmp.resolve(kind));
            Process child = start(kind, out);
            List<String> left;
            try {
                left = stopWhileStaging(child, kind, out);
                // the child is alive, only stopped: its staging folder is a live run's
                writeAgain(kind, out);
                if (!names(out).containsAll(left))
                    wrong.add(kind + ": the next write removed the staging folder " + left + " of a run still alive");
            } finally {
                child.destroyForcibly(); // SIGKILL: the child never leaves its staging folder
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
            if (!names(out).containsAll(left)) wrong.add(kind + ": the killed write left nothing to remove: " + names(out));
            Map<String, String> lookAlikes = lookAlikes(kind, out, child.pid());
            writeAgain(kind, out);
            List<String> now = names(out);
            for (String name : left)
                if (now.contains(name)) wrong.add(kind + ": the killed run's staging folder " + name + " is still there");
            for (var l : lookAlikes.entrySet()) {
                boolean kept = l.getKey().startsWith("!");
                String name = kept ? l.getKey().substring(1) : l.getKey();
                if (kept != now.contains(name))
                    wrong.add(kind + ": " + (kept ? "removed " : "kept ") + l.getValue() + " '" + name + "'");
            }
            Path outside = tmp.resolve(kind + "-outside");
            if (!Files.isRegularFile(outside.resolve("precious.txt")))
                wrong.add(kind + ": the folder a link named like a staging folder leads to lost its file");
            for (String name : now)
                if (name.startsWith(".") && Files.isDirectory(out.resolve(name), LinkOption.NOFOLLOW_LINKS)
                        && !lookAlikes.containsKey("!" + name) && !name.startsWith(".moodtag"))
                    wrong.add(kind + ": a hidden folder " + name + " that is no look-alike is left");
        }
        assertEquals(List.of(), wrong, String.join("\n", wrong));
    }

    private Process start(String kind, Path out) throws IOException {
        // The class path goes in an argument file (ExtractionScopeTest: long command lines)
        Path args = Files.writeString(tmp.resolve(kind + ".args"), "-cp \"" + System.getProperty("java.class.path") + "\"\n");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "@" + args, Child.class.getName(), kind, out.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve(kind + ".log").toFile()).start();
    }

    /**
     * Stops the child (SIGSTOP) and looks for its staging folder; until there is one, lets it go on a moment. Returns
     * the staging folders there while it is stopped: a write is under way in them.
     */
    private List<String> stopWhileStaging(Process child, String kind, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertTrue(child.isAlive(), () -> "the child ended: " + log(kind));
            assertTrue(System.nanoTime() < deadline, () -> "no staging folder seen in 120 s: " + log(kind));
            signal("STOP", child);
            List<String> staging = names(out).stream().filter(n -> n.startsWith("." + kind + "-")
                    && Files.isDirectory(out.resolve(n), LinkOption.NOFOLLOW_LINKS)).toList();
            if (!staging.isEmpty()) return staging;
            signal("CONT", child);
            Thread.sleep(7);
        }
    }

    private static void signal(String name, Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -" + name);
    }

    /**
     * Entries named like a staging folder of {@code kind}, made in {@code out}: the key is the name, marked '!' where
     * it must be kept; the value says what it is.
     */
    private Map<String, String> lookAlikes(String kind, Path out, long deadPid) throws IOException {
        String hex = HEX, dot = "." + kind + "-", other = kind.equals("report") ? ".export-" : ".report-";
        long self = ProcessHandle.current().pid();
        Map<String, String> made = new TreeMap<>();
        for (String name : List.of(dot, dot + deadPid, dot + deadPid + "-", dot + deadPid + "-" + hex.substring(1),
                dot + deadPid + "-" + hex + "0", dot + deadPid + "-" + hex.toUpperCase(), dot + "0" + deadPid + "-" + hex,
                dot + "-" + deadPid + "-" + hex, dot + deadPid + "-" + hex + ".bak", dot + deadPid + "-" + hex + " ",
                " " + dot + deadPid + "-" + hex, dot.substring(1) + deadPid + "-" + hex, dot.toUpperCase() + deadPid + "-" + hex,
                dot + deadPid + hex, dot + "abc-" + hex, dot + deadPid + "-" + hex.replace('f', 'g'),
                other + deadPid + "-" + hex, dot + "99999999999999999999-" + hex)) {
            Path p = Files.createDirectories(out.resolve(name));
            Files.writeString(p.resolve("index.jsonl"), "a user's\n");
            made.put("!" + name, "a look-alike folder");
        }
        String exact = dot + deadPid + "-";
        Files.writeString(out.resolve(exact + "1111111111111111"), "a user's file\n");
        made.put("!" + exact + "1111111111111111", "a file named exactly like one");
        Path outside = Files.createDirectories(tmp.resolve(kind + "-outside"));
        Files.writeString(outside.resolve("precious.txt"), "a user's\n");
        Files.createSymbolicLink(out.resolve(exact + "2222222222222222"), outside);
        made.put("!" + exact + "2222222222222222", "a link named exactly like one, to a folder outside");
        Path holdsAFolder = Files.createDirectories(out.resolve(exact + "3333333333333333").resolve("sub"));
        Files.writeString(holdsAFolder.resolve("kept.txt"), "a user's\n");
        made.put("!" + exact + "3333333333333333", "a folder named exactly like one that holds a folder");
        Files.createDirectories(out.resolve(dot + self + "-4444444444444444"));
        made.put("!" + dot + self + "-4444444444444444", "this live process's staging folder");
        Files.createDirectories(out.resolve(exact + "5555555555555555"));
        made.put(exact + "5555555555555555", "an empty staging folder of a dead process");
        if (ProcessHandle.of(1).flatMap(h -> h.info().startInstant()).isPresent()) {
            Files.createDirectories(out.resolve(dot + "1-6666666666666666"));
            made.put("!" + dot + "1-6666666666666666", "pid 1's staging folder, written since it started");
            Path reused = Files.createDirectories(out.resolve(dot + "1-7777777777777777"));
            Files.writeString(reused.resolve("index.csv"), "a,b\n");
            Files.setLastModifiedTime(reused, FileTime.fromMillis(0));
            made.put(dot + "1-7777777777777777", "a staging folder written before pid 1 started (its pid reused)");
        }
        return made;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String log(String kind) {
        try {
            return Files.readString(tmp.resolve(kind + ".log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
