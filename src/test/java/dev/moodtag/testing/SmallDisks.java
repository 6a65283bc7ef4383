package dev.moodtag.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small real file systems of one test class ({@link Mounts}' tmpfs), each unmounted after the test that mounted
 * it, even a failed one: a mount left behind would hide the folder under it from every later run. Where this process
 * may not mount (not root), the test is skipped, not failed. Register with {@code @RegisterExtension}.
 */
public final class SmallDisks implements AfterEachCallback {

    /** How moodtag says a file system that is read-only ({@code LocalFailures.inWords}). */
    public static final String READ_ONLY_WORDS = "is on a read-only file system";
    /** How moodtag says a full file system; the folder's name follows. */
    public static final String FULL_WORDS = "no space left on the file system of ";

    /** How a grid's file system refuses: read-only, full before the first write, or full after some writes. */
    public enum Disk {
        READ_ONLY(READ_ONLY_WORDS),
        FULL_FROM_START(FULL_WORDS),
        FILLS_PART_WAY(FULL_WORDS);

        /** What moodtag's refusal must say. */
        public final String words;

        Disk(String words) {
            this.words = words;
        }
    }

    private final List<Path> mounted = new ArrayList<>();

    /** A tmpfs of {@code sizeBytes} on {@code dir} (created), unmounted after the test. */
    public Path mount(Path dir, long sizeBytes) {
        Assumptions.assumeTrue(Mounts.tmpfs(dir, sizeBytes), "skipped: this process may not mount a tmpfs (needs root)");
        mounted.add(dir);
        return dir;
    }

    /** Makes a mounted {@code dir} read-only. */
    public static void readOnly(Path dir) {
        Assumptions.assumeTrue(Mounts.remountReadOnly(dir), "skipped: cannot remount read-only");
    }

    /** Gives a mounted {@code dir} {@code sizeBytes} in all, as if room had been made. */
    public static void makeRoom(Path dir, long sizeBytes) {
        Assumptions.assumeTrue(Mounts.resize(dir, sizeBytes), "skipped: cannot remount with room");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        mounted.forEach(Mounts::unmount);
        mounted.clear();
    }
}
