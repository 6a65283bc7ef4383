package dev.moodtag.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    @Override
    public void close() {
        before.forEach(Signal::handle);
    }
}
