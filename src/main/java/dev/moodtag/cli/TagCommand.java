package dev.moodtag.cli;

import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchReport;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.batch.BatchSources;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.batch.BatchTagger;
import dev.moodtag.function.FunctionConfig;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code moodtag tag}: batch tagging of an archive. Results go where the function writes them (beside each object),
 * in the same format; long recordings get a timeline. Ctrl-C stops starting new objects and lets those in flight
 * finish (up to {@link #GRACE_SECONDS}); a rerun skips everything that already has a result from the same model pack.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "tag", mixinStandardHelpOptions = true,
        description = "Tag every media file of folders, s3://bucket/prefix listings or .csv manifests; results beside "
                + "each file (<name>.emotion.json), an index (JSONL, CSV) and an HTML report in --out.")
public class TagCommand implements java.util.concurrent.Callable<Integer> {

    static final int GRACE_SECONDS = 120;

    @Parameters(arity = "1..*", paramLabel = "DIR|s3://bucket/prefix|manifest.csv",
            description = "What to tag. s3:// buckets must be listed in moodtag.storage.s3.buckets.")
    List<String> inputs;

    @Option(names = {"-w", "--workers"}, defaultValue = "2", description = "Objects tagged at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--out", defaultValue = "moodtag-batch",
            description = "Folder for index.jsonl, index.csv and report.html (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Redo objects that already have a result from the same model pack.")
    boolean force;

    private final BatchSources sources;
    private final BatchTagger tagger;
    private final FunctionConfig functionConfig;

    public TagCommand(BatchSources sources, BatchTagger tagger, FunctionConfig functionConfig) {
        this.sources = sources;
        this.tagger = tagger;
        this.functionConfig = functionConfig;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        List<BatchItem> items = new ArrayList<>();
        for (String input : inputs) {
            try {
                items.addAll(sources.resolve(input, functionConfig.result().suffix()));
            } catch (RuntimeException e) {
                System.err.println("moodtag tag: " + e.getMessage());
                return 2;
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (finished.getCount() == 0) return;
            stop.set(true);
            System.err.printf("%nmoodtag tag: stopping; waiting for the objects in flight (up to %d s). Run again to continue.%n",
                    GRACE_SECONDS);
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "moodtag-tag-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        BatchSummary summary;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("tag").setInitialMax(items.size())
                .setUpdateIntervalMillis(500).continuousUpdate().showSpeed().setUnit(" files", 1).build()) {
            long t0 = System.nanoTime();
            double[] mediaSeconds = {0};
            summary = tagger.tag(items, workers, force, (row, done, total) -> {
                synchronized (mediaSeconds) {
                    if (row.result() != null) mediaSeconds[0] += row.result().path("timeline").path("durationSeconds").asDouble(0);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    bar.stepTo(done);
                    bar.setExtraMessage(String.format(Locale.ROOT, "%s %s", shortName(row.object()),
                            mediaSeconds[0] > 0 ? String.format(Locale.ROOT, "(%.1fx real time)", mediaSeconds[0] / wall) : ""));
                }
            }, stop);
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: the JVM is on its way out, the results are already written
        }
        Path report = new BatchReport().write(summary, out, "moodtag tag: " + String.join(" ", inputs));
        print(o, summary, report);
        return summary.failures().isEmpty() && !summary.stopped() ? 0 : 1;
    }

    private void print(PrintStream o, BatchSummary s, Path report) {
        o.printf(Locale.ROOT, "%n%d object(s) in %.1f s%s%n", s.rows().size(), s.seconds(),
                s.stopped() ? " (stopped: run again to continue)" : "");
        o.println("outcomes: " + s.outcomes());
        o.println("labels:");
        for (Map.Entry<String, Long> e : s.labels().entrySet()) o.printf(Locale.ROOT, "  %-10s %d%n", e.getKey(), e.getValue());
        List<BatchRow> failures = s.failures();
        o.printf(Locale.ROOT, "failures: %d%n", failures.size());
        for (BatchRow r : failures) o.printf("  %s: %s: %s%n", shortName(r.object()), r.outcome(), r.reason());
        Path dir = report.getParent();
        o.printf("index: %s, %s%nreport: %s%n", dir.resolve("index.jsonl"), dir.resolve("index.csv"), report);
    }

    private static String shortName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}
