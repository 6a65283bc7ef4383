package dev.moodtag.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One task per item of a list, run by a fixed number of threads while the caller waits for all of them: a batch's
 * objects, a publish's events, a training set's rows. The threads are daemons, so an item stuck in native code does
 * not keep the JVM alive once the command has ended, and the pool is shut down however the work ends: when a task
 * fails or the caller is interrupted, the tasks still running are interrupted rather than left to run on unawaited.
 *
 * @param threadName  what the threads are called, for thread dumps and logs
 * @param interrupted the message when the waiting thread is interrupted
 * @param failed      what a task that threw is said to be, before its cause
 */
public record ParallelWork(String threadName, String interrupted, String failed) {

    /**
     * The most threads one piece of work runs: the largest bound of any caller's setting or option
     * ({@code moodtag.publish.max-in-flight}, 1..1000; tag's --workers and train's thread counts stop at 256). The pool
     * took any size: 0 or less failed with a bare IllegalArgumentException naming nothing, and a caller that let 10^6
     * through started a thread per item, up to the number of items.
     */
    public static final int MAX_THREADS = 1000;

    /** The work on one item; {@code index} is its place in the list. */
    @FunctionalInterface
    public interface Task<T, R> {
        R apply(int index, T item) throws Exception;
    }

    /** The work on one item, which leaves what it makes elsewhere. */
    @FunctionalInterface
    public interface Step<T> {
        void accept(int index, T item) throws Exception;
    }

    /**
     * The tasks' results in the items' order.
     *
     * @param workers threads, 1..{@link #MAX_THREADS} (no more are started than there are items)
     * @throws IllegalArgumentException when {@code workers} is outside 1..{@link #MAX_THREADS}: a caller's bug, before
     *                                  any task runs
     * @throws IllegalStateException    when the caller is interrupted (its interrupt flag set again), or when a task
     *                                  threw: the first in the items' order, with that task's exception as the cause
     */
    public <T, R> List<R> map(List<T> items, int workers, Task<T, R> task) {
        SettingRange.within(threadName + " threads", workers, 1, MAX_THREADS).ifPresent(wrong -> {
            throw new IllegalArgumentException(wrong);
        });
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                T item = items.get(i);
                int index = i;
                futures.add(pool.submit(() -> task.apply(index, item)));
            }
            List<R> results = new ArrayList<>(futures.size());
            for (Future<R> f : futures) results.add(f.get());
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(failed + ": " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link #map} for steps that keep what they make themselves. */
    public <T> void each(List<T> items, int workers, Step<T> step) {
        map(items, workers, (index, item) -> {
            step.accept(index, item);
            return null;
        });
    }
}
