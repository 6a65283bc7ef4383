package dev.moodtag.media;

import dev.moodtag.storage.LocalFailures;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The name a local file is shown by in messages: its own name, or, for a scratch copy of an object, the name of the
 * object it is a copy of. A copy is named after the object's safe local name ({@code a b.wav}, {@code a+b.wav} and
 * {@code a%2Bb.wav} are all copied as {@code a_b.wav}, in a scratch folder), a name and a place found in no bucket and
 * no folder of the user's; every message that names a file asks here ({@link MediaFileCheck#nameOf}), so the decoder,
 * the transcript chain and the results name what the user gave. The copier says which names stand for which copies for
 * as long as the copies exist ({@link #show}, {@link #forget}).
 */
public final class ShownNames {
    private static final Map<Path, String> COPIES = new ConcurrentHashMap<>();

    private ShownNames() {
    }

    /** Shows each local file of {@code copies} by its name there, until {@link #forget} is told of it. */
    public static void show(Map<Path, String> copies) {
        copies.forEach((local, name) -> COPIES.put(key(local), name));
    }

    /** Shows these files by their own names again (their copies are removed). */
    public static void forget(Collection<Path> copies) {
        copies.forEach(local -> COPIES.remove(key(local)));
    }

    /** The name {@code file} is shown by: what it is a copy of, or else its own file name. */
    public static String nameOf(Path file) {
        String copied = COPIES.isEmpty() ? null : COPIES.get(key(file));
        if (copied != null) return copied;
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    /**
     * Why a local file could not be read, naming it as {@link #nameOf} does: a {@link FileSystemException}'s message is
     * the file's full path (a scratch path for a copy), which says nothing to the user and names a place they never
     * gave.
     */
    public static String reasonOf(IOException e) {
        if (!(e instanceof FileSystemException f) || f.getFile() == null) return String.valueOf(e.getMessage());
        // NoSuchFileException and AccessDeniedException give no reason: their class is it ("no such file")
        String reason = f.getReason() != null ? f.getReason()
                : LocalFailures.typeInWords(e);
        return nameOf(Path.of(f.getFile())) + ": " + (reason.isBlank() ? "cannot be read" : reason);
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
