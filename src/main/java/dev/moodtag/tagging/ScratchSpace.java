package dev.moodtag.tagging;

import dev.moodtag.storage.LocalFailures;
import dev.moodtag.storage.StorageException;
import dev.moodtag.support.OwnerProcess;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the function keeps the bounded copies of media (and of existing results) while it works on them. Every name
 * carries the owning process's id, so that what a process killed without cleaning up left behind (kill -9, the OOM
 * killer, a power cut on an edge box) is recognisable: the next moodtag process on the same folder removes the entries
 * of processes that no longer run, or whose id now belongs to a process started after the entry was written (a
 * restarted container reuses its pids). Entries of live processes, and anything not named by this class, are kept.
 */
final class ScratchSpace {

    private static final Logger LOG = Logger.getLogger(ScratchSpace.class);
    private static final Pattern OWNED = Pattern.compile("moodtag-(\\d+)-.+");

    private final Path root;
    private final String prefix;

    ScratchSpace(Path root) {
        this.root = root;
        this.prefix = "moodtag-" + ProcessHandle.current().pid() + "-";
    }

    /**
     * A new folder for the copies of {@code object} (its name as shown to the user).
     *
     * @throws StorageException why the temporary folder cannot take it (full, not writable, gone), naming the object:
     *                          never a bare I/O error
     */
    Path newFolder(String object) {
        try {
            return Files.createTempDirectory(root, prefix);
        } catch (IOException e) {
            throw LocalFailures.ofScratch(e, root, -1, object);
        }
    }

    /**
     * A new file for {@code object}'s work (what it is, as shown to the user).
     *
     * @throws StorageException as {@link #newFolder(String)}, naming the object
     */
    Path newFile(String suffix, String object) {
        try {
            return Files.createTempFile(root, prefix, suffix);
        } catch (IOException e) {
            throw LocalFailures.ofScratch(e, root, -1, object);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }

    /** Removes what dead processes left behind; returns how many entries were removed. */
    int sweep() {
        List<Path> stale;
        try (Stream<Path> entries = Files.list(root)) {
            stale = entries.filter(ScratchSpace::abandoned).toList();
        } catch (IOException e) {
            LOG.debugf("scratch folder %s not swept: %s", root, e.getMessage());
            return 0;
        }
        int removed = 0;
        for (Path p : stale) {
            if (deleteRecursively(p)) removed++;
        }
        if (removed > 0) LOG.infof("removed %d temporary entr%s left in %s by processes that no longer run", removed,
                removed == 1 ? "y" : "ies", root);
        return removed;
    }

    private static boolean abandoned(Path entry) {
        Matcher m = OWNED.matcher(entry.getFileName().toString());
        if (!m.matches()) return false;
        try {
            return OwnerProcess.gone(Long.parseLong(m.group(1)), entry);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean deleteRecursively(Path dir) {
        if (dir == null) return true;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            return true;
        } catch (IOException e) {
            LOG.warnf("could not remove temporary %s: %s", dir, e.getMessage());
            return false;
        }
    }
}
