package dev.moodtag.storage;

import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Removes, when a long-running mode starts ({@code serve}, {@code watch}), the hidden {@code .part} files that a process
 * killed while writing a result left in its folders. {@code moodtag tag} removes them in the folders it walks.
 */
public final class AbandonedWrites {

    private static final Logger LOG = Logger.getLogger(AbandonedWrites.class);
    /**
     * Older than this, a {@code .part} file cannot belong to a live {@link LocalObjectStorage#writeAtomically} (which
     * renames it within milliseconds), so other processes may keep writing into the same folders meanwhile.
     */
    public static final Duration LIVE_WRITE_MARGIN = Duration.ofMinutes(1);

    private AbandonedWrites() {
    }

    /** Best effort: a folder that cannot be listed is reported, never fatal. Returns how many files were removed. */
    public static int sweep(LocalObjectStorage store, String resultSuffix) {
        try {
            int removed = store.removeAbandonedWrites(resultSuffix, LIVE_WRITE_MARGIN);
            if (removed > 0) LOG.infof("removed %d partial result file(s) that a killed earlier process left", removed);
            return removed;
        } catch (StorageException e) {
            LOG.warnf("partial result files left by a killed process not removed: %s", e.getMessage());
            return 0;
        }
    }
}
