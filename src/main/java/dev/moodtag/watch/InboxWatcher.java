package dev.moodtag.watch;

import dev.moodtag.tagging.ObjectAddress;
import dev.moodtag.tagging.ObjectEvent;
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
import java.nio.file.attribute.BasicFileAttributes;
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
import java.util.stream.Stream;

/**
 * The edge box's directory-watch mode: every media file that appears in the inbox (or a folder below it) is tagged
 * by the function's {@link Recognizer} exactly as a {@code file://} storage event would be, and its result written
 * beside it or into the outbox (same relative path). A file is tagged once it has stopped changing (same size and
 * modification time for {@code settle}), so a copy in progress is never read half-written. The {@link WatchService}
 * only wakes the loop early: the inbox is also rescanned every {@code rescan}, because watch events are lost on some
 * filesystems (network and FUSE mounts) and when the event queue overflows.
 */
public final class InboxWatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(InboxWatcher.class);

    /** How a file looked when last seen: unchanged size and time for the settle period means the writer is done. */
    private record Seen(long size, long modified, long sinceNanos) {
    }

    private final Path inbox;
    private final Optional<Path> outbox;
    private final Recognizer recognizer;
    private final String resultSuffix;
    private final Duration settle, rescan;
    private final Map<Path, Seen> pending = new HashMap<>();
    /** Files already handed to the recognizer, with the size and time they had: changed files are tagged again. */
    private final Map<Path, Seen> done = new HashMap<>();
    private final Set<Path> watchedDirs = new HashSet<>();
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean stopped;
    private volatile WatchService watcher;

    public InboxWatcher(Path inbox, Optional<Path> outbox, Recognizer recognizer, String resultSuffix, Duration settle,
                        Duration rescan) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.outbox = outbox.map(p -> p.toAbsolutePath().normalize());
        this.recognizer = recognizer;
        this.resultSuffix = resultSuffix;
        this.settle = settle;
        this.rescan = rescan;
    }

    /** Watches until {@link #stop()} or interruption. */
    @Override
    public void run() {
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            watcher = ws;
            LOG.infof("watching %s (results %s; settle %s, rescan %s)", inbox,
                    outbox.map(o -> "in " + o).orElse("beside the media"), settle, rescan);
            long nextScan = 0;
            while (!stopped) {
                long now = System.nanoTime();
                if (now >= nextScan || !pending.isEmpty()) {
                    scan();
                    nextScan = System.nanoTime() + rescan.toNanos();
                }
                long waitMs = pending.isEmpty() ? Math.max(1, (nextScan - System.nanoTime()) / 1_000_000)
                        : Math.max(50, settle.toMillis() / 4);
                WatchKey key = ws.poll(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (key != null) {
                    // Something changed: drain the events and look now; what exactly changed is found by the scan.
                    do {
                        key.pollEvents();
                        if (!key.reset()) watchedDirs.remove((Path) key.watchable());
                    } while ((key = ws.poll()) != null);
                    nextScan = 0;
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

    /** Files handed to the recognizer so far. */
    public long handled() {
        return handled.get();
    }

    /** One pass over the inbox: register new folders, note changes, tag files that have settled. */
    void scan() {
        if (!Files.isDirectory(inbox)) {
            LOG.warnf("inbox %s does not exist or is not a folder; waiting for it", inbox);
            return;
        }
        Set<Path> present = new HashSet<>();
        try (Stream<Path> walk = Files.walk(inbox)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (outbox.isPresent() && p.startsWith(outbox.get())) continue;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isDirectory()) {
                    register(p);
                } else if (a.isRegularFile() && candidate(p)) {
                    present.add(p);
                    observe(p, a.size(), a.lastModifiedTime().toMillis());
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // A file vanished mid-walk or a folder is unreadable: the next scan sees the settled state.
            LOG.debugf("scan of %s incomplete: %s", inbox, e.getMessage());
        }
        pending.keySet().retainAll(present);
        done.keySet().retainAll(present);
        long now = System.nanoTime();
        for (Map.Entry<Path, Seen> e : List.copyOf(pending.entrySet())) {
            if (stopped) return;
            if (now - e.getValue().sinceNanos() >= settle.toNanos()) tag(e.getKey(), e.getValue());
        }
    }

    /** Hidden files (moodtag's own {@code .*.part} writes, editors' temporaries) and results are never inputs. */
    private boolean candidate(Path p) {
        return LocalObjectStorage.isInput(p.getFileName().toString(), resultSuffix);
    }

    private void observe(Path p, long size, long modified) {
        Seen last = done.get(p);
        if (last != null && last.size() == size && last.modified() == modified) return;
        Seen before = pending.get(p);
        if (before == null || before.size() != size || before.modified() != modified)
            pending.put(p, new Seen(size, modified, System.nanoTime()));
    }

    private void tag(Path file, Seen seen) {
        pending.remove(file);
        ObjectEvent event = new ObjectEvent("watch", "file-settled", true, new ObjectAddress.LocalFile(file),
                OptionalLong.of(seen.size()), Optional.empty(), Optional.empty(), false);
        try {
            recognizer.recognize(event, "watch-" + UUID.randomUUID(), resultLocation());
            done.put(file, seen);
            handled.incrementAndGet();
        } catch (RetryableException e) {
            // Folder unreadable or unwritable for now: nothing was written; try again on the next scan.
            LOG.warnf("will retry %s: %s", file, e.getMessage());
        } catch (RuntimeException e) {
            // Keep watching; the file is tried again only when it changes.
            LOG.errorf(e, "could not tag %s", file);
            done.put(file, seen);
            handled.incrementAndGet();
        }
    }

    private UnaryOperator<ObjectRef> resultLocation() {
        if (outbox.isEmpty()) return recognizer::resultFor;
        String out = outbox.get().toString();
        return media -> new ObjectRef(ObjectRef.Scheme.FILE, out, media.key() + resultSuffix);
    }

    private void register(Path dir) throws IOException {
        if (watcher != null && watchedDirs.add(dir)) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        }
    }
}
