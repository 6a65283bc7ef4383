package dev.moodtag.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the process whose id a file's name carries still owns it: what a process killed without cleaning up left
 * (kill -9, the OOM killer, a power cut on an edge box) is recognised by the id in its name, which no running process
 * has, or which now belongs to a process started after the file was last written (a restarted container reuses its
 * pids). Only processes of this machine are known: a name from another machine sharing the folder would read as gone.
 */
public final class OwnerProcess {
    private OwnerProcess() {
    }

    /** True when no running process can own {@code entry} (not followed where it is a link), named with {@code pid}. */
    public static boolean gone(long pid, Path entry) {
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) return true;
        Optional<Instant> started = owner.get().info().startInstant();
        try {
            // Whole seconds: process start times are coarser than file times.
            return started.isPresent() && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant()
                    .isBefore(started.get().minusSeconds(1));
        } catch (IOException e) {
            return false;
        }
    }
}
