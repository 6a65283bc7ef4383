package dev.moodtag.function;

import dev.moodtag.tagging.FunctionConfig;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * On shutdown (SIGTERM: Knative scales a revision down this way), stops starting work and lets the recognitions in
 * flight finish, up to {@code moodtag.function.shutdown-grace}, before the beans go: the encoders' ONNX Runtime
 * sessions are closed by their {@code @PreDestroy}, which runs after this observer returns. New events meanwhile
 * get 503 with {@code Retry-After} and readiness goes down.
 * <p>
 * Quarkus's own {@code quarkus.shutdown.timeout} waits for HTTP requests, and a request ends when its client hangs up
 * while its recognition runs on; this waits for the recognitions themselves ({@link ConcurrencyLimit}'s permits).
 * <p>
 * Waiting in a shutdown observer is not enough on its own: ONNX Runtime's {@code OrtEnvironment} registers a JVM
 * shutdown hook of its own that releases the native environment, and JVM hooks run concurrently with Quarkus's, so
 * sessions still running crashed the JVM (SIGSEGV in libonnxruntime, seen on {@code kill -TERM} of
 * {@code moodtag serve}). So the server also handles SIGTERM itself: drain first, then exit the way the JVM would have.
 */
@ApplicationScoped
public class GracefulDrain {

    private static final Logger LOG = Logger.getLogger(GracefulDrain.class);

    private final ConcurrencyLimit limit;
    private final FunctionConfig config;

    public GracefulDrain(ConcurrencyLimit limit, FunctionConfig config) {
        this.limit = limit;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event,
                 @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true") boolean serving) {
        if (!serving) return; // CLI commands: nothing of theirs is drained here
        try {
            Signal term = new Signal("TERM");
            SignalHandler[] previous = new SignalHandler[1];
            previous[0] = Signal.handle(term, signal -> {
                drain(config.shutdownGrace());
                try {
                    previous[0].handle(signal);
                } catch (RuntimeException notJava) {
                    System.exit(128 + signal.getNumber()); // SIG_DFL cannot be invoked; this is what it does
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warnf("SIGTERM not handled (%s): recognitions in flight may be cut short on shutdown", e.getMessage());
        }
    }

    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        drain(config.shutdownGrace());
    }

    /** @return whether every recognition in flight ended within {@code grace} */
    public boolean drain(Duration grace) {
        int running = limit.inFlight();
        if (running > 0) LOG.infof("shutting down: waiting up to %s for %d recognition(s) in flight", grace, running);
        long t0 = System.nanoTime();
        try {
            boolean idle = limit.drain(grace);
            if (!idle) LOG.warnf("shutting down with %d recognition(s) still running after %s "
                    + "(moodtag.function.shutdown-grace): their events are not answered and will be redelivered", limit.inFlight(), grace);
            else if (running > 0) LOG.infof("drained in %.0f ms", (System.nanoTime() - t0) / 1e6);
            return idle;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean draining() {
        return limit.draining();
    }
}
