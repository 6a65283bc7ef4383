package dev.moodtag.cli;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.ConsoleProgress;
import dev.moodtag.support.S3Uri;
import dev.moodtag.support.SettingRange;
import dev.moodtag.tagging.FunctionConfig;
import dev.moodtag.tagging.ResultLocator;

import dev.moodtag.batch.BatchConfig;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchReport;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.batch.BatchSources;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.batch.BatchTagger;
import dev.moodtag.batch.ReportFolder;
import dev.moodtag.function.LogLineEscaper;
import dev.moodtag.publish.ArchivePublisher;
import dev.moodtag.publish.PublishJournal;
import dev.moodtag.publish.PublishRecord;
import dev.moodtag.publish.PublishState;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
public class TagCommand implements Callable<Integer>, BeforeStart.Check {

    @Parameters(arity = "1..*", paramLabel = "DIR|s3://bucket/prefix|manifest.csv",
            description = "What to tag. s3:// buckets must be listed in moodtag.storage.s3.buckets.")
    List<String> inputs;

    /**
     * More workers than this is a typo, not a machine: each worker decodes one object whole and runs every encoder on
     * it (its audio, sampled frames and encoder buffers held at once), so past the cores more workers only hold more
     * objects in memory; the same bound as moodtag train's thread counts ({@code TrainThreads}).
     */
    static final int MAX_WORKERS = 256;

    @Option(names = {"-w", "--workers"}, defaultValue = "2",
            description = "Objects tagged at once, 1.." + MAX_WORKERS + " (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--out", defaultValue = "moodtag-batch",
            description = "Folder for index.jsonl, index.csv and report.html (default: ${DEFAULT-VALUE}); checked "
                    + "before anything is tagged.")
    Path out;

    @Option(names = "--force", description = "Redo objects that already have a result from the same model pack, and"
            + " replace a result a newer moodtag wrote (a result version above 2), which is otherwise left as it is.")
    boolean force;

    @Option(names = "--speech-over-batch",
            description = "Label the batch's single clips again with their speech standardised over the clips tagged in "
                    + "this run, when the classifier has a part trained that way and the guard lets the first pass's "
                    + "labels through (moodtag.batch.speech-over-batch=auto does it on every run): a clip's label then "
                    + "depends on what else is in the batch. Clips skipped for an existing result do not count (--force "
                    + "redoes them).")
    boolean speechOverBatch;

    @Option(names = "--self-train",
            description = "With --speech-over-batch: when the batch was standardised over itself and has at least "
                    + "moodtag.batch.self-train-min-clips clips (default 300), train the classifier's recording part "
                    + "again with the batch's most confident clips added under their labels, and label every clip with "
                    + "it (moodtag.batch.self-train=auto does it on every run). Takes tens of seconds; needs a "
                    + "classifier whose recording part ships its training rows.")
    boolean selfTrain;

    @Option(names = "--publish", paramLabel = "URL",
            description = "Do not tag here: send one CloudEvent per object that has no current result to URL (a Knative "
                    + "Broker's ingress, or any CloudEvents sink) and log each in --publish-log; `moodtag status` follows "
                    + "the results.")
    URI publish;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "With --publish: events started per second at most (default: moodtag.publish.rate, 20).")
    Double rate;

    @Option(names = "--max-in-flight", paramLabel = "N",
            description = "With --publish: events sent and not yet answered, at most, 1 to 1000 (default: moodtag.publish.max-in-flight, 8).")
    Integer maxInFlight;

    @Option(names = "--publish-log", paramLabel = "FILE",
            description = "With --publish: the JSONL log of what was published (default: publish-log.jsonl in --out); a "
                    + "later publish does not resend what it lists as acknowledged.")
    Path publishLog;

    @Option(names = "--resend-acknowledged",
            description = "With --publish: also send objects an earlier publish had acknowledged that still have no "
                    + "result (dead-lettered ones).")
    boolean resendAcknowledged;

    private final BatchSources sources;
    private final BatchTagger tagger;
    private final ArchivePublisher publisher;
    private final FunctionConfig functionConfig;
    private final BatchConfig batchConfig;
    private final ResultLocator results;

    public TagCommand(BatchSources sources, BatchTagger tagger, ArchivePublisher publisher, FunctionConfig functionConfig,
                      BatchConfig batchConfig, ResultLocator results) {
        this.sources = sources;
        this.results = results;
        this.batchConfig = batchConfig;
        this.tagger = tagger;
        this.publisher = publisher;
        this.functionConfig = functionConfig;
    }

    /** A local input that is not there, or an unusable --out, is known before any model loads. */
    @Override
    public Optional<String> problemBeforeStart() {
        // --workers 0 or -1 was taken as 1 without a word (the pool's Math.max), so a typo ran the whole archive on
        // one worker; 100000 started a worker per object up to the count, each holding a decoded object at once
        Optional<String> outOfRange = SettingRange.within("--workers", workers, 1, MAX_WORKERS);
        if (outOfRange.isPresent()) return outOfRange;
        // Known from the command line: they were refused only once the archive was listed
        if (publish != null) {
            outOfRange = ArchivePublisher.optionProblem(Optional.ofNullable(rate), Optional.ofNullable(maxInFlight));
            if (outOfRange.isPresent()) return outOfRange;
        }
        if (publish != null && !(("http".equalsIgnoreCase(publish.getScheme()) || "https".equalsIgnoreCase(publish.getScheme()))
                && publish.getHost() != null))
            return Optional.of("--publish " + publish + " is not an http(s) URL of a CloudEvents sink");
        Optional<String> wrong = inputsAndOut(inputs, out);
        if (wrong.isPresent() || publish == null || publishLog == null) return wrong;
        // Checked as --out is: it was opened only once the archive was listed, and a log that could not be written
        // ended the publish in a stack trace (exit 1). Its folder is made when the log is opened.
        try {
            ReportFolder.checkFile("--publish-log", publishLog);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (publish == null && (rate != null || maxInFlight != null || publishLog != null || resendAcknowledged)) {
            System.err.println("moodtag tag: --rate, --max-in-flight, --publish-log and --resend-acknowledged go with --publish");
            return 2;
        }
        if (publish != null && force) {
            // The function decides skip-if-done when the event arrives; a published event carries no force.
            System.err.println("moodtag tag: --force does not go with --publish (delete the results to redo them)");
            return 2;
        }
        if (publish != null && speechOverBatch) {
            // Each published object is tagged alone by the function: there is no batch to read its speech over.
            System.err.println("moodtag tag: --speech-over-batch does not go with --publish (each object is tagged alone)");
            return 2;
        }
        if (selfTrain && (publish != null || !speechOverBatch
                && batchConfig.speechOverBatch() != BatchConfig.SpeechOverBatch.AUTO)) {
            // Self-training retrains the part a batch's second pass labels with: no second pass, nothing to retrain.
            System.err.println("moodtag tag: --self-train goes with --speech-over-batch (or "
                    + "moodtag.batch.speech-over-batch=auto), not with --publish");
            return 2;
        }
        PrintStream o = System.out;
        return ClaimedReportFolder.run("moodtag tag", out, reportDir -> claimed(o, reportDir));
    }

    private Integer claimed(PrintStream o, Path reportDir) throws IOException, InterruptedException {
        // The first signal stops the batch: objects in flight finish and are written, the rest are left for the next
        // run (written results are complete anyway, so a second signal may end the process at once). A publish cancels
        // its events in flight instead: a sink may take minutes to answer, and a rerun sends them again with the same id.
        // Installed before the inputs are listed (minutes for a large folder or an S3 prefix, where a signal was the
        // JVM's own: exit 143, nothing said) and before the models load, which take seconds.
        String stopping = publish != null ? "stopping: events in flight are cancelled and left to the next publish"
                : "stopping after the objects in flight, or the second pass over the batch at its next result";
        AtomicBoolean listed = new AtomicBoolean();
        try (StopSignals stop = StopSignals.install(() -> {
            if (listed.get()) System.err.printf("%nmoodtag tag: " + stopping
                    + " (signal again to quit now); the summary says how to continue.%n");
        })) {
            // The pack's manifest read and its files looked up, no model read (milliseconds): a pack missing or
            // malformed was said only after the inputs were listed. Its checksums are verified where the models load.
            results.identity();
            Optional<Optional<List<BatchItem>>> resolved = stop.unlessStopped(
                    () -> resolve(sources, inputs, functionConfig.result().suffix(), "tag"));
            if (resolved.isEmpty()) {
                System.err.println("moodtag tag: stopped while listing the inputs, nothing tagged");
                return 1;
            }
            listed.set(true);
            if (resolved.get().isEmpty()) return 2;
            List<BatchItem> items = resolved.get().get();
            // Before anything of the model pack is loaded: a run whose results could go nowhere was told so only after
            // the pack was verified, the classifier read and every encoder's ONNX session made (seconds).
            Optional<String> unwritable = publish == null ? BatchTagger.noResultCanBeWritten(items, functionConfig)
                    : Optional.empty();
            if (unwritable.isPresent()) { // refused as an input is (exit code 2), before any object is decoded
                System.err.println("moodtag tag: " + shown(unwritable.get()));
                return 2;
            }
            if (publish == null) tagger.loadModels(); // a pack that does not load: one line (MoodtagMain), before any file
            return publish != null ? publish(o, items, reportDir, stop.flag()) : tag(o, items, reportDir, stop.flag());
        }
    }

    private int tag(PrintStream o, List<BatchItem> items, Path reportDir, AtomicBoolean stop) throws IOException {
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
            }, stop, speechOverBatch ? BatchConfig.SpeechOverBatch.AUTO : batchConfig.speechOverBatch(),
                    selfTrain ? BatchConfig.SelfTrain.AUTO : batchConfig.selfTrain());
        }
        Path report = new BatchReport().write(summary, reportDir, "moodtag tag: " + String.join(" ", inputs));
        print(o, summary, report);
        return summary.failures().isEmpty() && !summary.stopped() ? 0 : 1;
    }

    /** The fan-out: nothing is tagged here; exit 0 when every object was published or skipped. */
    private int publish(PrintStream o, List<BatchItem> items, Path reportDir, AtomicBoolean stop) throws IOException {
        Path log = publishLog != null ? publishLog : reportDir.resolve("publish-log.jsonl");
        List<PublishRecord> records;
        try (PublishJournal journal = PublishJournal.open(log);
             ConsoleProgress bar = ConsoleProgress.open("publish", items.size(), "objects")) {
            records = publisher.publish(items, new ArchivePublisher.Options(publish, Optional.ofNullable(rate),
                    Optional.ofNullable(maxInFlight), resendAcknowledged), journal, (r, done, total) -> {
                synchronized (bar) {
                    bar.stepTo(done);
                    bar.message(shortName(r.object()) + " " + r.state().label());
                }
            }, stop);
        } catch (SettingOutOfRange e) {
            throw e; // a setting, not an option: exit code 1 like every start refusal (MoodtagMain)
        } catch (IllegalArgumentException e) {
            System.err.println("moodtag tag: " + e.getMessage());
            return 2;
        }
        Map<PublishState, List<PublishRecord>> byState = new java.util.EnumMap<>(PublishState.class);
        for (PublishState s : PublishState.values()) byState.put(s, new ArrayList<>());
        records.forEach(r -> byState.get(r.state()).add(r));
        o.printf(Locale.ROOT, "%n%d object(s) to %s: %d published, %d skipped, %d failed to publish%s%n", records.size(),
                publish, byState.get(PublishState.PUBLISHED).size(), byState.get(PublishState.SKIPPED).size(),
                byState.get(PublishState.FAILED).size(), stop.get() ? " (stopped: run again to continue)" : "");
        for (PublishState s : PublishState.values()) {
            for (PublishRecord r : byState.get(s))
                o.printf("  %s %s%s%n", s.label(), shown(r.object()), r.reason() == null ? "" : ": " + shown(r.reason()));
        }
        o.printf("publish log: %s%nprogress and report: moodtag status %s --wait --out %s%n", log.toAbsolutePath(),
                String.join(" ", inputs), reportDir);
        return byState.get(PublishState.FAILED).isEmpty() && !stop.get() ? 0 : 1;
    }

    private void print(PrintStream o, BatchSummary s, Path report) {
        o.printf(Locale.ROOT, "%n%d object(s) in %.1f s%s%n", s.rows().size(), s.seconds(),
                s.stopped() ? " (stopped: " + s.toContinue() + ")" : "");
        o.println("outcomes: " + s.outcomes());
        o.println("labels:");
        for (Map.Entry<String, Long> e : s.labels().entrySet()) o.printf(Locale.ROOT, "  %-10s %d%n", e.getKey(), e.getValue());
        if (s.speech() != null) o.println("speech over the batch: " + s.speech().line());
        List<BatchRow> failures = s.failures();
        o.printf(Locale.ROOT, "failures: %d%n", failures.size());
        for (BatchRow r : failures) o.printf("  %s: %s: %s%n", shown(shortName(r.object())), r.outcome(), shown(r.reason()));
        List<BatchRow> ignored = s.ignored();
        if (!ignored.isEmpty()) {
            o.printf(Locale.ROOT, "ignored (not media or filtered out; not failures): %d%n", ignored.size());
            for (BatchRow r : ignored) o.printf("  %s: %s%n", shown(shortName(r.object())), shown(r.reason()));
        }
        long notRun = s.rows().stream().filter(BatchRow::notRun).count();
        if (notRun > 0) o.printf(Locale.ROOT, "not run (stopped): %d; run the same command again to continue%n", notRun);
        Path dir = report.getParent();
        o.printf("index: %s, %s%nreport: %s%n", dir.resolve("index.jsonl"), dir.resolve("index.csv"), report);
    }

    /**
     * What is wrong with the inputs or the report folder of a command that lists an archive (tag, status); the folder
     * is made when the run claims it ({@link ClaimedReportFolder}), not here.
     */
    static Optional<String> inputsAndOut(List<String> inputs, Path out) {
        Optional<String> missing = missingInput(inputs);
        if (missing.isPresent()) return missing;
        try {
            ReportFolder.check("--out", out);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    /** The first local input that is not there, said so; s3:// inputs are listed later, once storage is set up. */
    private static Optional<String> missingInput(List<String> inputs) {
        for (String input : inputs) {
            if (S3Uri.is(input)) continue;
            try {
                Optional<String> missing = BeforeStart.missing(Path.of(input));
                if (missing.isPresent()) return missing;
            } catch (InvalidPathException e) {
                return Optional.of(input + " is not a path: " + e.getMessage() + dev.moodtag.storage.LocalObjectStorage.localeHint());
            }
        }
        return Optional.empty();
    }

    /**
     * Every object of the inputs once, in order; an input that cannot be listed is said so and ends the command (2).
     * An object reached by two inputs (a folder given twice, a folder and a file in it) counts once: it was tagged
     * twice and counted twice in status and reports.
     */
    static Optional<List<BatchItem>> resolve(BatchSources sources, List<String> inputs, String resultSuffix, String command) {
        Map<String, BatchItem> items = new LinkedHashMap<>();
        int again = 0;
        for (String input : inputs) {
            try {
                for (BatchItem item : sources.resolve(input, resultSuffix))
                    if (items.putIfAbsent(item.ref().uri(), item) != null) again++;
            } catch (RuntimeException e) {
                System.err.println("moodtag " + command + ": " + shown(e.getMessage())); // a manifest row's text
                return Optional.empty();
            }
        }
        if (again > 0) System.err.printf("moodtag %s: %,d object(s) named by more than one input, taken once%n", command, again);
        return Optional.of(List.copyOf(items.values()));
    }

    static String shortName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    /**
     * A file name or reason as the console shows it, control characters escaped as in the log: a name with a line
     * break forged summary lines ("failures: 0"), and an ESC sequence in one reached the terminal.
     */
    static String shown(String s) {
        return LogLineEscaper.escape(s);
    }
}
