package dev.moodtag.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file written under a temporary name beside it and moved over it once whole, so that a reader, a rerun or a
 * process ended part-way (a second Ctrl-C halts at once) finds the old file or the new one, never part of the new.
 */
public final class WholeFile {

    /** Writes the content to the temporary file it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    private WholeFile() {
    }

    /** Writes {@code file} through {@code content}, creating its folder; on a failure the file is left as it was. */
    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            content.writeTo(temporary);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
