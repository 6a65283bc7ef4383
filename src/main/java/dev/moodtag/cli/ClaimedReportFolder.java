package dev.moodtag.cli;

import dev.moodtag.batch.ReportFolder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a command that writes an index and report into {@code --out} ({@code tag}, {@code status}) starts: the folder is
 * prepared and claimed before any work, because a run of hours must not end without its index for want of a writable
 * folder, nor share the folder with another run.
 */
final class ClaimedReportFolder {

    private ClaimedReportFolder() {
    }

    /** The command's work once it holds its report folder. */
    @FunctionalInterface
    interface Work {
        Integer in(Path reportDir) throws IOException, InterruptedException;
    }

    /**
     * Runs {@code work} in the prepared folder, released when it returns; an unusable folder, or one another run
     * holds, is a usage error: said on stderr after {@code command} ("moodtag tag: --out ..."), exit code 2. A folder
     * this run made and left with nothing in it (refused or stopped before it wrote anything) is taken away again.
     */
    static Integer run(String command, Path out, Work work) throws IOException, InterruptedException {
        Path reportDir;
        ReportFolder.Claim claim;
        Optional<Path> made = ReportFolder.firstMissing(out);
        try {
            reportDir = ReportFolder.prepare(out);
            claim = ReportFolder.claim(reportDir);
        } catch (IllegalArgumentException e) {
            System.err.println(command + ": " + e.getMessage());
            return 2;
        }
        try (claim) {
            try {
                return work.in(reportDir);
            } finally {
                // still held, so no other run can have started writing into it
                made.ifPresent(m -> ReportFolder.removeIfUnused(reportDir, m));
            }
        }
    }
}
