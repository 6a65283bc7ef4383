package dev.moodtag.cli;

import dev.moodtag.support.ConsoleProgress;
import dev.moodtag.support.S3Uri;
import dev.moodtag.tagging.FunctionConfig;

import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchReport;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.batch.BatchSources;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.batch.BatchTagger;
import dev.moodtag.batch.ReportFolder;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code moodtag tag}: batch tagging of an archive. Results go where the function writes them (beside each object),
 * in the same format; long recordings get a timeline. Ctrl-C (or SIGTERM) stops starting new objects and lets those
 * in flight finish; a rerun skips everything that already has a result from the same model pack.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "tag", mixinStandardHelpOptions = true,
        description = "Tag every media file of folders, s3://bucket/prefix listings or .csv manifests; results beside "
                + "each file (<name>.emotion.json), an index (JSONL, CSV) and an HTML report in --out.")
public class TagCommand implements java.util.concurrent.Callable<Integer>, BeforeStart.Check {

    @Parameters(arity = "1..*", paramLabel = "DIR|s3://bucket/prefix|manifest.csv",
            description = "What to tag. s3:// buckets must be listed in moodtag.storage.s3.buckets.")
    List<String> inputs;

    @Option(names = {"-w", "--workers"}, defaultValue = "2", description = "Objects tagged at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--out", defaultValue = "moodtag-batch",
            description = "Folder for index.jsonl, index.csv and report.html (default: ${DEFAULT-VALUE}); checked "
                    + "before anything is tagged.")
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

    /** A local input that is not there, or an unusable --out, is known before any model loads. */
    @Override
    public Optional<String> problemBeforeStart() {
        for (String input : inputs) {
            if (S3Uri.is(input)) continue;
            try {
                if (!Files.exists(Path.of(input)))
                    return Optional.of(input + " does not exist (" + Path.of(input).toAbsolutePath().normalize() + ")");
            } catch (InvalidPathException e) {
                return Optional.of(input + " is not a path: " + e.getMessage());
            }
        }
        try {
            ReportFolder.prepare(out);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        Path reportDir;
        try {
            // Before any work: a batch of hours must not end without its index because of --out.
            reportDir = ReportFolder.prepare(out);
        } catch (IllegalArgumentException e) {
            System.err.println("moodtag tag: " + e.getMessage());
            return 2;
        }
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
        List<Signal> handled = new ArrayList<>();
        Map<Signal, SignalHandler> before = new java.util.HashMap<>();
        // Quarkus turns SIGINT/SIGTERM into a request to exit once the command returns, which would let the whole
        // archive run on. The first signal stops the batch instead: objects in flight finish and are written, the rest
        // are left for the next run. A second signal ends the process at once (written results are complete anyway).
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                before.put(signal, Signal.handle(signal, sig -> {
                    if (stop.getAndSet(true)) Runtime.getRuntime().halt(128 + sig.getNumber());
                    System.err.printf("%nmoodtag tag: stopping after the objects in flight (signal again to quit now); "
                            + "run the same command again to continue.%n");
                }));
                handled.add(signal);
            } catch (IllegalArgumentException unsupported) {
                // no such signal on this platform
            }
        }
        BatchSummary summary;
        try (ConsoleProgress bar = ConsoleProgress.open("tag", items.size(), "files")) {
            long t0 = System.nanoTime();
            double[] mediaSeconds = {0};
            summary = tagger.tag(items, workers, force, (row, done, total) -> {
                synchronized (mediaSeconds) {
                    if (row.result() != null) mediaSeconds[0] += row.result().path("timeline").path("durationSeconds").asDouble(0);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    bar.stepTo(done);
                    bar.message(String.format(Locale.ROOT, "%s %s", shortName(row.object()),
                            mediaSeconds[0] > 0 ? String.format(Locale.ROOT, "(%.1fx real time)", mediaSeconds[0] / wall) : ""));
                }
            }, stop);
        } finally {
            for (Signal signal : handled) Signal.handle(signal, before.get(signal));
        }
        Path report = new BatchReport().write(summary, reportDir, "moodtag tag: " + String.join(" ", inputs));
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
        List<BatchRow> ignored = s.ignored();
        if (!ignored.isEmpty()) {
            o.printf(Locale.ROOT, "ignored (not media or filtered out; not failures): %d%n", ignored.size());
            for (BatchRow r : ignored) o.printf("  %s: %s%n", shortName(r.object()), r.reason());
        }
        long notRun = s.rows().stream().filter(r -> r.outcome().equals("not-run")).count();
        if (notRun > 0) o.printf(Locale.ROOT, "not run (stopped): %d; run the same command again to continue%n", notRun);
        Path dir = report.getParent();
        o.printf("index: %s, %s%nreport: %s%n", dir.resolve("index.jsonl"), dir.resolve("index.csv"), report);
    }

    private static String shortName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}
