package dev.moodtag.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder {@code moodtag tag --out} writes its index and report into, checked before any object is tagged: a batch
 * of hours must not end without its index because of the folder it was told to write to.
 */
public final class ReportFolder {

    private ReportFolder() {
    }

    /**
     * The absolute, normalised folder ({@code ../reports} and {@code a/./b} are fine), created if missing and proven
     * writable by writing and removing a hidden probe file ({@link Files#isWritable} says yes to root on a read-only
     * mount).
     *
     * @throws IllegalArgumentException naming the folder and what is wrong with it
     */
    public static Path prepare(Path out) {
        Path dir = out.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new IllegalArgumentException("--out " + out + " (" + dir + ") exists and is not a folder");
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".moodtag-probe", ".tmp"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IllegalArgumentException("--out " + out + " (" + dir + ") cannot be written: " + e, e);
        }
        return dir;
    }
}
