package dev.moodtag.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The adversary of issue 16: a thread that points a symbolic link alternately at a folder inside a root and at one
 * outside it, until closed. Each flip is a rename(2) of a freshly made link over the old one, so the link always
 * exists and points one way or the other.
 */
public final class SymlinkFlipper implements AutoCloseable {

    /** How long to leave the link as it is after a flip (the adversary's schedule, not synchronisation). */
    @FunctionalInterface
    public interface Hold {
        void after(boolean pointsOutside) throws InterruptedException;
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong flips = new AtomicLong(), outward = new AtomicLong();
    private final CountDownLatch firstFlip = new CountDownLatch(1);
    private final Thread thread;

    private SymlinkFlipper(Path link, Path inside, Path outside, Hold hold) {
        Path staged = link.resolveSibling("." + link.getFileName() + ".staged");
        thread = new Thread(() -> {
            try {
                for (boolean out = true; !stop.get(); out = !out) {
                    Files.deleteIfExists(staged);
                    Files.createSymbolicLink(staged, out ? outside : inside);
                    Files.move(staged, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    flips.incrementAndGet();
                    if (out) outward.incrementAndGet();
                    firstFlip.countDown();
                    hold.after(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "symlink-flipper");
        thread.setDaemon(true);
    }

    /** Starts flipping {@code link} (which exists) and returns once it has flipped at least once. */
    public static SymlinkFlipper start(Path link, Path inside, Path outside, Hold hold) throws InterruptedException {
        SymlinkFlipper f = new SymlinkFlipper(link, inside, outside, hold);
        f.thread.start();
        if (!f.firstFlip.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the link never flipped");
        return f;
    }

    public long flips() {
        return flips.get();
    }

    public long outwardFlips() {
        return outward.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
