package dev.moodtag.cli;

import dev.moodtag.batch.ReportFolder;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.watch.InboxWatcher;
import dev.moodtag.watch.InboxWatchers;
import dev.moodtag.watch.WatchConfig;

import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code moodtag watch INBOX}: the edge box without cloud storage. Every media file that appears in the inbox is
 * tagged exactly as the function tags a {@code file://} event; results go beside it or to {@code --outbox}.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Tag every media file that appears in an inbox folder (edge boxes without cloud storage).")
public class WatchCommand implements Callable<Integer>, BeforeStart.Check {

    @Parameters(arity = "0..1", paramLabel = "INBOX", description = "The folder to watch (default: moodtag.watch.inbox).")
    Path inbox;

    @Option(names = "--outbox", paramLabel = "DIR",
            description = "Write results here, at the media's relative path (default: moodtag.watch.outbox, else beside the media).")
    Path outbox;

    @Option(names = "--settle", paramLabel = "DURATION",
            description = "Unchanged this long before a file is read, ISO-8601 (default: moodtag.watch.settle, PT2S).")
    Duration settle;

    @Option(names = "--error-settle", paramLabel = "DURATION",
            description = "A file whose first try gave an error is tried again, and only then its result written, once "
                    + "unchanged this long, ISO-8601 (default: moodtag.watch.error-settle, PT30S).")
    Duration errorSettle;

    private final InboxWatchers watchers;
    private final WatchConfig config;
    private static volatile InboxWatcher running;

    public WatchCommand(InboxWatchers watchers, WatchConfig config) {
        this.watchers = watchers;
        this.config = config;
    }

    /** An inbox named on the command line that is not a folder, or a wait it cannot count, is known before any model loads. */
    @Override
    public Optional<String> problemBeforeStart() {
        // Checked again with the configured values when the watcher is made; given here, they are known before start.
        Optional<String> waits = Optional.ofNullable(settle)
                .flatMap(d -> InboxWatchers.waitProblem("--settle", d, Duration.ZERO))
                .or(() -> Optional.ofNullable(errorSettle)
                        .flatMap(d -> InboxWatchers.waitProblem("--error-settle", d, Duration.ZERO)));
        if (waits.isPresent()) return waits;
        if (inbox != null && !Files.isDirectory(inbox))
            return Optional.of("inbox " + BeforeStart.missing(inbox).orElse(inbox.toAbsolutePath().normalize() + " is not a folder"));
        // An outbox given here that cannot be written is said before the models load; the watcher makes it and proves
        // it again
        try {
            if (outbox != null) ReportFolder.check("--outbox", outbox);
        } catch (IllegalArgumentException wrong) {
            return Optional.of(wrong.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public Integer call() {
        Optional<Path> in = Optional.ofNullable(inbox).or(() -> config.inbox().map(Path::of));
        if (in.isEmpty()) {
            System.err.println("moodtag watch: name the inbox folder (moodtag watch INBOX, or moodtag.watch.inbox / MOODTAG_WATCH_INBOX)");
            return 2;
        }
        InboxWatcher watcher;
        try {
            watcher = watchers.create(in.get(), Optional.ofNullable(outbox).or(() -> config.outbox().map(Path::of)),
                    settle != null ? settle : config.settle(), errorSettle != null ? errorSettle : config.errorSettle(),
                    config.rescan());
        } catch (SettingOutOfRange e) {
            throw e; // a setting, not a folder: exit code 1 like every start refusal (MoodtagMain)
        } catch (IllegalArgumentException e) {
            System.err.println("moodtag watch: " + e.getMessage());
            return 2;
        }
        running = watcher;
        watcher.run(); // until SIGTERM (systemd stop): Quarkus's shutdown stops the watcher
        return 0;
    }

    static void onShutdown(@Observes ShutdownEvent event) {
        InboxWatcher w = running;
        if (w != null) w.stop();
    }
}
