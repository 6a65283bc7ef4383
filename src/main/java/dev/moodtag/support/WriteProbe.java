package dev.moodtag.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether moodtag can write into a folder, asked by writing there: {@link Files#isWritable} says yes to root on a
 * read-only mount and looks at no ACL. The probe is a hidden file, removed at once, that folder walks pass over.
 */
public final class WriteProbe {
    private WriteProbe() {
    }

    /** Creates and removes a hidden probe file in {@code folder}, which must exist. */
    public static void into(Path folder) throws IOException {
        Files.delete(Files.createTempFile(folder, ".moodtag-probe", ".tmp"));
    }
}
