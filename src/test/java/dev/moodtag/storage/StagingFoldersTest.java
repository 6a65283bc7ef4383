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
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
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

    /**
     * A report or a classifier being written is nobody else's to read or change, whatever the umask: the staging folder
     * is rwx------, as {@link Files#createTempDirectory} made it before it was named after its process (under umask
     * 000 it was rwxrwxrwx since, under 022 rwxr-xr-x). The files moved in from it keep the permissions they had when
     * written in place: a report's rw-r--r-- (LocalObjectStorage's own), a classifier's those of any new file under
     * the umask. A real child JVM writes under umask 000, stopped (SIGSTOP) while its staging folder is there.
     */
    @Test
    void aStagingFolderIsItsOwnersAloneWhateverTheUmask() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SHIPPED_CLASSIFIER.resolve(ClassifierStore.FILE)), "no shipped classifier");
        Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
        Map<String, List<String>> finalFiles = Map.of("report", List.of("index.jsonl", "index.csv", "report.html"),
                "export", List.of(ClassifierStore.FILE, "svm-0.model.gz"));
        // What each file got when written in place (61aac84^, 4bc8037^), under umask 000
        Map<String, String> finalPermissions = Map.of("report", "rw-r--r--", "export", "rw-rw-rw-");
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (String kind : List.of("report", "export")) {
            Path out = Files.createDirectories(tmp.resolve("umask-" + kind));
            Process child = start(kind, out, "000");
            try {
                for (String staging : stopWhileStaging(child, kind, out)) {
                    cells++;
                    String perms = permissions(out.resolve(staging));
                    if (!perms.equals("rwx------"))
                        wrong.add(kind + ": the staging folder " + staging + " of a write under umask 000 is " + perms);
                }
                signal("CONT", child);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!finalFiles.get(kind).stream().allMatch(f -> Files.isRegularFile(out.resolve(f)))) {
                    assertTrue(child.isAlive() && System.nanoTime() < deadline, () -> "no whole write in 120 s: " + log(kind));
                    Thread.sleep(20);
                }
                signal("STOP", child);
                for (String f : finalFiles.get(kind)) {
                    cells++;
                    String perms = permissions(out.resolve(f));
                    if (!perms.equals(finalPermissions.get(kind)))
                        wrong.add(kind + ": " + f + " moved in is " + perms + ", written in place it was "
                                + finalPermissions.get(kind));
                }
            } finally {
                child.destroyForcibly();
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            // And this JVM's, under the umask it runs with
            cells++;
            Path own = StagingFolders.create(out, kind);
            if (!permissions(own).equals("rwx------"))
                wrong.add(kind + ": this JVM's staging folder is " + permissions(own));
            StagingFolders.remove(own, kind);
        }
        System.out.println(cells + " permissions checked");
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " wrong:\n" + String.join("\n", wrong));
    }

    private static String permissions(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Versions before 2026-12-07 named the staging folder as {@link Files#createTempDirectory} does, {@code .<kind>-}
     * and an unsigned long, with no process id in it; one that a killed run left was never removed. It is now, once no
     * process can have written it: none of its owner's started before it was last written (a restart since, or its
     * user's processes all gone). Kept: one such a process may be writing (this JVM's user's, written now), and every
     * near miss of the name, a file, a link and a folder holding a folder under an exact one, all written long ago.
     */
    @Test
    void theNextWriteRemovesWhatAnOlderVersionsKilledWriteLeftAndNothingElse() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SHIPPED_CLASSIFIER.resolve(ClassifierStore.FILE)), "no shipped classifier");
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        FileTime longAgo = FileTime.fromMillis(0);
        for (String kind : List.of("report", "export")) {
            Path out = Files.createDirectories(tmp.resolve("older-" + kind));
            String dot = "." + kind + "-", other = kind.equals("report") ? ".export-" : ".report-";
            Map<String, String> made = new TreeMap<>();
            // What an older version's write made (its very call), and the extremes of the name, written long ago
            for (int i = 0; i < 3; i++) {
                Path real = Files.createTempDirectory(out, dot);
                Files.writeString(real.resolve("index.jsonl"), "cut sh");
                made.put(real.getFileName().toString(), "an older version's staging folder, written long ago");
            }
            for (String digits : List.of("0", "7", "9223372036854775807", "9223372036854775808", "18446744073709551615")) {
                Files.createDirectories(out.resolve(dot + digits));
                made.put(dot + digits, "an older version's staging folder, written long ago");
            }
            for (String name : List.of(dot, dot + "00", dot + "01", dot + "18446744073709551616",
                    dot + "99999999999999999999", dot + "123456789012345678901", dot + "+1", dot + "-1", dot + "1 ",
                    " " + dot + "1", dot + "1.bak", dot + "1a", dot + "0x1f", dot + "\u0661\u0662", dot + "\uff11\uff12",
                    dot + "1\n", dot.substring(1) + "12", dot.toUpperCase() + "12", dot.replace('-', '_') + "12",
                    dot + "1-2", dot + "12-", other + "12", dot + "12-0123456789abcdeg")) {
                Path p = Files.createDirectories(out.resolve(name));
                Files.writeString(p.resolve("index.jsonl"), "a user's\n");
                made.put("!" + name, "a near miss of an older version's name");
            }
            Files.writeString(out.resolve(dot + "31"), "a user's file\n");
            made.put("!" + dot + "31", "a file named exactly like one");
            Path outside = Files.createDirectories(tmp.resolve("older-" + kind + "-outside"));
            Files.writeString(outside.resolve("precious.txt"), "a user's\n");
            Files.createSymbolicLink(out.resolve(dot + "32"), outside);
            made.put("!" + dot + "32", "a link named exactly like one, to a folder outside");
            Files.writeString(Files.createDirectories(out.resolve(dot + "33").resolve("sub")).resolve("kept.txt"), "a user's\n");
            made.put("!" + dot + "33", "a folder named exactly like one that holds a folder");
            for (String name : made.keySet()) {
                Path p = out.resolve(name.startsWith("!") ? name.substring(1) : name);
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(longAgo, null, null);
            }
            // Written now by this JVM's user, whose processes (this one) started before: its writer may be running
            Path live = Files.createTempDirectory(out, dot);
            Files.writeString(live.resolve("index.csv"), "a,b\n");
            made.put("!" + live.getFileName(), "an older version's staging folder written now, by a user with processes older");
            // Written now by a user with no process at all (only root can make one)
            Path orphan = Files.createDirectories(out.resolve(dot + "4242"));
            try {
                UserPrincipal nobodyRunning = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("4242424");
                Files.setOwner(orphan, nobodyRunning);
                made.put(dot + "4242", "an older version's staging folder written now, by a user no process runs as");
            } catch (IOException notRoot) {
                Files.delete(orphan);
            }
            writeAgain(kind, out);
            List<String> now = names(out);
            for (var m : made.entrySet()) {
                cells++;
                boolean kept = m.getKey().startsWith("!");
                String name = kept ? m.getKey().substring(1) : m.getKey();
                if (kept != now.contains(name))
                    wrong.add(kind + ": " + (kept ? "removed " : "kept ") + m.getValue() + " '" + name + "'");
            }
            if (!Files.isRegularFile(outside.resolve("precious.txt")))
                wrong.add(kind + ": the folder a link named like a staging folder leads to lost its file");
        }
        System.out.println(cells + " entries checked");
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " wrong:\n" + String.join("\n", wrong));
    }

    private Process start(String kind, Path out) throws IOException {
        return start(kind, out, null);
    }

    /** The child, under {@code umask} where given. */
    private Process start(String kind, Path out, String umask) throws IOException {
        // The class path goes in an argument file (ExtractionScopeTest: long command lines)
        Path args = Files.writeString(tmp.resolve(kind + ".args"), "-cp \"" + System.getProperty("java.class.path") + "\"\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "@" + args, Child.class.getName(), kind, out.toString()));
        if (umask != null) command.addAll(0, List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
        return new ProcessBuilder(command)
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
