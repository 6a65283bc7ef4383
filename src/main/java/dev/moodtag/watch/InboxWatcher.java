package dev.moodtag.watch;

import dev.moodtag.tagging.ObjectAddress;
import dev.moodtag.tagging.ObjectEvent;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.ResultRules;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.RetryableException;

import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectRef;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The edge box's directory-watch mode: every media file that appears in the inbox (or a folder below it) is tagged
 * by the function's {@link Recognizer} exactly as a {@code file://} storage event would be, and its result written
 * beside it or into the outbox (same relative path). A file is tagged once it has stopped changing (same size,
 * modification time and {@link dev.moodtag.storage.FileVersion} for {@code settle}), so a copy in progress is never
 * read half-written. A writer may still pause longer than that (a recorder between flushes), and a file cut short that
 * way reads as truncated or corrupt: an
 * {@code error} result is therefore not written on the first try; the file is tried again once it has been unchanged
 * for {@code errorSettle}, and only that try's result is written, whatever it is. The {@link WatchService}
 * only wakes the loop early: the inbox is also rescanned every {@code rescan}, because watch events are lost on some
 * filesystems (network and FUSE mounts) and when the event queue overflows.
 */
public final class InboxWatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(InboxWatcher.class);

    /** How a file looked when last seen: unchanged for the settle period means the writer is done. */
    private record Seen(InboxScan.FileState state, long sinceNanos) {
    }

    /**
     * A file whose last try met storage unavailable: that version ({@code state}) is tried again no sooner than
     * {@code notBeforeNanos}.
     */
    private record Retry(int tries, long notBeforeNanos, InboxScan.FileState state) {
    }

    /**
     * The longest wait between tries of a file whose result could not be written for now. Each try may decode and
     * embed the whole file before the write fails (a full disk), so tries back off from {@code settle}, doubling.
     */
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(5);

    private final Path inbox;
    private final Optional<Path> outbox;
    private final Recognizer recognizer;
    private final String resultSuffix;
    private final Duration settle, errorSettle, rescan;
    private final Map<Path, Seen> pending = new HashMap<>();
    /** Files whose last try gave an error that was held back: they wait {@code errorSettle}, and their next try is final. */
    private final Set<Path> held = new HashSet<>();
    /** Entries of the inbox already reported as unusable, so that each is logged once, not every scan. */
    private final Set<Path> reported = new HashSet<>();
    /** Files already handed to the recognizer, as they were listed then: changed files are tagged again. */
    private final Map<Path, Seen> done = new HashMap<>();
    private final Map<Path, Retry> retrying = new HashMap<>();
    private final Set<Path> watchedDirs = new HashSet<>();
    private final AtomicLong handled = new AtomicLong(), heldBack = new AtomicLong(), retried = new AtomicLong(),
            scans = new AtomicLong();
    /** Results handed over to be read, at most their heads, and removed if they name a file that went. */
    private final AtomicLong resultsJudged = new AtomicLong();
    /** Whether a scan has listed the inbox yet: the first also looks for results left by files gone before it. */
    private boolean listedOnce;
    private volatile boolean stopped;
    private volatile WatchService watcher;

    public InboxWatcher(Path inbox, Optional<Path> outbox, Recognizer recognizer, String resultSuffix, Duration settle,
                        Duration errorSettle, Duration rescan) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.outbox = outbox.map(p -> p.toAbsolutePath().normalize());
        this.recognizer = recognizer;
        this.resultSuffix = resultSuffix;
        this.settle = settle;
        this.errorSettle = errorSettle.compareTo(settle) > 0 ? errorSettle : settle;
        this.rescan = rescan;
    }

    /** Watches until {@link #stop()} or interruption. */
    @Override
    public void run() {
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            watcher = ws;
            LOG.infof("watching %s (results %s; settle %s, after an error %s; rescan %s)", inbox,
                    outbox.map(o -> "in " + o).orElse("beside the media"), settle, errorSettle, rescan);
            // A scan walks the whole inbox. While files are pending, or events arrive (a recording being written
            // fires one per flush), it runs at most every `gap`: a file cannot settle sooner than that anyway, and
            // scanning on every event walked a large inbox without pause for as long as any file was written.
            long gap = Math.max(50, settle.toMillis() / 4) * 1_000_000L;
            long lastScan = System.nanoTime() - gap, nextScan = lastScan;
            while (!stopped) {
                long now = System.nanoTime();
                if (now - nextScan >= 0 || (settling(now) && now - lastScan >= gap)) {
                    scan();
                    lastScan = System.nanoTime();
                    nextScan = lastScan + rescan.toNanos();
                }
                now = System.nanoTime();
                // relative times only: nanoTime values may wrap, their differences do not mislead
                long untilDue = nextScan - now;
                if (settling(now)) untilDue = Math.min(untilDue, lastScan + gap - now);
                else untilDue = Math.min(untilDue, untilRetry(now));
                long waitMs = Math.max(1, untilDue / 1_000_000);
                WatchKey key = ws.poll(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (key != null) {
                    // Something changed: drain the events and look soon; what exactly changed is found by the scan.
                    do {
                        key.pollEvents();
                        if (!key.reset()) watchedDirs.remove((Path) key.watchable());
                    } while ((key = ws.poll()) != null);
                    if (nextScan - (lastScan + gap) > 0) nextScan = lastScan + gap;
                }
            }
        } catch (ClosedWatchServiceException e) {
            // stop() closed it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot watch " + inbox, e);
        } finally {
            LOG.infof("stopped watching %s after %d file(s)", inbox, handled.get());
        }
    }

    public void stop() {
        stopped = true;
        WatchService ws = watcher;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                LOG.debugf("closing the watch service: %s", e.getMessage());
            }
        }
    }

    /** Files handed to the recognizer so far whose result was written (or that failed for good). */
    public long handled() {
        return handled.get();
    }

    /** Tries whose error result was held back because the file might still be written. */
    public long heldBack() {
        return heldBack.get();
    }

    /** Tries that met storage unavailable for now (an outbox not mounted): nothing written, the file not done. */
    public long retried() {
        return retried.get();
    }

    /** Whether a pending file is waiting to settle, not for its next try after storage was unavailable. */
    private boolean settling(long now) {
        for (Path p : pending.keySet()) {
            Retry r = retrying.get(p);
            if (r == null || now - r.notBeforeNanos() >= 0) return true;
        }
        return false;
    }

    /** Nanoseconds until the earliest pending retry is due (Long.MAX_VALUE when none is). */
    private long untilRetry(long now) {
        long least = Long.MAX_VALUE;
        for (Path p : pending.keySet()) {
            Retry r = retrying.get(p);
            if (r != null) least = Math.min(least, r.notBeforeNanos() - now);
        }
        return least;
    }

    /** Passes over the inbox so far (for tests). */
    long scans() {
        return scans.get();
    }

    /** Results read (at most their heads) to tell whether they name a file that went (for tests). */
    long resultsJudged() {
        return resultsJudged.get();
    }

    /** One pass over the inbox: register new folders, note changes, tag files that have settled. */
    void scan() {
        scans.incrementAndGet();
        if (!Files.isDirectory(inbox)) {
            LOG.warnf("inbox %s does not exist or is not a folder; waiting for it", inbox);
            return;
        }
        InboxScan.Listing listing = InboxScan.list(inbox, outbox, this::candidate, !listedOnce);
        for (Path dir : listing.folders()) register(dir);
        for (Map.Entry<Path, String> u : listing.unusable().entrySet())
            if (reported.add(u.getKey())) LOG.warnf("passing over %s: %s", u.getKey(), u.getValue());
        reported.retainAll(listing.unusable().keySet());
        Set<Path> present = listing.files().keySet();
        for (Map.Entry<Path, InboxScan.FileState> f : listing.files().entrySet()) observe(f.getKey(), f.getValue());
        pending.keySet().retainAll(present);
        for (Path gone : List.copyOf(done.keySet())) if (!present.contains(gone)) removeResultOfGone(gone);
        if (!listedOnce) removeResultsLeftBeforeStart(listing);
        listedOnce = true;
        done.keySet().retainAll(present);
        held.retainAll(present);
        retrying.keySet().retainAll(present);
        long now = System.nanoTime();
        for (Map.Entry<Path, Seen> e : List.copyOf(pending.entrySet())) {
            if (stopped) return;
            Duration wait = held.contains(e.getKey()) ? errorSettle : settle;
            Retry retry = retrying.get(e.getKey());
            if (retry != null && now - retry.notBeforeNanos() < 0) continue;
            if (now - e.getValue().sinceNanos() >= wait.toNanos()) tag(e.getKey(), e.getValue());
        }
    }

    /** Hidden files (moodtag's own {@code .*.part} writes, editors' temporaries) and results are never inputs. */
    private boolean candidate(String fileName) {
        return LocalObjectStorage.isInput(fileName, resultSuffix);
    }

    private void observe(Path p, InboxScan.FileState now) {
        Seen last = done.get(p);
        if (last != null && last.state().equals(now)) return;
        Seen before = pending.get(p);
        if (before == null || !before.state().equals(now)) {
            // A new version is new work: it waits to settle, not for the backoff of the version whose try failed
            Retry retry = retrying.get(p);
            if (retry != null && !retry.state().equals(now)) retrying.remove(p);
            pending.put(p, new Seen(now, System.nanoTime()));
        }
    }

    private void tag(Path file, Seen seen) {
        pending.remove(file);
        ObjectEvent event = new ObjectEvent("watch", "file-settled", true, new ObjectAddress.LocalFile(file),
                OptionalLong.of(seen.state().size()), Optional.empty(), Optional.empty(), false);
        boolean finalTry = held.contains(file);
        try {
            ObjectOutcome o = recognizer.recognize(event, "watch-" + UUID.randomUUID(), resultLocation(),
                    ResultRules.watch(!finalTry));
            if (ObjectOutcome.HELD.equals(o.outcome())) {
                // Maybe a writer that paused: wait until the file has been unchanged for errorSettle, then try once more.
                LOG.infof("%s: %s; trying again once it has not changed for %s", file, o.reason(), errorSettle);
                held.add(file);
                heldBack.incrementAndGet();
                pending.put(file, new Seen(seen.state(), System.nanoTime()));
                return;
            }
            held.remove(file);
            retrying.remove(file);
            done.put(file, seen);
            // A link put where a tagged file was is listed with its target's size and time but not read: the result
            // of the file it replaced goes as if the file had been deleted.
            if (!ObjectOutcome.PROCESSED.equals(o.outcome())) removeResultOfGone(file);
            handled.incrementAndGet();
        } catch (RetryableException e) {
            // Folder unreadable or unwritable for now: nothing was written; try again later, waiting longer each time.
            int tries = retrying.containsKey(file) ? retrying.get(file).tries() + 1 : 1;
            Duration delay = retryDelay(settle, tries);
            retrying.put(file, new Retry(tries, System.nanoTime() + delay.toNanos(), seen.state()));
            LOG.warnf("will retry %s in %s (try %d): %s", file, delay, tries, e.getMessage());
            retried.incrementAndGet();
        } catch (RuntimeException e) {
            // Keep watching; the file is tried again only when it changes.
            LOG.errorf(e, "could not tag %s", file);
            held.remove(file);
            retrying.remove(file);
            done.put(file, seen);
            handled.incrementAndGet();
        }
    }

    /**
     * A file this watcher tagged that is no longer there as a file (deleted, renamed, moved out, replaced by a folder,
     * a FIFO or a link) takes its result beside it with it: left, the result would describe bytes that are gone, beside nothing or beside
     * another name's bytes for good. Only a result that names this very file is removed, and only once the file is
     * known to be gone: a folder that cannot be listed for now hides its files from the scan without removing them.
     */
    private void removeResultOfGone(Path file) {
        // An outbox is where the results are collected: an edge box that clears its inbox once files are tagged keeps
        // them there, so only a result beside its file (in the inbox itself) goes with the file.
        if (outbox.isPresent()) return;
        try {
            if (Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).isRegularFile()) return;
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            // gone
        } catch (IOException e) {
            return; // cannot tell: keep the result
        }
        resultsJudged.incrementAndGet();
        try {
            if (recognizer.removeResultOfGoneFile(file)) LOG.infof("%s is gone: removed its result", file);
        } catch (RuntimeException e) {
            LOG.warnf("%s is gone, but its result could not be removed: %s", file, e.getMessage());
        }
    }

    /**
     * Results in the inbox whose file is not there as a file: left by files that went while no watcher ran, or after
     * the scan before a watcher was killed. Each goes as if its file had gone now ({@link #removeResultOfGone}), but
     * only a result of a name this watcher would tag: a hidden file's result (never an input here) stays, as it stays
     * when a hidden file goes under a running watcher. A result whose file is listed is not read. Only the first scan
     * looks: afterwards every file this watcher tagged that goes is seen going, and a result it keeps (naming another
     * file, or no result at all) would otherwise be read again at every scan.
     */
    private void removeResultsLeftBeforeStart(InboxScan.Listing listing) {
        for (Path other : listing.others()) {
            if (stopped) return;
            Optional<Path> media;
            try {
                media = recognizer.mediaOfResultFile(other);
            } catch (RuntimeException e) {
                LOG.debugf("%s is named as no result here: %s", other, e.getMessage());
                continue;
            }
            if (media.isPresent() && candidate(media.get().getFileName().toString())
                    && !listing.files().containsKey(media.get()))
                removeResultOfGone(media.get());
        }
    }

    /** {@code settle}, doubled for each try after the first, at most {@link #MAX_RETRY_DELAY}. */
    static Duration retryDelay(Duration settle, int tries) {
        Duration d = settle.isZero() || settle.isNegative() ? Duration.ofSeconds(1) : settle;
        for (int i = 1; i < tries && d.compareTo(MAX_RETRY_DELAY) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : d;
    }

    private UnaryOperator<ObjectRef> resultLocation() {
        if (outbox.isEmpty()) return recognizer::resultFor;
        String out = outbox.get().toString();
        return media -> new ObjectRef(ObjectRef.Scheme.FILE, out, media.key() + resultSuffix);
    }

    /** Events only wake the loop early; a folder that cannot be watched (inotify limit) is still rescanned. */
    private void register(Path dir) {
        if (watcher != null && watchedDirs.add(dir)) {
            try {
                dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot watch %s (%s): new files there are seen by the rescan every %s", dir, e, rescan);
            }
        }
    }
}
