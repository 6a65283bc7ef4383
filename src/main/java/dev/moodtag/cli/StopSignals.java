package dev.moodtag.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a stop flag for a long command, for as long as it is open. Quarkus turns these
 * signals into a request to exit once the command returns, so without this a signal let the whole work run on. The
 * first signal sets the flag (and says so through {@code onFirst}), so the command stops at its next safe point and
 * says what it kept; a second ends the process at once (exit 128 + the signal's number), for a user who will not wait.
 * Closing puts the handlers that were there before back.
 */
final class StopSignals implements AutoCloseable, BooleanSupplier {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<Signal, SignalHandler> before = new LinkedHashMap<>();

    private StopSignals() {
    }

    /** @param onFirst what to say on the first signal (on the signal's thread), e.g. what the command will keep */
    static StopSignals install(Runnable onFirst) {
        StopSignals signals = new StopSignals();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                signals.before.put(signal, Signal.handle(signal, sig -> {
                    if (signals.stop.getAndSet(true)) Runtime.getRuntime().halt(128 + sig.getNumber());
                    signals.stopped.countDown();
                    onFirst.run();
                }));
            } catch (IllegalArgumentException unsupported) {
                // no such signal on this platform
            }
        }
        return signals;
    }

    /** Whether a signal came. */
    @Override
    public boolean getAsBoolean() {
        return stop.get();
    }

    /** The flag itself, for work that takes one (set by the first signal; never cleared). */
    AtomicBoolean flag() {
        return stop;
    }

    /** Waits up to {@code millis} for a signal; true when one came. */
    boolean await(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * What {@code work} answers, worked on a thread of its own so that a signal ends the wait for it: empty when a
     * signal came first. For read-only work (listing inputs, a first look at results) that does not heed an interrupt,
     * as a folder walk does not: it is left to the process's end, having written nothing.
     */
    <T> Optional<T> unlessStopped(Callable<T> work) throws InterruptedException {
        FutureTask<T> task = new FutureTask<>(work);
        Thread t = new Thread(task, "moodtag-listing");
        t.setDaemon(true);
        t.start();
        while (true) {
            if (stop.get()) {
                task.cancel(true);
                return Optional.empty();
            }
            try {
                return Optional.of(task.get(50, TimeUnit.MILLISECONDS));
            } catch (TimeoutException notYet) {
                // look at the flag again
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        before.forEach(Signal::handle);
    }
}
