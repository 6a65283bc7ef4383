package dev.moodtag.batch;

import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.NotARegularFile;
import dev.moodtag.support.WriteProbe;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The folder {@code moodtag tag --out} writes its index and report into, checked before any object is tagged: a batch
 * of hours must not end without its index because of the folder it was told to write to. A check before start
 * ({@link #check}, {@link #checkFile}) makes nothing; the folder is made ({@link #prepare}) when the work starts.
 */
public final class ReportFolder {

    private ReportFolder() {
    }

    /**
     * The absolute, normalised folder ({@code ../reports} and {@code a/./b} are fine), created if missing and proven
     * writable by writing and removing a hidden probe file ({@link WriteProbe}). For the work itself: a check before
     * start uses {@link #check}, which makes nothing.
     *
     * @throws IllegalArgumentException naming the folder and what is wrong with it
     */
    public static Path prepare(Path out) {
        return prepare("--out", out);
    }

    /** {@link #prepare(Path)} for any option that names an output folder ({@code train --out}, {@code --export}). */
    public static Path prepare(String option, Path out) {
        Path dir = out.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new IllegalArgumentException(option + " " + out + " (" + dir + ") exists and is not a folder");
        try {
            Files.createDirectories(dir);
            WriteProbe.into(dir);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IllegalArgumentException(option + " " + out + " (" + dir + ") cannot be written: "
                    + LocalFailures.inWords(e, dir), e);
        }
        return dir;
    }

    /**
     * {@link #prepare}'s refusals, with nothing made: a folder not there yet is judged by the nearest folder above it
     * that is (probed, the probe removed). For every check before start, which {@link #prepare} made: the folders
     * checked ({@code asr-eval}'s default {@code out/asr-cache}, {@code tag}'s {@code moodtag-batch}, {@code train
     * --out}/{@code --export}, {@code combine --out}, {@code dataset --out}, {@code watch --outbox}) were left, empty,
     * when the run was then refused for another reason or stopped before it began.
     *
     * @throws IllegalArgumentException naming the option, the folder and what is wrong with it
     */
    public static void check(String option, Path out) {
        Path dir = out.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new IllegalArgumentException(option + " " + out + " (" + dir + ") exists and is not a folder");
        refuseWhatCannotBeMade(option, out, dir);
        Path there = dir;
        while (there.getParent() != null && !Files.exists(there)) there = there.getParent();
        try {
            WriteProbe.into(there);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IllegalArgumentException(option + " " + out + " (" + dir + ") cannot be written: "
                    + LocalFailures.inWords(e, there), e);
        }
    }

    /**
     * What making {@code abs} (not there yet) would meet on the way: a name too long, a link that leads nowhere, a file
     * in a folder's place, a kernel file system. A folder simply missing is the one to be made.
     */
    private static void refuseWhatCannotBeMade(String option, Path given, Path abs) {
        if (Files.exists(abs)) return;
        LocalFailures.PathFault fault = LocalFailures.faultOf(new NoSuchFileException(abs.toString()), abs);
        if (!fault.fault().missing())
            throw new IllegalArgumentException(option + " " + given + " (" + abs + ") cannot be written: " + fault.words());
    }

    /** {@link #prepareFile}'s refusals with nothing made, as {@link #check} is {@link #prepare}'s. */
    public static void checkFile(String option, Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent == null || Files.isDirectory(parent)) {
            prepareFile(option, file); // its folder is there: nothing is made
            return;
        }
        refuseWhatCannotBeMade(option, file, file.toAbsolutePath().normalize());
        check(option, parent);
    }

    /**
     * A file an option names to append to ({@code tag --publish-log}): not a folder, its folder created if missing and
     * proven writable as {@link #prepare} proves one, and the file itself writable where it exists.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Path prepareFile(String option, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs))
            throw new IllegalArgumentException(option + " " + file + " (" + abs + ") is a folder: give a file name");
        // /dev/null as a publish log passed, and the publish ended, after the tagging, in "java.io.IOException: Invalid
        // argument": the file is read back, appended to and forced, which a device, FIFO or socket does not take
        if (Files.exists(abs) && !Files.isRegularFile(abs))
            throw new IllegalArgumentException(option + " " + file + " (" + abs + ") is " + NotARegularFile.OTHER
                    + ": give a file name");
        try {
            Path parent = abs.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
                try {
                    WriteProbe.into(parent);
                } catch (IOException e) {
                    // Said by the folder probed where the file, not there yet, says only that it is missing: a
                    // read-only folder was "no such file or folder: …"
                    LocalFailures.PathFault byFile = LocalFailures.faultOf(e, abs);
                    throw new IllegalArgumentException(option + " " + file + " (" + abs + ") cannot be written: "
                            + (byFile.fault().missing() ? LocalFailures.inWords(e, parent) : byFile.words()), e);
                }
            }
            if (Files.exists(abs)) FileChannel.open(abs, StandardOpenOption.WRITE, StandardOpenOption.APPEND).close();
            // a link that leads nowhere (a loop) or a name too long was passed, and the write failed once the run had
            // done its work
            else if (Files.isSymbolicLink(abs)) abs.toRealPath();
            else if (LocalFailures.overlongName(abs).isPresent()) throw new FileSystemException(abs.toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IllegalArgumentException(option + " " + file + " (" + abs + ") cannot be written: "
                    + LocalFailures.inWords(e, abs), e);
        }
        return abs;
    }

    /**
     * The outermost folder of {@code dir}'s path that is not there yet (what {@link #prepare} would make), or empty when
     * {@code dir} is there: what a run that ends without writing anything takes away again
     * ({@link #removeIfUnused}).
     */
    public static Optional<Path> firstMissing(Path dir) {
        Path abs = dir.toAbsolutePath().normalize(), missing = null;
        for (Path p = abs; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent())
            missing = p;
        return Optional.ofNullable(missing);
    }

    /**
     * Removes {@code dir} and the folders above it up to {@code made} ({@link #firstMissing} before {@link #prepare})
     * when the run left nothing in it but its lock: {@code tag} refused after its claim (an input that cannot be
     * listed, a model pack missing, results that could go nowhere) left an empty report folder. Anything else in it
     * (an index, a publish log, a file of the user's) keeps it; a folder that cannot be removed is left as it is.
     */
    public static void removeIfUnused(Path dir, Path made) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!abs.startsWith(made)) return;
        try {
            try (var left = Files.list(abs)) {
                if (left.anyMatch(p -> !p.getFileName().toString().equals(LOCK))) return;
            }
            Files.deleteIfExists(abs.resolve(LOCK));
            for (Path p = abs; p.startsWith(made); p = p.getParent()) Files.delete(p);
        } catch (IOException e) {
            // a folder not empty (another run's file arrived) or not removable: left as it is, as before
        }
    }

    /** The file whose lock says a run writes into the folder; it stays, empty, between runs. */
    static final String LOCK = ".moodtag.lock";

    /** A run's hold on a report folder, released when the run ends. */
    public record Claim(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /**
     * Holds {@code dir} for one run. Two runs writing into one folder both tagged what neither had finished (4 files
     * of 7 twice, found by a command-line review), and whichever ended last wrote the index: the second run is refused
     * instead, before it does anything. An OS lock, so a run that dies lets go.
     *
     * @throws IllegalArgumentException when another run (this process's or another's) holds it
     */
    public static Claim claim(Path dir) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock != null) return new Claim(ch, lock);
        } catch (OverlappingFileLockException e) {
            // this process holds it already: another run in the same JVM
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IllegalArgumentException("--out " + dir + " cannot be locked for this run: "
                    + LocalFailures.inWords(e, dir.resolve(LOCK)), e);
        }
        closeQuietly(ch);
        throw new IllegalArgumentException("--out " + dir + " is being written by another moodtag run; wait for it to end "
                + "or give another --out");
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            if (ch != null) ch.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }
}
