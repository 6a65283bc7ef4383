package dev.moodtag.storage;

import dev.moodtag.storage.StorageException.Kind;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens, relative to its open folder, a file that was just found to be a regular file, and makes sure that what was
 * opened is that file. Between the check and the open the name can be given to something else; a FIFO put there made
 * the open wait for a writer, forever (the batch's worker, the function's slot), and anything else would have been
 * read as the media. Java cannot open with O_NONBLOCK or fstat an open channel, so: an open that has not returned
 * after {@link #RELEASE_AFTER_MS} while the name is a FIFO is released by opening that FIFO read-write (which never
 * waits) and closing it; and what was opened is checked by the channel itself (a FIFO or socket cannot seek) and by
 * the name, which must still be a regular file with the file key (device and inode) that was checked.
 */
final class RegularFileOpen {

    /** Opening a regular file takes microseconds; only an open that waits is looked at. */
    static final long RELEASE_AFTER_MS = 200;
    /** The POSIX file type bits of {@code unix:mode}, and a FIFO's. */
    private static final int S_IFMT = 0170000, S_IFIFO = 0010000;

    private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "moodtag-open-watch");
        t.setDaemon(true);
        return t;
    });

    private RegularFileOpen() {
    }

    /**
     * @param path    the file's path as configured, to tell a FIFO from a device before releasing it (never opened)
     * @param checked the attributes of {@code name} that found it a regular file
     * @throws StorageException NOT_FOUND when something other than a regular file was opened in its place; UNAVAILABLE
     *                          when another regular file took its name meanwhile (a new version: a retry reads it)
     */
    static SeekableByteChannel forReading(SecureDirectoryStream<Path> folder, Path name, Path path, BasicFileAttributes checked,
                                          ObjectRef ref) throws IOException {
        SeekableByteChannel in = released(folder, name, path,
                () -> folder.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
        BasicFileAttributes now = null;
        boolean seekable;
        try {
            in.position(); // lseek: ESPIPE on a FIFO or socket, whatever the name holds by now
            seekable = true;
            now = ConfinedRoot.attributes(folder, name);
        } catch (IOException e) {
            seekable = false;
        }
        if (seekable && now != null && now.isRegularFile() && Objects.equals(now.fileKey(), checked.fileKey())) return in;
        in.close();
        if (seekable && now != null && now.isRegularFile())
            throw new StorageException(Kind.UNAVAILABLE, ref.uri() + " was replaced by another file while it was opened");
        throw new StorageException(Kind.NOT_FOUND, ref.uri() + " is not a regular file (something else took its name while"
                + " it was opened)");
    }

    /** An open of a name in an open folder. */
    @FunctionalInterface
    interface Open<T> {
        T open() throws IOException;
    }

    /**
     * Runs {@code open} (of {@code name} in {@code folder}), releasing it if it waits on a FIFO put at that name. Folders
     * are opened this way too: Java opens a folder below an open one without O_DIRECTORY, so a FIFO where a key has a
     * folder (an event for {@code pipe/x.wav}) made the open wait forever; released, it is refused as no folder.
     */
    static <T> T released(SecureDirectoryStream<Path> folder, Path name, Path path, Open<T> open) throws IOException {
        ScheduledFuture<?> watch = WATCH.scheduleWithFixedDelay(() -> releaseFifo(folder, name, path), RELEASE_AFTER_MS,
                RELEASE_AFTER_MS, TimeUnit.MILLISECONDS);
        try {
            return open.open();
        } finally {
            watch.cancel(false);
        }
    }

    /** Lets an open waiting on a FIFO at {@code name} return: a FIFO opened read-write has a writer, at once. */
    private static void releaseFifo(SecureDirectoryStream<Path> folder, Path name, Path path) {
        try {
            // Only a FIFO: a device opened to write can act (a watchdog's, a tape's); the type is asked by path, as the
            // open folder gives no mode, and the open below is still relative to the folder and refuses a link.
            if (!ConfinedRoot.attributes(folder, name).isOther()) return;
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (!(mode instanceof Integer m) || (m & S_IFMT) != S_IFIFO) return;
            folder.newByteChannel(name, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)).close();
        } catch (IOException | RuntimeException e) {
            // gone, replaced or not ours to write: the open goes on waiting, and the next look tries again
        }
    }
}
