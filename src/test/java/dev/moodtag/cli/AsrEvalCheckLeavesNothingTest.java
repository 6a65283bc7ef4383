package dev.moodtag.cli;

import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.Mounts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code asr-eval}'s check before start judges {@code --out} and {@code --cache} without making their folders: it created
 * the default {@code out/asr-cache} (and {@code out/}) even when the run was then refused for another reason. What it
 * refuses it still refuses, a folder to be made on a read-only or full file system included.
 */
class AsrEvalCheckLeavesNothingTest {

    @TempDir
    Path tmp;

    private AsrEvalCommand command(Path out, Path cache) {
        AsrEvalCommand c = new AsrEvalCommand(null, null, null, null, null);
        // parsed as the command line would be, so every option not set here has its default (--keep 0.95 …)
        new picocli.CommandLine(c).parseArgs(Fixtures.sample("03a05Fc.wav").toString());
        c.threads = 1;
        c.csv = out;
        c.cache = cache.toString();
        return c;
    }

    @Test
    void theCheckMakesNoFolder() {
        Path out = tmp.resolve("out").resolve("asr-eval.csv"), cache = tmp.resolve("out").resolve("asr-cache");
        assertEquals(Optional.empty(), command(out, cache).problemBeforeStart());
        assertTrue(Files.notExists(tmp.resolve("out")), "the check left " + tmp.resolve("out"));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "nothing left by the check, no probe either");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void whatCannotBeMadeIsStillRefusedByName() throws Exception {
        Files.writeString(tmp.resolve("a-file"), "x");
        Optional<String> underAFile = command(tmp.resolve("a-file").resolve("sub").resolve("x.csv"), tmp.resolve("c"))
                .problemBeforeStart();
        assertTrue(underAFile.orElse("").contains("not a folder: " + tmp.resolve("a-file")), underAFile.toString());
        Optional<String> cacheUnderAFile = command(tmp.resolve("x.csv"), tmp.resolve("a-file").resolve("cache"))
                .problemBeforeStart();
        assertTrue(cacheUnderAFile.orElse("").startsWith("--cache ") && cacheUnderAFile.get().contains("not a folder"),
                cacheUnderAFile.toString());

        Path mount = tmp.resolve("mount");
        Assumptions.assumeTrue(Mounts.tmpfs(mount, 64 << 10), "skipped: this process may not mount a tmpfs (needs root)");
        try {
            Assumptions.assumeTrue(Mounts.remountReadOnly(mount), "skipped: cannot remount read-only");
            Optional<String> readOnly = command(tmp.resolve("x.csv"), mount.resolve("out").resolve("asr-cache"))
                    .problemBeforeStart();
            assertTrue(readOnly.orElse("").contains(mount + " is on a read-only file system"), readOnly.toString());
            Optional<String> outReadOnly = command(mount.resolve("out").resolve("x.csv"), tmp.resolve("c"))
                    .problemBeforeStart();
            assertTrue(outReadOnly.orElse("").contains(mount + " is on a read-only file system"), outReadOnly.toString());
            // its folder there: said by the folder, where it was "no such file or folder: …/x.csv"
            Optional<String> fileReadOnly = command(mount.resolve("x.csv"), tmp.resolve("c")).problemBeforeStart();
            assertTrue(fileReadOnly.orElse("").contains(mount + " is on a read-only file system"), fileReadOnly.toString());
        } finally {
            Mounts.unmount(mount);
        }
    }
}
