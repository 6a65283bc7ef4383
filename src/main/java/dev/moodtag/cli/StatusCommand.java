package dev.moodtag.cli;

import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchReport;
import dev.moodtag.batch.BatchSources;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.support.ConsoleProgress;
import dev.moodtag.support.SettingRange;
import dev.moodtag.tagging.FunctionConfig;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code moodtag status}: how far the tagging of an archive is, from the results in storage alone (whoever wrote them:
 * the function behind a Broker after {@code tag --publish}, or {@code moodtag tag}), and the same index and report as
 * {@code moodtag tag --out} once it is done or the wait is over.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Count the objects of folders, s3://bucket/prefix listings or .csv manifests that have a current "
                + "result, an error result or none yet; --wait polls until none is left; writes index.jsonl, index.csv "
                + "and report.html to --out.")
public class StatusCommand implements Callable<Integer>, BeforeStart.Check {

    /** Exit code when objects still have no result (after --timeout, or without --wait). */
    static final int NOT_DONE = 3;
    private static final int TOP_REASONS = 5;

    @Parameters(arity = "1..*", paramLabel = "DIR|s3://bucket/prefix|manifest.csv", description = "The archive, as given to tag.")
    List<String> inputs;

    @Option(names = "--wait", description = "Poll until every object has a result or --timeout passes, with a progress bar.")
    boolean waitForResults;

    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /**
     * The longest time between two looks: a week. Past it the wait looked once, at its timeout, as though it had no
     * interval; a longer one is a typo (P70D for PT70S).
     */
    static final Duration MAX_INTERVAL = Duration.ofDays(7);
    static final Duration NO_LIMIT = Duration.ofDays(100L * 365);

    @Option(names = "--timeout", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "With --wait: give up after this long, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--interval", defaultValue = "PT10S", paramLabel = "DURATION",
            description = "With --wait: time between two looks at storage, PT0.1S..P7D (default: ${DEFAULT-VALUE}); each "
                    + "look lists the archive and reads every result.")
    Duration interval;

    @Option(names = "--out", defaultValue = "moodtag-batch",
            description = "Folder for index.jsonl, index.csv and report.html (default: ${DEFAULT-VALUE}).")
    Path out;

    private final BatchSources sources;
    private final ArchiveStatus status;
    private final FunctionConfig functionConfig;

    public StatusCommand(BatchSources sources, ArchiveStatus status, FunctionConfig functionConfig) {
        this.sources = sources;
        this.status = status;
        this.functionConfig = functionConfig;
    }

    @Override
    public Optional<String> problemBeforeStart() {
        // Each look lists the archive and reads every result: a millisecond's interval read S3 without pause
        return SettingRange.atLeast("--timeout", timeout, Duration.ZERO)
                .or(() -> SettingRange.within("--interval", interval, MIN_INTERVAL, MAX_INTERVAL))
                .or(() -> TagCommand.inputsAndOut(inputs, out));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream o = System.out;
        return ClaimedReportFolder.run("moodtag status", out, reportDir -> claimed(o, reportDir));
    }

    private Integer claimed(PrintStream o, Path reportDir) throws IOException, InterruptedException {
        status.pack(); // a pack missing or malformed is said before the archive is listed (minutes for a large one)
        // The first look lists the archive and reads a result per object: minutes for a large one, during which a
        // signal was the JVM's own (exit 143, nothing said). It is stopped as tag's listing is (StopSignals.unlessStopped); status writes nothing
        // before its index, so nothing is lost.
        Optional<Optional<BatchSummary>> first;
        try (StopSignals stop = StopSignals.install(() -> { })) {
            first = stop.unlessStopped(() -> Optional.ofNullable(scan()));
        }
        if (first.isEmpty()) {
            System.err.println("moodtag status: stopped during the first look at the inputs, nothing written");
            return 1;
        }
        if (first.get().isEmpty()) return 2;
        BatchSummary summary = first.get().get();
        ArchiveStatus.Counts counts = ArchiveStatus.Counts.of(summary, TOP_REASONS);
        if (waitForResults && !counts.done()) {
            // a timeout past what nanoTime can count (about 292 years) is no limit: toNanos threw ArithmeticException
            long start = System.nanoTime(), limit = nanos(timeout), pause = nanos(interval);
            // Ctrl-C (or SIGTERM) during a wait of hours ended the JVM (exit 130/143) with the index and report not
            // written and nothing said. The first signal ends the wait: the last look is written and reported as
            // after a timeout (exit 3 while some have no result). A second signal ends the process at once.
            boolean stopped;
            try (StopSignals stop = StopSignals.install(() -> { });
                 ConsoleProgress bar = ConsoleProgress.open("results", counts.objects(), "objects")) {
                while (true) {
                    bar.stepTo(counts.current());
                    bar.message(counts.errors() + counts.refused() > 0 ? counts.errors() + counts.refused() + " error(s)" : "");
                    long elapsed = System.nanoTime() - start;
                    if (counts.done() || elapsed >= limit) break;
                    if (stop.await(Math.max(1, Math.min(pause, limit - elapsed) / 1_000_000))) break;
                    summary = scan();
                    if (summary == null) return 2;
                    counts = ArchiveStatus.Counts.of(summary, TOP_REASONS);
                    bar.total(counts.objects());
                }
                stopped = stop.getAsBoolean();
            }
            if (stopped)
                System.err.printf("%nmoodtag status: stopped waiting; the index and report are those of the last look.%n");
        }
        Path report = new BatchReport().write(summary, reportDir, "moodtag status: " + String.join(" ", inputs));
        print(o, counts, report);
        if (!counts.done()) return NOT_DONE;
        return counts.errors() == 0 && counts.refused() == 0 ? 0 : 1;
    }

    /** {@code d} in nanoseconds, saturated at a century (a longer wait is none to count). */
    static long nanos(Duration d) {
        return d.compareTo(NO_LIMIT) >= 0 ? NO_LIMIT.toNanos() : d.toNanos();
    }

    private BatchSummary scan() {
        Optional<List<BatchItem>> items = TagCommand.resolve(sources, inputs, functionConfig.result().suffix(), "status");
        return items.map(status::scan).orElse(null);
    }

    private static void print(PrintStream o, ArchiveStatus.Counts c, Path report) {
        o.printf(Locale.ROOT, "%n%d object(s): %d with a current result (%d of them errors), %s%d none yet%s%n", c.objects(),
                c.current(), c.errors(), c.refused() > 0 ? c.refused() + " that no run can give one, " : "", c.pending(),
                c.ignored() > 0 ? "; " + c.ignored() + " file(s) not tagged (not media)" : "");
        if (!c.topReasons().isEmpty()) {
            o.println("top error reasons:");
            for (Map.Entry<String, Long> e : c.topReasons().entrySet())
                o.printf(Locale.ROOT, "  %5d  %s%n", e.getValue(), TagCommand.shown(e.getKey()));
        }
        Path dir = report.getParent();
        o.printf("index: %s, %s%nreport: %s%n", dir.resolve("index.jsonl"), dir.resolve("index.csv"), report);
    }
}
