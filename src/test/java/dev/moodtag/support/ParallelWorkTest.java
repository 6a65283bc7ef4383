package dev.moodtag.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelWorkTest {

    private static final ParallelWork WORK = new ParallelWork("moodtag-test", "test interrupted", "test worker failed");

    @Test
    void resultsComeInTheItemsOrderWhateverOrderTheyFinishIn() {
        List<Integer> delays = List.of(60, 0, 30, 10);
        List<String> results = WORK.map(delays, 4, (index, delay) -> {
            TimeUnit.MILLISECONDS.sleep(delay);
            return index + ":" + delay;
        });
        assertEquals(List.of("0:60", "1:0", "2:30", "3:10"), results);
    }

    @Test
    void theThreadsAreNamedDaemonsAndAsManyAsAsked() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch together = new CountDownLatch(2);
        WORK.each(List.of("a", "b"), 2, (index, item) -> {
            assertTrue(Thread.currentThread().isDaemon(), "a daemon");
            threads.add(Thread.currentThread().getName());
            together.countDown();
            assertTrue(together.await(10, TimeUnit.SECONDS), "both items ran at once");
        });
        assertEquals(Set.of("moodtag-test"), threads);
    }

    @Test
    void aTaskThatThrowsIsTheCauseNamedInTheFailure() {
        IllegalArgumentException boom = new IllegalArgumentException("row 2 is bad");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> WORK.map(List.of(1, 2, 3), 2,
                (index, item) -> {
                    if (item == 2) throw boom;
                    return item;
                }));
        assertSame(boom, thrown.getCause());
        assertEquals("test worker failed: " + boom, thrown.getMessage());
    }

    @Test
    void anInterruptedCallerStopsWaitingAndKeepsItsInterrupt() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                WORK.each(List.of("stuck"), 1, (index, item) -> never.await());
            } catch (Throwable t) {
                thrown.set(t);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals("test interrupted", thrown.get().getMessage());
        assertTrue(thrown.get().getCause() instanceof InterruptedException);
        assertEquals(Boolean.TRUE, interruptKept.get());
    }

    /**
     * A pool size outside 1..MAX_THREADS is a caller's bug, refused before any task runs with the size named: the pool
     * took 0 and -1 as a bare IllegalArgumentException (no message), and 10^6 as a thread per item up to the items.
     */
    @Test
    void aPoolSizeOutsideTheRangeIsRefusedNamingItBeforeAnyTaskRuns() {
        List<Integer> items = java.util.stream.IntStream.range(0, 2000).boxed().toList();
        List<String> wrong = new ArrayList<>();
        for (int size : new int[]{Integer.MIN_VALUE, -1_000_000, -1, 0, ParallelWork.MAX_THREADS + 1, 1_000_000,
                Integer.MAX_VALUE}) {
            Set<Long> ran = ConcurrentHashMap.newKeySet();
            try {
                WORK.each(items, size, (index, item) -> ran.add(Thread.currentThread().getId()));
                wrong.add(size + " accepted, " + ran.size() + " thread(s) ran");
            } catch (IllegalArgumentException e) {
                String said = "moodtag-test threads must be within 1.." + ParallelWork.MAX_THREADS + ", not " + size;
                if (!said.equals(e.getMessage()) || !ran.isEmpty()) wrong.add(size + " refused as " + e.getMessage()
                        + " after " + ran.size() + " ran");
            }
        }
        assertEquals(List.of(), wrong);
        // both edges run every item
        for (int size : new int[]{1, ParallelWork.MAX_THREADS}) {
            Set<Integer> done = ConcurrentHashMap.newKeySet();
            WORK.each(items, size, (index, item) -> done.add(item));
            assertEquals(items.size(), done.size(), "size " + size);
        }
    }
}
