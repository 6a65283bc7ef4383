package dev.moodtag.cli;

import dev.moodtag.batch.ReportFolder;

import java.io.IOException;
import java.nio.file.Path;

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
     * holds, is a usage error: said on stderr after {@code command} ("moodtag tag: --out ..."), exit code 2.
     */
    static Integer run(String command, Path out, Work work) throws IOException, InterruptedException {
        Path reportDir;
        ReportFolder.Claim claim;
        try {
            reportDir = ReportFolder.prepare(out);
            claim = ReportFolder.claim(reportDir);
        } catch (IllegalArgumentException e) {
            System.err.println(command + ": " + e.getMessage());
            return 2;
        }
        try (claim) {
            return work.in(reportDir);
        }
    }
}
