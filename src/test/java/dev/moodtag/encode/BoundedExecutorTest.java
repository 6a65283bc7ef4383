package dev.moodtag.encode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedExecutorTest {

    private static final ExecutorService SHARED = Executors.newFixedThreadPool(4);

    @AfterAll
    static void stop() {
        SHARED.shutdownNow();
    }

    @Test
    void runsAtMostItsWidthAtOnceInSubmissionOrderThenWidens() throws Exception {
        BoundedExecutor one = new BoundedExecutor(SHARED, 1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            int n = i;
            one.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                sleep(20);
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(1, mostAtOnce.get(), "one at a time, although the shared pool has four threads");
        assertEquals(List.of(0, 1, 2, 3, 4, 5), order);

        // Widened while tasks wait: those still waiting may then run side by side.
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch finished = new CountDownLatch(3);
        mostAtOnce.set(0);
        for (int i = 0; i < 3; i++) {
            one.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                started.countDown();
                await(gate);
                running.decrementAndGet();
                finished.countDown();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (started.getCount() > 2 && System.nanoTime() < deadline) sleep(5);
        sleep(100);
        assertEquals(2, started.getCount(), "only the first has started, the others wait for it");
        one.widen(3);
        assertTrue(started.await(10, TimeUnit.SECONDS), "all three run once widened");
        gate.countDown();
        assertTrue(finished.await(10, TimeUnit.SECONDS));
        assertEquals(3, mostAtOnce.get());
    }

    @Test
    void aWidthBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedExecutor(SHARED, 0));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
