package dev.moodtag.storage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local file's version as the file system tells versions apart, where its size and modification time cannot: its
 * inode number and status-change time (ctime) in nanoseconds, {@code <inode>:<ctime ns>}. A user sets a file's
 * modification time back ({@code touch -r}, {@code cp -p}, {@code rsync -t}), so other bytes of the same length look
 * like the old ones by size and time; ctime only the kernel sets, to now, on every change of content or metadata and on
 * a rename, and a file renamed over another brings its own inode. It moves on a change of metadata alone too (chmod,
 * chown, a hard link added or removed, the time set to itself), and a copy or restore gives every file a new inode:
 * such a file reads as another version, whose bytes then decide (a result is current when they hash to its
 * {@code source.sha256}), a read of the file where a missed change would keep a result of bytes that are gone.
 * <p>
 * Empty, and size and time alone decide as before, where the file system has no {@code unix} attribute view (not a
 * Unix) or makes its inode numbers up per mount or per cache eviction (FAT, exFAT and FUSE file systems, such as an
 * edge box's SD card): there the version would change with every remount, and every file would be tagged again. The
 * device number is not part of it either: a removable disk's changes with the order disks are attached in.
 */
public final class FileVersion {

    /** File system types ({@link FileStore#type()}) whose inode numbers do not last; {@code fuse.*} too. */
    static final Set<String> MADE_UP_INODES = Set.of("vfat", "msdos", "umsdos", "exfat", "fuse", "fuseblk");
    /**
     * How long what a device's file system was found to be is trusted: a removable disk taken out and another put in
     * may get the same device number. Looking it up reads the mount table, too slow for every file of a large inbox.
     */
    private static final long KNOWN_FOR_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Map<Long, Known> DEVICES = new ConcurrentHashMap<>();
    private static final AtomicLong UNSETTLED = new AtomicLong();
    private static final String UNSETTLED_PREFIX = "changing:";

    private record Known(boolean inodesLast, long sinceNanos) {
    }

    private FileVersion() {
    }

    /**
     * The version of {@code file}, which a stat through the confined folder found as {@code fileKey} (null: not
     * checked). The name read again by path holding another file by then, or none, makes a version no later stat gives:
     * the file is changing, and what is read of it now is another version than the one it will settle as.
     */
    public static Optional<String> of(Path file, Object fileKey, LinkOption... options) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, "unix:dev,ino,ctime,fileKey", options);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return Optional.empty();
        } catch (IOException goneSince) {
            // Gone by that name since the walk's stat: changing, where versions are given at all. The folder's file system
            // says which: a FAT card's file got a version no stat of it gives, which every later stat (none there)
            // matched as "no version known", so that a result recorded it
            return inodesLastFor(file.getParent(), options) ? Optional.of(unsettled()) : Optional.empty();
        }
        if (!inodesLast((Long) a.get("dev"), file)) return Optional.empty();
        if (fileKey != null && !fileKey.equals(a.get("fileKey"))) return Optional.of(unsettled());
        return Optional.of(a.get("ino") + ":" + ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS));
    }

    private static String unsettled() {
        return UNSETTLED_PREFIX + System.nanoTime() + ":" + UNSETTLED.incrementAndGet();
    }

    /**
     * Whether {@code version} is one {@link #of} gives a file that was changing as it was looked at: no stat gives it
     * again, so it matches nothing, and a result must not record it as the version its bytes are.
     */
    public static boolean unsettled(String version) {
        return version.startsWith(UNSETTLED_PREFIX);
    }

    /** Whether the file system {@code folder} is on gives versions that last; true where that cannot be told now. */
    private static boolean inodesLastFor(Path folder, LinkOption... options) {
        if (folder == null) return true;
        try {
            return inodesLast((Long) Files.getAttribute(folder, "unix:dev", options), folder);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true; // the folder gone too: changing, as before
        }
    }

    private static boolean inodesLast(long device, Path file) {
        long now = System.nanoTime();
        Known known = DEVICES.get(device);
        if (known != null && now - known.sinceNanos() < KNOWN_FOR_NANOS) return known.inodesLast();
        boolean last;
        try {
            last = inodesLast(Files.getFileStore(file).type());
        } catch (IOException e) {
            return true; // unknown for now: the common case, and looked up again at the next file
        }
        DEVICES.put(device, new Known(last, now));
        return last;
    }

    /**
     * Takes the file system of {@code device} to be one whose inode numbers last ({@code inodesLast}) or not, for the next
     * minute, as a look at the mount table would: for tests, which have no FAT card to put files on.
     */
    static void assume(long device, boolean inodesLast) {
        DEVICES.put(device, new Known(inodesLast, System.nanoTime()));
    }

    /** Forgets what {@link #assume} or a lookup found of {@code device}. */
    static void forget(long device) {
        DEVICES.remove(device);
    }

    /** Whether a file system of this {@link FileStore#type()} keeps a file's inode number for the file's life. */
    static boolean inodesLast(String type) {
        return !MADE_UP_INODES.contains(type) && !type.startsWith("fuse.");
    }
}
