package dev.moodtag.watch;

import dev.moodtag.batch.ReportFolder;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.tagging.FunctionConfig;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.RecognizerFactory;

import dev.moodtag.storage.AbandonedWrites;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.SettingRange;
import dev.moodtag.support.WriteProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds the watch mode's {@link InboxWatcher}: a {@link Recognizer} from {@link RecognizerFactory} (the function's
 * decoder, engine, labeller, filters and result document) over a filesystem store whose only roots are the inbox and
 * the outbox, so a watched box reaches nothing else whatever {@code moodtag.storage.*} says.
 */
@ApplicationScoped
public class InboxWatchers {

    /** The shortest rescan period: each rescan walks the whole inbox. */
    static final Duration MIN_RESCAN = Duration.ofSeconds(1);
    /**
     * The longest settle, error-settle or rescan. A file unchanged for a week is no longer being written, and a weekly
     * rescan is the rarest backstop worth having; anything longer is a typo (P1000000D), and past about 292 years a
     * wait cannot be counted in nanoseconds at all.
     */
    public static final Duration MAX_WAIT = Duration.ofDays(7);

    private final RecognizerFactory recognizers;
    private final FunctionConfig functionConfig;
    private final StorageConfig storageConfig;
    private final HeardTranscripts heard;

    public InboxWatchers(RecognizerFactory recognizers, FunctionConfig functionConfig, StorageConfig storageConfig,
                         HeardTranscripts heard) {
        this.recognizers = recognizers;
        this.functionConfig = functionConfig;
        this.storageConfig = storageConfig;
        this.heard = heard;
    }

    /** Why a wait setting (named as the user gave it) cannot be used, or empty: below {@code min} or above {@link #MAX_WAIT}. */
    public static Optional<String> waitProblem(String name, Duration wait, Duration min) {
        return SettingRange.within(name, wait, min, MAX_WAIT);
    }

    /**
     * @throws SettingOutOfRange       naming each of settle, error-settle and rescan out of its range
     * @throws IllegalArgumentException when the folders cannot be used (the message says what to change)
     */
    public InboxWatcher create(Path inbox, Optional<Path> outbox, Duration settle, Duration errorSettle, Duration rescan) {
        // A rescan of zero walked the inbox without pause; a negative wait is a typo, not a setting. Settings, so all of
        // them in one line and exit code 1 (WatchCommand), where the first alone was answered as a refused input (exit
        // code 2); --settle and --error-settle were checked before start under their own names.
        List<String> wrong = Stream.of(waitProblem("moodtag.watch.rescan", rescan, MIN_RESCAN),
                waitProblem("moodtag.watch.settle", settle, Duration.ZERO),
                waitProblem("moodtag.watch.error-settle", errorSettle, Duration.ZERO)).flatMap(Optional::stream).toList();
        if (!wrong.isEmpty()) throw new SettingOutOfRange(String.join("; ", wrong));
        Path in = inbox.toAbsolutePath().normalize();
        if (!Files.isDirectory(in)) throw new IllegalArgumentException("inbox " + in + " is not a folder: create it first");
        // An inbox given as a link to a folder (an SD card's mount point) is watched where it leads: walking the link
        // itself listed nothing, and no file was ever tagged.
        in = LocalObjectStorage.realFolder(in);
        List<Path> roots = new ArrayList<>(List.of(in));
        Optional<Path> out = outbox.map(p -> p.toAbsolutePath().normalize()).map(p -> Files.isDirectory(p) ? LocalObjectStorage.realFolder(p) : p);
        // What making the outbox made, taken away again when the start is refused after it (a model pack that does
        // not load): a refused start leaves nothing
        Optional<Path> made = out.flatMap(ReportFolder::firstMissing);
        if (out.isPresent()) {
            if (in.startsWith(out.get()))
                throw new IllegalArgumentException("the outbox " + out.get() + " must not contain the inbox " + in);
            // Proven writable before the models load: an outbox that could not be written watched, decoded and
            // encoded every file dropped in, then failed each result's write.
            try {
                Files.createDirectories(out.get());
                WriteProbe.into(out.get());
            } catch (IOException e) {
                throw new IllegalArgumentException("the outbox " + out.get() + " cannot be written: "
                        + LocalFailures.inWords(e, out.get()), e);
            }
            roots.add(out.get());
        }
        LocalObjectStorage local = new LocalObjectStorage(roots, storageConfig.local().followLinksWithinRoot());
        AbandonedWrites.sweep(local, functionConfig.result().suffix());
        Recognizer recognizer;
        try {
            recognizer = recognizers.forStorage(local);
            recognizer.warmUp();
            // As the function does once it is ready: the first file dropped into the inbox finds a recogniser warmed
            // up (files arrive apart on an edge box, where a fresh recogniser made a short utterance's recognition 2-3x
            // slower)
            heard.prepare();
        } catch (RuntimeException | Error refused) {
            made.ifPresent(m -> ReportFolder.removeIfUnused(out.get(), m));
            throw refused;
        }
        return new InboxWatcher(in, out, recognizer, functionConfig.result().suffix(), settle, errorSettle, rescan);
    }
}
