package dev.moodtag.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FIFO put in place of a media file between the check that it is a regular file and its opening (found by a review:
 * opening a FIFO to read waits for a writer, so the worker, and with it the batch or the function's slot, waited
 * forever). An adversary renames a FIFO and a regular file over the name in turn while the store reads it.
 */
class FifoSwapTest {

    @Test
    void aFifoSwappedInBeforeTheOpenIsRefusedNotWaitedOn(@TempDir Path dir) throws Exception {
        Path media = dir.resolve("clip.wav"), fifo = dir.resolve("fifo"), regular = dir.resolve("regular");
        Files.writeString(regular, "RIFF the recording");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Files.copy(regular, media);
        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(dir);
        ObjectRef ref = store.refFor(media);

        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch swapping = new CountDownLatch(1);
        Thread adversary = new Thread(() -> {
            Path staged = dir.resolve(".staged");
            try {
                for (boolean toFifo = true; !stop.get(); toFifo = !toFifo) {
                    Files.deleteIfExists(staged);
                    Files.createLink(staged, toFifo ? fifo : regular);
                    Files.move(staged, media, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    swapping.countDown();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "fifo-swapper");
        adversary.setDaemon(true);

        // Each read that meets the FIFO waits for the release (RegularFileOpen.RELEASE_AFTER_MS, 200 ms or a few of
        // them) and how many do depends on the race: reads go on until both outcomes were seen a few times (at most
        // 5,000 reads), not a fixed number that either takes minutes or ends before the adversary has started.
        int reads = 5_000, each = 5;
        AtomicInteger whole = new AtomicInteger(), refused = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                swapping.await(10, TimeUnit.SECONDS);
                for (int i = 0; i < reads && (whole.get() < each || refused.get() < each); i++) {
                    try {
                        String read = store.read(ref, (in, n) -> new String(in.readAllBytes()));
                        if (read.equals("RIFF the recording")) whole.incrementAndGet();
                        else throw new AssertionError("read '" + read + "' where the file was");
                    } catch (StorageException e) {
                        // the first file's own inode is replaced by the adversary's regular one: a new version, retried
                        boolean replaced = e.kind() == StorageException.Kind.UNAVAILABLE && e.getMessage().contains("replaced by another file");
                        if (!replaced && (e.kind() != StorageException.Kind.NOT_FOUND || !e.getMessage().contains("not a regular file")))
                            throw e;
                        refused.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                unexpected.set(t);
            } finally {
                done.countDown();
            }
        }, "fifo-reader");
        reader.setDaemon(true);
        adversary.start();
        reader.start();
        try {
            // A hang detector, not a timing: the reads must go on. A read that waits 30 s without the next one
            // starting is stuck (a released open returns within a few 200 ms looks); how long they all take is not
            // asserted (under CI load, 447 reads of which 394 met the FIFO took the 60 s a former bound allowed).
            int seen = -1;
            long still = System.nanoTime();
            while (!done.await(1, TimeUnit.SECONDS)) {
                int now = whole.get() + refused.get();
                if (now != seen) {
                    seen = now;
                    still = System.nanoTime();
                } else if (System.nanoTime() - still > TimeUnit.SECONDS.toNanos(30)) {
                    break;
                }
            }
            assertTrue(done.getCount() == 0, "a read still waits on the FIFO after " + (whole.get() + refused.get())
                    + " reads (" + whole.get() + " whole, " + refused.get() + " refused), none for 30 s");
        } finally {
            stop.set(true);
            adversary.join();
            if (done.getCount() > 0) {
                // release the stuck reader: open the FIFO to write, so its open returns
                try (var out = Files.newOutputStream(fifo)) {
                    out.flush();
                }
            }
        }
        if (unexpected.get() != null) throw new AssertionError(unexpected.get());
        assertTrue(whole.get() >= each && refused.get() >= each, whole + " whole, " + refused + " refused: the race ran both ways");
    }
}
