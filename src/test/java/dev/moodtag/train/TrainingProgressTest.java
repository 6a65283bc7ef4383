package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import dev.moodtag.support.ConsoleProgress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14: a training run says which fold and grid point it is on, and that a fit started, in plain log lines. */
class TrainingProgressTest {

    @Test
    void aLogGetsOneLinePerFitFoldAndGridPointWithoutCarriageReturns() {
        FeatureTable t = Synthetic.table(6, 24, 11);
        ExperimentSettings onlyAll = Synthetic.settings(FusionMode.EARLY, ExperimentSettings.Ablation.NONE, 3,
                Synthetic.settings(FusionMode.EARLY).grid());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ConsoleProgress console = ConsoleProgress.lines("train", 0, "fits", new PrintStream(log, true, StandardCharsets.UTF_8),
                Duration.ofHours(1))) {
            new Experiment(onlyAll, new TrainingProgress(console)).run(t, new FoldScheme.GroupedKFold(3, 1));
        }
        String out = log.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), "no redrawing in a log");
        List<String> lines = out.lines().toList();
        // 3 outer folds × (6 grid points × 3 inner folds + 1 final fit) = 57 fits
        assertTrue(lines.get(lines.size() - 1).contains("57/57"), "the last line counts every fit: " + lines.get(lines.size() - 1));
        assertEquals(3 * 6 * 3, count(lines, "fitting fold \\d/3 A\\(speech\\)\\+V\\(video\\), point \\d/6 \\(C=\\S+ gamma=\\S+\\), inner split \\d/3, \\d+ rows…"),
                "every grid fit is announced before it starts, with its size:\n" + out);
        assertEquals(3 * 6, count(lines, "fold \\d/3 A\\(speech\\)\\+V\\(video\\), point \\d/6: C=\\S+ gamma=\\S+ inner UA \\d+\\.\\d %"),
                "every grid point's inner score:\n" + out);
        assertEquals(3, count(lines, "fitting fold \\d/3 A\\(speech\\)\\+V\\(video\\) on all its 96 training rows"), out);
        assertEquals(3, count(lines, "fold \\d/3 A\\(speech\\)\\+V\\(video\\) done: UA \\d+\\.\\d %, WA \\d+\\.\\d % on 48 test rows"), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches("train \\d+/57 fits \\(\\d+ %\\), elapsed \\d:\\d\\d:\\d\\d, ETA \\d:\\d\\d:\\d\\d, .*")),
                "elapsed and ETA on the lines: " + lines.get(lines.size() / 2));
    }

    @Test
    void aLongStepIsRepeatedByTheHeartbeat() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ConsoleProgress console = ConsoleProgress.lines("train", 10, "fits", new PrintStream(log, true, StandardCharsets.UTF_8),
                Duration.ofMillis(100))) {
            console.event("fitting fold 1/5 on 3,000 rows…");
            Thread.sleep(1000);
        }
        long lines = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("fitting fold 1/5 on 3,000 rows…")).count();
        assertTrue(lines >= 3, "a fit that takes long is said again while it runs, not once: " + lines + " lines");
    }

    /**
     * Distinct announcements matching {@code regex}: the library's own scheduled render may repeat the latest message
     * on a line of its own when the machine is slow (seen once, with a training run beside it), which is not a second fit.
     */
    private static long count(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.stream().map(p::matcher).filter(java.util.regex.Matcher::find).map(java.util.regex.Matcher::group)
                .distinct().count();
    }
}
