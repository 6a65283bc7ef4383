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
 * An adversary that swaps what a name leads to between a hostile target (a folder outside the root, a FIFO) and a
 * benign one, hostile first, until closed. Each flip is a rename(2) of a freshly made link over the name, so the name
 * always exists and leads to one target or the other: a reader that checks the name and then uses it can meet the
 * swap in between (issue 16 for symbolic links; a FIFO put in place of a media file for hard links).
 */
public final class LinkFlipper implements AutoCloseable {

    /** How a flip makes the name lead to a target. */
    public enum Kind {
        /** The name is the target's own inode: a check of the file's type sees the target's type. */
        HARD {
            @Override
            void link(Path staged, Path target) throws IOException {
                Files.createLink(staged, target);
            }
        },
        /** The name leads through a link; a relative target is resolved from the name's folder. */
        SYMBOLIC {
            @Override
            void link(Path staged, Path target) throws IOException {
                Files.createSymbolicLink(staged, target);
            }
        };

        abstract void link(Path staged, Path target) throws IOException;
    }

    /** How long to leave the name as it is after a flip (the adversary's schedule, not synchronisation). */
    @FunctionalInterface
    public interface Hold {
        void after(boolean hostile) throws InterruptedException;

        Hold NONE = hostile -> {
        };
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong flips = new AtomicLong(), hostileFlips = new AtomicLong();
    private final CountDownLatch firstFlip = new CountDownLatch(1);
    private final Thread thread;

    private LinkFlipper(Kind kind, Path name, Path hostile, Path benign, Hold hold) {
        Path staged = name.resolveSibling("." + name.getFileName() + ".staged");
        thread = new Thread(() -> {
            try {
                for (boolean toHostile = true; !stop.get(); toHostile = !toHostile) {
                    Files.deleteIfExists(staged);
                    kind.link(staged, toHostile ? hostile : benign);
                    Files.move(staged, name, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    flips.incrementAndGet();
                    if (toHostile) hostileFlips.incrementAndGet();
                    firstFlip.countDown();
                    hold.after(toHostile);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, kind.name().toLowerCase() + "-link-flipper");
        thread.setDaemon(true);
    }

    /**
     * Starts flipping {@code name} (which exists) and returns once it has flipped at least once, so that what races
     * it starts against a running adversary.
     */
    public static LinkFlipper start(Kind kind, Path name, Path hostile, Path benign, Hold hold) throws InterruptedException {
        LinkFlipper f = new LinkFlipper(kind, name, hostile, benign, hold);
        f.thread.start();
        if (!f.firstFlip.await(30, TimeUnit.SECONDS)) throw new IllegalStateException(name + " never flipped");
        return f;
    }

    /** Flips back to back, as fast as renames go. */
    public static LinkFlipper start(Kind kind, Path name, Path hostile, Path benign) throws InterruptedException {
        return start(kind, name, hostile, benign, Hold.NONE);
    }

    public long flips() {
        return flips.get();
    }

    public long hostileFlips() {
        return hostileFlips.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
