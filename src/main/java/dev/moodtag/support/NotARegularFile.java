package dev.moodtag.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one wording for a name that holds something other than a regular file where moodtag reads or writes one,
 * wherever it is said ("clip.txt: not a regular file (a FIFO, socket or device)", "--out /dev/null is not a regular
 * file (a FIFO, socket or device): give a file name"). The same fault was said four ways ("(a device, FIFO or socket)",
 * "(a FIFO, a device or a folder)", "(a FIFO, socket or device)" and bare). What the user must do next differs from
 * place to place and is added by the caller.
 */
public final class NotARegularFile {

    /** A FIFO, socket or device: opening one may wait for ever, reading one may never end, replacing one breaks it. */
    public static final String OTHER = "not a regular file (a FIFO, socket or device)";

    /** A folder where a file is read or written. */
    public static final String FOLDER = "a folder, where a file is expected";

    private NotARegularFile() {
    }

    /** The words for {@code path}, which is there and is no regular file (links followed). */
    public static String words(Path path) {
        return Files.isDirectory(path) ? FOLDER : OTHER;
    }

    /** The words for a name of these attributes, which are no regular file's (read without following a link). */
    public static String words(BasicFileAttributes attributes) {
        return attributes.isDirectory() ? FOLDER : OTHER;
    }
}
