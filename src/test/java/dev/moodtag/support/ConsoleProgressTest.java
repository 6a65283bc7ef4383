package dev.moodtag.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleProgressTest {

    /**
     * A run started from a terminal with its stderr sent to a file ("2> train.log") has a console, since stdin and
     * stdout are terminals; its log got a bar redrawn with carriage returns every half second instead of lines.
     */
    @Test
    void onlyATerminalGetsTheRedrawnBar(@TempDir Path dir) throws Exception {
        assertTrue(ConsoleProgress.isTerminal(Files.createSymbolicLink(dir.resolve("pts"), Path.of("/dev/pts/3"))));
        assertTrue(ConsoleProgress.isTerminal(Files.createSymbolicLink(dir.resolve("tty"), Path.of("/dev/tty1"))));
        assertFalse(ConsoleProgress.isTerminal(Files.createSymbolicLink(dir.resolve("file"), dir.resolve("train.log"))));
        assertFalse(ConsoleProgress.isTerminal(Files.createSymbolicLink(dir.resolve("pipe"), Path.of("pipe:[73021]"))));
        assertFalse(ConsoleProgress.isTerminal(Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"))));
        // no /proc link to read (another system): the console decides, as before
        assertTrue(ConsoleProgress.isTerminal(dir.resolve("absent")));
    }

    @Test
    void thisTestsStderrIsNoTerminal() {
        // surefire sends a forked JVM's stderr to a pipe or file
        assertFalse(ConsoleProgress.isTerminal(ConsoleProgress.STDERR));
    }
}
