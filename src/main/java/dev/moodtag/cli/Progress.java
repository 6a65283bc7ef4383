package dev.moodtag.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** The progress bar of the long-running commands (tag, publish, status --wait): one look, one update rate. */
final class Progress {
    private Progress() {
    }

    static ProgressBar bar(String task, long max, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUpdateIntervalMillis(500)
                .continuousUpdate().showSpeed().setUnit(unit, 1).build();
    }
}
