package dev.moodtag.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
            return started.isPresent() && writtenBefore(Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
                    .toInstant(), started.get());
        } catch (IOException e) {
            return false;
        }
    }

    // Whole seconds: process start times are coarser than file times.
    private static boolean writtenBefore(Instant written, Instant started) {
        return written.isBefore(started.minusSeconds(1));
    }

    /**
     * The processes running now, as {@link #noneCanOwn} looks at them: taken once for all the entries of a folder, each
     * process's user and start read once (a folder of many entries would otherwise read every process's for each).
     */
    public static Running running() {
        return new Running(ProcessHandle.allProcesses().map(ProcessHandle::info)
                .map(i -> new Running.Process(i.user(), i.startInstant())).toList());
    }

    /** A look at the running processes ({@link #running}). */
    public static final class Running {
        private record Process(Optional<String> user, Optional<Instant> started) {
        }

        private final List<Process> processes;

        private Running(List<Process> processes) {
            this.processes = processes;
        }

        /**
         * True when no running process can own {@code entry} (not followed where it is a link), whose name carries no
         * process id (what older versions named it): the rule of {@link #gone} over every process that can have written
         * it. Its writer ran as the entry's owner and started before it last wrote it, so while any process of that user
         * started before then still runs, it may be the writer; one whose user or start cannot be read may be too.
         */
        public boolean noneCanOwn(Path entry) {
            Instant written;
            String owner;
            try {
                written = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant();
                owner = Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).getName();
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
            return processes.stream().noneMatch(p -> p.user().map(owner::equals).orElse(true)
                    && p.started().map(s -> !writtenBefore(written, s)).orElse(true));
        }
    }
}
