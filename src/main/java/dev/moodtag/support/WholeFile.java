package dev.moodtag.support;

import java.io.IOException;
import java.nio.file.FileSystemException;
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

    /** Why a device, FIFO or socket of the file's name is left alone. */
    public static final String NOT_REPLACED = NotARegularFile.OTHER + ": moodtag writes a new file and moves it over the "
            + "old one, which would replace it; give a file name";

    private WholeFile() {
    }

    /** Writes {@code file} through {@code content}, creating its folder; on a failure the file is left as it was. */
    public static void write(Path file, Content content) throws IOException {
        // The move replaces whatever has the name: asr-eval --out /dev/null, run as root, replaced the system's
        // /dev/null with a regular file of statistics (every later write to /dev/null then went into it).
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file))
            throw new FileSystemException(file.toString(), null, NOT_REPLACED);
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
