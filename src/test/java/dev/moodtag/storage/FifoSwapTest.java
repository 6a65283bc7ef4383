package dev.moodtag.storage;

import dev.moodtag.testing.LinkFlipper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

        // Each read that meets the FIFO waits for the release (RegularFileOpen.RELEASE_AFTER_MS, 200 ms or a few of
        // them) and how many do depends on the race: reads go on until both outcomes were seen a few times (at most
        // 5,000 reads), not a fixed number that either takes minutes or ends before the adversary has started.
        int reads = 5_000, each = 5;
        AtomicInteger whole = new AtomicInteger(), refused = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
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
        // Reads start once the adversary swaps: one that came before would only ever see the regular file.
        LinkFlipper adversary = LinkFlipper.start(LinkFlipper.Kind.HARD, media, fifo, regular);
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
            adversary.close();
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
