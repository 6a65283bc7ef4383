package dev.moodtag.storage;

import dev.moodtag.storage.StorageException.Kind;
import dev.moodtag.support.NotARegularFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How failures of the local file system become {@link StorageException}s. A problem that retrying cannot fix (no
 * permission, a read-only folder, an object larger than the temporary folder can ever hold) is never
 * {@link Kind#UNAVAILABLE}, and every reason names what failed rather than a generic "cannot read". The file
 * system's state (read-only, free space) decides, not the wording of the error, which depends on the locale.
 */
public final class LocalFailures {
    private LocalFailures() {
    }

    /** The longest file name Linux file systems take (NAME_MAX), in bytes. */
    public static final int MAX_NAME_BYTES = 255;

    /** Below this much free space a failed write is taken to be a full file system. */
    private static final long NEARLY_FULL_BYTES = 1L << 20;

    /** A failure to {@code verb} ("read", "write") a stored object (media, sidecar, result) at {@code where}. */
    static StorageException of(IOException e, String verb, ObjectRef ref, Path where) {
        return of(e, verb, ref.uri(), where);
    }

    /** As {@link #of(IOException, String, ObjectRef, Path)}, for {@code what} as the message names it. */
    static StorageException of(IOException e, String verb, String what, Path where) {
        if (e instanceof NoSuchFileException) return new StorageException(Kind.NOT_FOUND, what + " does not exist", e);
        String cannot = "cannot " + verb + " " + what + ": ";
        if (e instanceof NotDirectoryException) {
            // A file where a folder of the path should be: for a read there is no such object, but a write was answered
            // "does not exist" (NOT_FOUND) as if the object it was to create had to be there. Moving the file is
            // someone's decision, as for a folder in a file's way: no retry changes it.
            Optional<String> blocking = notAFolder(where);
            if (!verb.equals("write")) return new StorageException(Kind.NOT_FOUND, what + " does not exist"
                    + blocking.map(b -> ": " + b).orElse(""), e);
            return new StorageException(Kind.FAILED, cannot + blocking.orElse("a folder of its path is not a folder")
                    + ", in the way until it is moved", e);
        }
        if (e instanceof AccessDeniedException)
            return new StorageException(Kind.FAILED, cannot + "permission denied to moodtag's user", e);
        // What the folder is, not the error's (locale-dependent) words: it stays so on a retry, which was answered 503
        // for ever (and a watched inbox tagged the file again at every settle period). Names too long for any file
        // system never get here (overlongName).
        if (Files.isDirectory(where, LinkOption.NOFOLLOW_LINKS))
            return new StorageException(Kind.FAILED, cannot + "a folder of that name is in the way", e);
        Optional<FileStore> store = fileStore(where);
        boolean writing = verb.equals("write");
        if (writing && store.map(FileStore::isReadOnly).orElse(false))
            return new StorageException(Kind.FAILED, cannot + "its folder is on a read-only file system", e);
        if (writing && full(e, store))
            return new StorageException(Kind.UNAVAILABLE, cannot + "no space left on its file system ("
                    + store.map(LocalFailures::usable).orElse(0L) + " bytes free)", e);
        return new StorageException(Kind.UNAVAILABLE, cannot + e.getMessage(), e);
    }

    /**
     * The first of {@code path}'s folders (from the top) that is there and is no folder: for a message only, since the
     * file system may have changed since it said ENOTDIR. Empty when none is found (moved meanwhile).
     */
    static Optional<Path> firstNotAFolder(Path path) {
        Path p = path.toAbsolutePath().getRoot();
        for (Path name : path.toAbsolutePath()) {
            p = p.resolve(name);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            if (!Files.isDirectory(p)) return Optional.of(p); // a link to a folder is walked where links are followed
        }
        return Optional.empty();
    }

    /** "{@code <first not a folder>} is not a folder (a file)", naming what it is; empty as {@link #firstNotAFolder}. */
    private static Optional<String> notAFolder(Path path) {
        return firstNotAFolder(path).map(p -> p + " is not a folder (" + what(p) + ")");
    }

    /**
     * What is wrong with {@code path} in words, naming the path (or the part of it) at fault, for a message that a
     * person reads: a file system exception's {@code toString()} was its Java class and the bare path
     * ("java.nio.file.NoSuchFileException: /proc/x"), which names no reason. Told by what is on disk where it can be
     * (a missing folder, a file in a folder's place, a link that leads nowhere, a read-only or full file system), not by
     * the error's words, which depend on the locale; what none of these explains is said in the system's own words.
     * Never a Java class name.
     *
     * @param e    the failure of an operation on {@code path} (or on a file in it, such as a probe)
     * @param path the file or folder as the option or setting named it
     */
    public static String inWords(Exception e, Path path) {
        return faultOf(e, path).words();
    }

    /**
     * What is wrong with a path: {@link #inWords}'s words with the fault they say, for a caller whose answer depends on
     * the fault (a folder simply missing is the user's to create; anything else in the way is said). Deciding on the
     * words instead ("starts with 'no such folder: '") broke silently whenever they were reworded.
     */
    public record PathFault(Fault fault, String words) {
    }

    /** The faults {@link #inWords} tells apart. */
    public enum Fault {
        /** an element longer than {@link #MAX_NAME_BYTES} */
        NAME_TOO_LONG,
        /** a link of the path leads to nothing or into a loop of links */
        LINK_LEADS_NOWHERE,
        /** under /proc, /sys and the like, where nothing can be made */
        KERNEL_FILE_SYSTEM,
        /** a folder of the path is not there */
        NO_SUCH_FOLDER,
        /** every folder of the path is there, the last name is not */
        NO_SUCH_FILE,
        /** a folder of the path is a file, FIFO, socket or device */
        NOT_A_FOLDER,
        /** the path is a folder where a file is expected */
        A_FOLDER,
        /** the path is a FIFO, socket or device where a regular file is expected */
        NOT_A_REGULAR_FILE,
        READ_ONLY,
        PERMISSION_DENIED,
        NO_SPACE,
        /** none of these: said in the system's own words */
        OTHER;

        /** Nothing is in the way: the file, or a folder of its path, is simply not there. */
        public boolean missing() {
            return this == NO_SUCH_FOLDER || this == NO_SUCH_FILE;
        }
    }

    /** {@link #inWords}, with the fault it found. */
    public static PathFault faultOf(Exception e, Path path) {
        Optional<String> overlong = overlongName(path);
        if (overlong.isPresent()) return new PathFault(Fault.NAME_TOO_LONG, "name too long: " + overlong.get());
        Path abs = path.toAbsolutePath().normalize(), p = abs.getRoot();
        for (Path name : abs) {
            Path parent = p;
            p = p.resolve(name);
            if (Files.isSymbolicLink(p) && !Files.exists(p))
                return new PathFault(Fault.LINK_LEADS_NOWHERE, p + " is a link that leads nowhere (a loop of links, or"
                        + " to something that does not exist)");
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                // /proc/x: the parent is there and the system says "no such file" to every file or folder made there
                Optional<String> kernel = fileStore(parent).map(FileStore::type).filter(KERNEL_FILE_SYSTEMS::contains);
                if (kernel.isPresent()) return new PathFault(Fault.KERNEL_FILE_SYSTEM, parent + " is the kernel's "
                        + kernel.get() + " file system, where no file or folder can be made");
                // Making it failed for want of room or a writable file system, not for a missing folder: a cache or
                // an --out folder to be made on a read-only mount was said as "no such file or folder"
                // (a stream's write names no file: the path is the one it wrote)
                if (e instanceof IOException io && !(e instanceof NoSuchFileException) && (io instanceof FileSystemException f
                        ? f.getFile() != null && madeFor(Path.of(f.getFile()).toAbsolutePath().normalize(), p) : p.equals(abs))) {
                    Optional<FileStore> there = fileStore(parent);
                    if (there.map(FileStore::isReadOnly).orElse(false))
                        return new PathFault(Fault.READ_ONLY, parent + " is on a read-only file system");
                    if (full(io, there)) return new PathFault(Fault.NO_SPACE, "no space left on the file system of "
                            + parent + " (" + there.map(LocalFailures::usable).orElse(0L) + " bytes free)");
                }
                return p.equals(abs) ? new PathFault(Fault.NO_SUCH_FILE, "no such file or folder: " + p)
                        : new PathFault(Fault.NO_SUCH_FOLDER, "no such folder: " + p);
            }
            if (!p.equals(abs) && !Files.isDirectory(p))
                return new PathFault(Fault.NOT_A_FOLDER, "not a folder: " + p + " is " + what(p) + " in the way");
        }
        // All of it is there: what it is, or the file system it is on, says why
        if (e instanceof FileAlreadyExistsException && !Files.isDirectory(abs))
            return new PathFault(Fault.NOT_A_FOLDER, "not a folder: " + abs + " is " + what(abs) + " in the way");
        // a file's read or write on the folder itself (the stream's failure names no file: "Is a directory")
        if (Files.isDirectory(abs) && !(e instanceof AccessDeniedException) && (e instanceof FileSystemException f
                ? f.getFile() != null && Path.of(f.getFile()).toAbsolutePath().normalize().equals(abs)
                : e instanceof IOException))
            return new PathFault(Fault.A_FOLDER, abs + " is " + NotARegularFile.FOLDER);
        Optional<FileStore> store = fileStore(abs);
        if (store.map(FileStore::isReadOnly).orElse(false))
            return new PathFault(Fault.READ_ONLY, abs + " is on a read-only file system");
        if (e instanceof AccessDeniedException)
            return new PathFault(Fault.PERMISSION_DENIED, "permission denied to moodtag's user on " + abs);
        if (e instanceof IOException io && full(io, store))
            return new PathFault(Fault.NO_SPACE, "no space left on the file system of " + abs + " ("
                    + store.map(LocalFailures::usable).orElse(0L) + " bytes free)");
        return new PathFault(Fault.OTHER, systemWords(e, abs));
    }

    /**
     * Why {@code file}, to be read whole, is not a regular file that can be opened (links followed), or empty when it
     * is one: a FIFO would block the open for ever and a device never ends, so neither is opened to find out. Said as
     * {@link #inWords} says a failed read of it (a folder, a missing folder, a link that leads nowhere, a name too long),
     * and a FIFO, socket or device as {@link NotARegularFile#OTHER}.
     */
    public static Optional<PathFault> notAReadableFile(Path file) {
        if (Files.isRegularFile(file)) return Optional.empty();
        Path abs = file.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs) && overlongName(file).isEmpty())
            return Optional.of(new PathFault(Fault.NOT_A_REGULAR_FILE, abs + " is " + NotARegularFile.OTHER));
        return Optional.of(faultOf(new NoSuchFileException(abs.toString()), file));
    }

    /** Whether {@code failed} was made on the way to {@code p}: {@code p}, a path below it, or a temporary beside it. */
    private static boolean madeFor(Path failed, Path p) {
        return failed.startsWith(p) || (p.getParent() != null && p.getParent().equals(failed.getParent())
                && failed.getFileName().toString().startsWith("." + p.getFileName()));
    }

    /** The file systems the kernel serves, where nothing of moodtag's can be made. */
    private static final java.util.Set<String> KERNEL_FILE_SYSTEMS = java.util.Set.of("proc", "sysfs", "cgroup",
            "cgroup2", "debugfs", "securityfs", "configfs", "tracefs", "bpf", "pstore");

    /** "a file", "a link to a file", "a FIFO, socket or device": what {@code p} is, which is no folder. */
    private static String what(Path p) {
        if (Files.isSymbolicLink(p)) return "a link to " + (Files.isRegularFile(p) ? "a file" : "no folder");
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return "a file";
        return "a FIFO, socket or device";
    }

    /** The system's reason for {@code e}, with the file it names, or words made of its type where it gives none. */
    private static String systemWords(Exception e, Path path) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile() != null ? f.getFile() : path.toString();
            String reason = f.getReason() != null ? f.getReason() : typeInWords(e);
            return file + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason;
        }
        String message = e.getMessage();
        return path + ": " + (message == null || message.isBlank() ? typeInWords(e) : message);
    }

    /** NoSuchFileException as "no such file": the type is the reason where the exception gives no other. */
    public static String typeInWords(Exception e) {
        String words = e.getClass().getSimpleName().replace("Exception", "").replaceAll("(?<=[a-z])(?=[A-Z])", " ")
                .toLowerCase(Locale.ROOT).strip();
        // the bare IOException and FileSystemException name no failure of their own
        return words.isEmpty() || words.equals("io") || words.equals("file system") ? "input/output error" : words;
    }

    /**
     * Why no file system can hold {@code path}, if none can: an element (folder or file name) longer than
     * {@link #MAX_NAME_BYTES}. Asked of the file system, such a path fails with ENAMETOOLONG, which no retry changes.
     */
    public static Optional<String> overlongName(Path path) {
        for (Path element : path) {
            String name = element.toString();
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_NAME_BYTES)
                return Optional.of("the name " + (name.codePointCount(0, name.length()) > 40
                        ? name.substring(0, name.offsetByCodePoints(0, 40)) + "…" : name)
                        + " has " + bytes + " bytes; file systems take at most " + MAX_NAME_BYTES);
        }
        return Optional.empty();
    }

    /**
     * Refuses, before anything is written, a copy of {@code expectedBytes} into {@code folder} that cannot fit: FAILED
     * when the folder's file system is smaller than the object (retrying never helps), UNAVAILABLE when it is only
     * too full now. Unknown sizes ({@code < 0}) pass.
     */
    static void checkRoom(Path folder, long expectedBytes, String object) {
        if (expectedBytes <= 0) return;
        Optional<FileStore> store = fileStore(folder);
        if (store.isEmpty()) return;
        long total = total(store.get()), usable = usable(store.get());
        if (total > 0 && expectedBytes > total) throw tooSmall(object + " not copied: ", folder, expectedBytes, total, null);
        if (expectedBytes > usable) throw full(object + " not copied: ", folder, expectedBytes, usable, total, null);
    }

    /** A failure creating or writing a temporary copy in {@code folder} of an object of {@code expectedBytes} (-1: unknown). */
    public static StorageException ofScratch(IOException e, Path folder, long expectedBytes) {
        return ofScratch(e, folder, expectedBytes, null);
    }

    /**
     * As {@link #ofScratch(IOException, Path, long)}, the copy being one of {@code object} (its name as the user gave
     * it, null where there is none): the folder alone named the place but not what was left untagged, and a
     * removed folder was said as the bare path of the copy that could not be made. Transient, as every other state of
     * the folder but one too small for the object: it is the deployment's, not the object's, and once the folder is
     * back (or has room) the same object is copied.
     */
    public static StorageException ofScratch(IOException e, Path folder, long expectedBytes, String object) {
        String notCopied = object == null ? "" : object + " not copied: ";
        Optional<FileStore> store = fileStore(folder);
        long total = store.map(LocalFailures::total).orElse(0L), usable = store.map(LocalFailures::usable).orElse(0L);
        if (expectedBytes > 0 && total > 0 && expectedBytes > total) return tooSmall(notCopied, folder, expectedBytes, total, e);
        if (e instanceof AccessDeniedException || store.map(FileStore::isReadOnly).orElse(false))
            // The deployment's problem, not the object's: like a model pack that failed to load, the event waits.
            return new StorageException(Kind.UNAVAILABLE, notCopied + "temporary folder " + folder + " is not writable ("
                    + e.getMessage() + "): fix moodtag.storage.temp-dir", e);
        if (!Files.exists(folder))
            return new StorageException(Kind.UNAVAILABLE, notCopied + "temporary folder " + folder + " does not exist "
                    + "(removed while moodtag runs?): create it, or fix moodtag.storage.temp-dir", e);
        if (!Files.isDirectory(folder))
            return new StorageException(Kind.UNAVAILABLE, notCopied + "temporary folder " + folder + " is not a folder "
                    + "(a file is in its place): move that file, or fix moodtag.storage.temp-dir", e);
        if (full(e, store)) return full(notCopied, folder, expectedBytes, usable, total, e);
        return new StorageException(Kind.UNAVAILABLE, notCopied + "cannot write the temporary copy in " + folder + ": "
                + e.getMessage(), e);
    }

    private static StorageException tooSmall(String notCopied, Path folder, long expected, long total, IOException cause) {
        return new StorageException(Kind.FAILED, notCopied + "the object has " + expected + " bytes, more than the temporary folder "
                + folder + " can ever hold (" + total + " bytes in all): give moodtag.storage.temp-dir more room or lower"
                + " moodtag.function.filter.max-object-bytes", cause);
    }

    private static StorageException full(String notCopied, Path folder, long expected, long usable, long total,
                                         IOException cause) {
        return new StorageException(Kind.UNAVAILABLE, notCopied + "temporary folder " + folder + " is full (" + usable + " of "
                + total + " bytes free" + (expected > 0 ? ", the object needs " + expected : "")
                + "): other copies in progress or files left there take the room", cause);
    }

    private static boolean full(IOException e, Optional<FileStore> store) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("no space left") || m.contains("quota") || store.map(s -> usable(s) < NEARLY_FULL_BYTES).orElse(false);
    }

    /** The file store of {@code p}, or of its nearest existing ancestor. */
    private static Optional<FileStore> fileStore(Path p) {
        for (Path q = p.toAbsolutePath(); q != null; q = q.getParent()) {
            try {
                return Optional.of(Files.getFileStore(q));
            } catch (IOException notThere) {
                // try the folder above
            }
        }
        return Optional.empty();
    }

    private static long usable(FileStore s) {
        try {
            return s.getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long total(FileStore s) {
        try {
            return s.getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }
}
