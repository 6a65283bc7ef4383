package dev.moodtag.encode;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks on a shared executor, at most {@code width} of them at a time, in submission order. One utterance's
 * work beside its decoding goes through one of these: with one task at a time on a 2-core box, the decoding thread
 * keeps a core to itself, while several utterances decoded at once still each get their own share of the pool.
 */
final class BoundedExecutor implements Executor {
    private final Executor shared;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int width;
    private int running;

    BoundedExecutor(Executor shared, int width) {
        if (width < 1) throw new IllegalArgumentException("width must be at least 1, not " + width);
        this.shared = shared;
        this.width = width;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            waiting.add(task);
        }
        startWhatFits();
    }

    /** Lets more tasks run at once from now on (once decoding has ended, its core is free). */
    void widen(int newWidth) {
        synchronized (this) {
            width = Math.max(width, newWidth);
        }
        startWhatFits();
    }

    private void startWhatFits() {
        while (true) {
            Runnable next;
            synchronized (this) {
                if (running >= width || waiting.isEmpty()) return;
                next = waiting.poll();
                running++;
            }
            shared.execute(() -> {
                try {
                    next.run();
                } finally {
                    synchronized (this) {
                        running--;
                    }
                    startWhatFits();
                }
            });
        }
    }
}
