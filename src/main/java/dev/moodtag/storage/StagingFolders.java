package dev.moodtag.storage;

import dev.moodtag.support.OwnerProcess;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hidden folders inside an output folder where a set of files ({@code tag}'s and {@code status}'s index and
 * report, {@code train --export}'s and {@code combine --out}'s classifier) is written whole before it is moved in:
 * {@code .<kind>-<pid>-<16 hex digits>}, the id of the process writing it in the name. A process killed mid-write
 * (SIGKILL, a power cut) left its folder behind for ever; the next write of the same kind into the same folder removes
 * the ones whose process no longer runs ({@link OwnerProcess}), so two runs writing into one folder at once (exports
 * hold no lock) keep each other's. Only a folder of exactly that shape that holds nothing but files is ever removed: a
 * user's file or folder that merely looks like one, or a link named like one (never followed), stays. Versions before
 * 2026-12-07 named it {@code .<kind>-<digits>} ({@link Files#createTempDirectory}'s name, no process id in it): such
 * a folder is removed once no process that can have written it runs ({@link OwnerProcess.Running#noneCanOwn}).
 *
 * <p>A staging folder is its owner's alone (rwx------) where the file system keeps POSIX permissions, whatever the
 * umask, as {@link Files#createTempDirectory} made it before: a report or a classifier being written is nobody else's
 * to read or change. The files written in it keep the permissions they are made with, which they take with them when
 * moved in (a report's files rw-r--r--, {@link LocalObjectStorage#writeAtomically}; a classifier's
 * those of any new file under the umask, as when they were written in place).
 */
public final class StagingFolders {

    private static final Logger LOG = Logger.getLogger(StagingFolders.class);
    private static final SecureRandom NAMES = new SecureRandom();

    /** The staging folder's own permissions: rwx------, masked further by the umask only. */
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private StagingFolders() {
    }

    /**
     * A new staging folder of {@code kind} ({@code report}, {@code export}) in {@code dir}, which must exist; first
     * removes those of that kind that killed processes left there.
     */
    public static Path create(Path dir, String kind) throws IOException {
        sweep(dir, kind);
        String prefix = "." + kind + "-" + ProcessHandle.current().pid() + "-";
        // Made so, not changed after: there is no moment at which another user may open it
        FileAttribute<?>[] ownerOnly = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        while (true) {
            try {
                return Files.createDirectory(dir.resolve(prefix + HexFormat.of().toHexDigits(NAMES.nextLong())), ownerOnly);
            } catch (FileAlreadyExistsException taken) {
                // one in 2^64: another name
            }
        }
    }

    /** The id of the process that named {@code name} as a staging folder of {@code kind}; empty for any other name. */
    static OptionalLong owner(String name, String kind) {
        Matcher m = Pattern.compile("\\." + Pattern.quote(kind) + "-([1-9][0-9]{0,17})-[0-9a-f]{16}").matcher(name);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * Whether {@code name} is what versions before 2026-12-07 named a staging folder of {@code kind}:
     * {@link Files#createTempDirectory}'s {@code .<kind>-} and a random long written unsigned (1 to 20 digits, no
     * leading zero, at most 2^64 - 1).
     */
    static boolean olderName(String name, String kind) {
        Matcher m = Pattern.compile("\\." + Pattern.quote(kind) + "-(0|[1-9][0-9]{0,19})").matcher(name);
        if (!m.matches()) return false;
        try {
            Long.parseUnsignedLong(m.group(1));
            return true;
        } catch (NumberFormatException pastALong) {
            return false;
        }
    }

    /**
     * Removes the staging folders of {@code kind} in {@code dir} that no running process owns; best effort (a folder
     * that cannot be listed or emptied is logged and left). Returns how many were removed.
     */
    public static int sweep(Path dir, String kind) {
        int removed = 0;
        OwnerProcess.Running running = null; // looked at once, where an older version's name is found
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                OptionalLong pid = owner(name, kind);
                boolean older = pid.isEmpty() && olderName(name, kind);
                // a link named like one is the user's, wherever it leads: never followed
                if (!(pid.isPresent() || older) || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) continue;
                if (older && running == null) running = OwnerProcess.running();
                boolean abandoned = older ? running.noneCanOwn(entry) : OwnerProcess.gone(pid.getAsLong(), entry);
                if (abandoned && remove(entry, kind)) removed++;
            }
        } catch (IOException e) {
            LOG.debugf("%s not swept for staging folders: %s", dir, e.getMessage());
        }
        if (removed > 0) LOG.infof("removed %d %s staging folder(s) that runs killed while writing left in %s", removed,
                kind, dir);
        return removed;
    }

    /**
     * Removes a staging folder and the files in it (a file cut short by a failed write, or whole ones not moved in).
     * One that holds a folder, which no write makes, is not one of moodtag's: it is left whole. True when it is gone.
     */
    public static boolean remove(Path staging, String kind) {
        try {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> left = Files.newDirectoryStream(staging)) {
                for (Path p : left) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        LOG.warnf("%s is named like a staging folder of moodtag's but holds a folder (%s), which no write "
                                + "makes: left as it is", staging, p.getFileName());
                        return false;
                    }
                    files.add(p);
                }
            }
            for (Path p : files) Files.deleteIfExists(p);
            Files.deleteIfExists(staging);
            return true;
        } catch (NoSuchFileException gone) {
            return true; // another run removed it meanwhile
        } catch (IOException e) {
            LOG.warnf("could not remove the %s staging folder %s: %s", kind, staging, LocalFailures.inWords(e, staging));
            return false;
        }
    }
}
