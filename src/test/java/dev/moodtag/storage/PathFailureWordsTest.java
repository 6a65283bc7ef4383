package dev.moodtag.storage;

import dev.moodtag.support.WriteProbe;
import dev.moodtag.testing.PathsInTheWay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LocalFailures#inWords}: what a person reads when a path named by an option or setting cannot be used. A
 * failure was shown as the exception's toString ("java.nio.file.NoSuchFileException: /proc/x"): a Java class and the
 * path, no reason. Real files, links and the kernel's file systems, each asked as a folder to make and write into, a
 * file to read and a file to append to. Permission cases are left out: the tests may run as root.
 */
class PathFailureWordsTest {

    @TempDir
    Path tmp;

    private interface Use {
        void on(Path p) throws IOException;
    }

    @Test
    void everyFailureOfAPathIsSaidInWordsNamingThePartAtFault() throws Exception {
        PathsInTheWay in = PathsInTheWay.under(tmp);
        Path file = in.file(), folder = in.folder(), loop = in.loop(), dangling = in.dangling();
        String name256 = "n".repeat(256);

        // the path, and what the words must say (the part at fault is in each)
        Map<Path, String> cases = new LinkedHashMap<>();
        cases.put(tmp.resolve("missing/x"), "no such folder: " + tmp.resolve("missing"));
        cases.put(file.resolve("x"), "not a folder: " + file + " is a file in the way");
        cases.put(Path.of("/dev/null/x"), "not a folder: /dev/null is a FIFO, socket or device in the way");
        cases.put(Path.of("/proc/x"), "/proc is the kernel's proc file system, where no file or folder can be made");
        cases.put(Path.of("/proc/x/y"), "/proc is the kernel's proc file system, where no file or folder can be made");
        cases.put(tmp.resolve(name256), "name too long: the name nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn… has 256 bytes");
        cases.put(tmp.resolve(name256 + "/x"), "name too long: the name nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn… has 256 bytes");
        cases.put(loop, loop + " is a link that leads nowhere (a loop of links");
        cases.put(loop.resolve("x"), loop + " is a link that leads nowhere (a loop of links");
        cases.put(dangling.resolve("x"), dangling + " is a link that leads nowhere");

        Map<String, Use> uses = new LinkedHashMap<>();
        uses.put("make a folder and write into it", p -> {
            Files.createDirectories(p);
            WriteProbe.into(p);
        });
        uses.put("read a file", p -> Files.readAllBytes(p));
        uses.put("append to a file", p -> Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close());

        List<String> wrong = new ArrayList<>();
        int failures = 0;
        for (var c : cases.entrySet()) {
            for (var use : uses.entrySet()) {
                if (c.getKey().startsWith(tmp.resolve("missing")) && use.getKey().startsWith("make")) continue; // made
                try {
                    use.getValue().on(c.getKey());
                    wrong.add(use.getKey() + " " + c.getKey() + ": did not fail");
                } catch (IOException e) {
                    failures++;
                    String said = LocalFailures.inWords(e, c.getKey());
                    if (!said.contains(c.getValue()) || said.contains("java.") || said.contains("Exception"))
                        wrong.add(use.getKey() + " " + c.getKey() + ": said '" + said + "' (" + e + ")");
                }
            }
        }
        assertEquals(cases.size() * uses.size() - 1, failures, String.join("\n", wrong));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));

        // A file where a folder is wanted, and a folder where a file is
        for (Path inTheWay : List.of(file, Path.of("/dev/null"))) {
            IOException e = assertFails(() -> Files.createDirectories(inTheWay));
            assertEquals("not a folder: " + inTheWay + " is " + (inTheWay.equals(file) ? "a file" : "a FIFO, socket or device")
                    + " in the way", LocalFailures.inWords(e, inTheWay));
        }
        IOException readFolder = assertFails(() -> Files.readAllBytes(folder));
        assertEquals(folder + " is a folder, where a file is expected", LocalFailures.inWords(readFolder, folder));
        IOException missingFile = assertFails(() -> Files.readAllBytes(folder.resolve("none.csv")));
        assertEquals("no such file or folder: " + folder.resolve("none.csv"), LocalFailures.inWords(missingFile, folder.resolve("none.csv")));
    }

    /**
     * The fault beside the words, for a caller whose answer depends on it: bench --json decided "the folder does not
     * exist; create it first" by the words starting "no such folder: ", which any rewording here would have broken
     * without a failing test. Every case of the grid above, and a missing folder at several depths, relative or through
     * "..", is told by {@link LocalFailures#faultOf}, whose words are {@link LocalFailures#inWords}'s.
     */
    @Test
    void theFaultIsToldBesideTheWordsSoThatNoCallerDecidesOnThem() throws Exception {
        PathsInTheWay in = PathsInTheWay.under(tmp);
        Path file = in.file(), folder = in.folder(), loop = in.loop(), dangling = in.dangling(), fifo = in.fifo();
        Path here = Path.of("").toAbsolutePath();

        Map<Path, LocalFailures.Fault> cases = new LinkedHashMap<>();
        for (String missing : List.of("m/x", "m/n/x", "m/n/o/x", "folder/m/x", "folder/../m/x", "file/../m/x"))
            cases.put(tmp.resolve(missing), LocalFailures.Fault.NO_SUCH_FOLDER);
        cases.put(here.relativize(tmp.resolve("m/x")), LocalFailures.Fault.NO_SUCH_FOLDER);
        cases.put(tmp.resolve("none"), LocalFailures.Fault.NO_SUCH_FILE);
        cases.put(folder.resolve("none"), LocalFailures.Fault.NO_SUCH_FILE);
        cases.put(file.resolve("x"), LocalFailures.Fault.NOT_A_FOLDER);
        cases.put(fifo.resolve("x"), LocalFailures.Fault.NOT_A_FOLDER);
        cases.put(Path.of("/dev/null/x"), LocalFailures.Fault.NOT_A_FOLDER);
        cases.put(Path.of("/proc/x"), LocalFailures.Fault.KERNEL_FILE_SYSTEM);
        cases.put(Path.of("/proc/x/y"), LocalFailures.Fault.KERNEL_FILE_SYSTEM);
        cases.put(tmp.resolve("n".repeat(256)), LocalFailures.Fault.NAME_TOO_LONG);
        cases.put(tmp.resolve("m/" + "n".repeat(256) + "/x"), LocalFailures.Fault.NAME_TOO_LONG);
        cases.put(loop, LocalFailures.Fault.LINK_LEADS_NOWHERE);
        cases.put(loop.resolve("x"), LocalFailures.Fault.LINK_LEADS_NOWHERE);
        cases.put(dangling, LocalFailures.Fault.LINK_LEADS_NOWHERE);
        cases.put(dangling.resolve("x"), LocalFailures.Fault.LINK_LEADS_NOWHERE);
        cases.put(folder, LocalFailures.Fault.A_FOLDER);

        List<String> wrong = new ArrayList<>();
        for (var c : cases.entrySet()) {
            IOException e = new java.nio.file.NoSuchFileException(c.getKey().toAbsolutePath().normalize().toString());
            LocalFailures.PathFault fault = LocalFailures.faultOf(e, c.getKey());
            if (fault.fault() != c.getValue() || !fault.words().equals(LocalFailures.inWords(e, c.getKey()))
                    || fault.fault().missing() != (c.getValue() == LocalFailures.Fault.NO_SUCH_FOLDER
                    || c.getValue() == LocalFailures.Fault.NO_SUCH_FILE))
                wrong.add(c.getKey() + ": " + fault + ", expected " + c.getValue());
        }
        // a file to read that is something else: the same faults, a FIFO as NOT_A_REGULAR_FILE (never opened)
        assertEquals(java.util.Optional.empty(), LocalFailures.notAReadableFile(file));
        assertEquals(new LocalFailures.PathFault(LocalFailures.Fault.NOT_A_REGULAR_FILE, fifo + " is "
                + dev.moodtag.support.NotARegularFile.OTHER), LocalFailures.notAReadableFile(fifo).orElseThrow());
        assertEquals(LocalFailures.Fault.A_FOLDER, LocalFailures.notAReadableFile(folder).orElseThrow().fault());
        assertEquals(LocalFailures.Fault.NO_SUCH_FOLDER, LocalFailures.notAReadableFile(tmp.resolve("m/x")).orElseThrow().fault());
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases.size() + " wrong");
    }

    /** Whatever the state on disk cannot explain is said in the system's words with the file, never the class. */
    @Test
    void whatTheDiskDoesNotExplainIsSaidInTheSystemsWords() {
        Path there = tmp.resolve("there");
        try {
            Files.writeString(there, "x");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(there + ": Input/output error",
                LocalFailures.inWords(new FileSystemException(there.toString(), null, "Input/output error"), there));
        assertEquals(there + ": input/output error",
                LocalFailures.inWords(new FileSystemException(there.toString()), there));
        assertEquals(there + ": input/output error", LocalFailures.inWords(new IOException(), there));
        assertEquals(there + ": stream closed", LocalFailures.inWords(new IOException("stream closed"), there));
    }

    private interface Failing {
        void run() throws IOException;
    }

    private static IOException assertFails(Failing f) {
        try {
            f.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("did not fail");
    }
}
