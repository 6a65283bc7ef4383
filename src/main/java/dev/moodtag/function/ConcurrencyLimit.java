package dev.moodtag.function;

import dev.moodtag.tagging.FunctionConfig;
import dev.moodtag.tagging.FunctionMetrics;
import dev.moodtag.support.SettingOutOfRange;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code moodtag.function.max-concurrent} events are worked on at once (Knative's
 * {@code containerConcurrency}); more are answered at once with 429 and {@code Retry-After} instead of queueing
 * decoded media in memory. Health and metrics ({@code /q/...}) are never limited.
 * <p>
 * A permit belongs to the work, not to the connection: the function takes it ({@link #tryStart()}) on the thread
 * that runs the recognition and gives it back when that work ends, so a client that hangs up does not free a slot
 * while its recognition runs on. The HTTP filter only turns requests away early when no permit is free. One event
 * holds one permit and works on its objects one after another, so recognitions in flight never exceed the limit.
 * Readiness ({@code inFlight}) and the gauges {@code moodtag.recognitions.in.flight} and {@code ...peak} count
 * these permits.
 */
@ApplicationScoped
public class ConcurrencyLimit {

    private static final Logger LOG = Logger.getLogger(ConcurrencyLimit.class);

    /** The longest shutdown grace: Knative's default max-revision-timeout-seconds (FunctionConfig#shutdownGrace). */
    static final Duration MAX_SHUTDOWN_GRACE = Duration.ofMinutes(10);
    /** The longest Retry-After: ten times what deploy/knative's brokers honour (FunctionConfig#retryAfter). */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    private final Semaphore permits;
    private final int limit;
    private final long retryAfterSeconds;
    private final FunctionMetrics metrics;
    private final AtomicInteger running = new AtomicInteger(), peak = new AtomicInteger();
    private volatile boolean draining;
    private boolean drainEnded, drainedAll;

    public ConcurrencyLimit(FunctionConfig config, FunctionMetrics metrics, MeterRegistry registry) {
        // Out of range only in a process that is never ready (checkSettings, called by FunctionStartup), which answers
        // every event 503 before it asks for a permit. This bean is still built there, by Vert.x while it sets up HTTP
        // and by the probes, so it takes a limit a semaphore can hold rather than throwing: a throw from here stopped
        // Quarkus with a stack trace instead of the one line that names the setting.
        this.limit = Math.max(1, config.maxConcurrent());
        this.permits = new Semaphore(limit);
        this.retryAfterSeconds = Math.max(1, config.retryAfter().toSeconds());
        this.metrics = metrics;
        HttpAnswer.retryAfterSeconds = retryAfterSeconds;
        Gauge.builder("moodtag.recognitions.in.flight", this, ConcurrencyLimit::inFlight)
                .description("Events being worked on now (each holds one permit of moodtag.function.max-concurrent)")
                .register(registry);
        Gauge.builder("moodtag.recognitions.in.flight.peak", peak, AtomicInteger::get)
                .description("Most events worked on at once since the process started").register(registry);
    }

    /**
     * The function's own limits out of range, refused at start naming the setting, the function then never ready
     * ({@code FunctionStartup}); every one that is wrong is named at once.
     */
    public static void checkSettings(FunctionConfig config) {
        List<String> wrong = new ArrayList<>();
        // Knative's containerConcurrency 0 means unlimited; here it was quietly 1, and every other request got 429
        if (config.maxConcurrent() < 1)
            wrong.add("moodtag.function.max-concurrent must be at least 1 (set it to the Knative Service's "
                    + "containerConcurrency, which must not be 0), not " + config.maxConcurrent());
        // Under 1, every event named "more objects than allowed" was answered 400 and dead-lettered: the deployment's
        // mistake lost the events instead of stopping the start
        if (config.maxObjectsPerEvent() < 1)
            wrong.add("moodtag.function.max-objects-per-event must be at least 1, not " + config.maxObjectsPerEvent());
        // A negative grace was taken as no wait: SIGTERM closed the models under the recognitions in flight
        if (config.shutdownGrace().isNegative())
            wrong.add("moodtag.function.shutdown-grace must not be negative (PT0S for no wait), not " + config.shutdownGrace());
        // Past what any pod is granted (the kubelet kills it first), a typo such as PT3000H passed for a deliberate wait
        if (config.shutdownGrace().compareTo(MAX_SHUTDOWN_GRACE) > 0)
            wrong.add("moodtag.function.shutdown-grace must be at most " + MAX_SHUTDOWN_GRACE + " (Knative grants a pod no "
                    + "more by default; keep it below the revision's timeoutSeconds), not " + config.shutdownGrace());
        // Under a second it was sent as "Retry-After: 1" whatever it said: a typo "-PT30S" had clients back 30 times as often
        if (config.retryAfter().compareTo(Duration.ofSeconds(1)) < 0)
            wrong.add("moodtag.function.retry-after must be at least PT1S (sent in whole seconds), not " + config.retryAfter());
        // A typo such as PT3000H told every client turned away to come back in four months
        if (config.retryAfter().compareTo(MAX_RETRY_AFTER) > 0)
            wrong.add("moodtag.function.retry-after must be at most " + MAX_RETRY_AFTER + " (Knative's delivery cuts a "
                    + "longer Retry-After to its retryAfterMax, PT60S in deploy/knative), not " + config.retryAfter());
        if (!wrong.isEmpty()) throw new SettingOutOfRange(String.join("; ", wrong));
    }

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            if (ctx.request().method() != HttpMethod.POST || ctx.normalizedPath().startsWith("/q/")) {
                ctx.next();
                return;
            }
            // An early answer that saves reading the body; the permit itself is taken by the work (tryStart).
            if (permits.availablePermits() == 0 && !draining) {
                metrics.request("over_limit");
                LOG.debugf("over the concurrency limit of %d: answered 429", limit);
                ctx.response().setStatusCode(429).putHeader("Retry-After", Long.toString(retryAfterSeconds))
                        .putHeader("Content-Type", "application/json")
                        .end(HttpAnswer.rejection(busyReason(), "retry"));
                return;
            }
            ctx.addHeadersEndHandler(v -> HttpAnswer.apply(ctx));
            ctx.next();
        }, 100);
    }

    /** A permit for the calling thread's work, or empty when all are taken or the process is shutting down. */
    public Optional<Permit> tryStart() {
        if (!permits.tryAcquire()) return Optional.empty();
        // Checked after taking the permit: a drain that began before sees this work in flight and waits for it.
        if (draining) {
            permits.release();
            return Optional.empty();
        }
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        return Optional.of(new Permit());
    }

    String busyReason() {
        return draining ? "shutting down: not starting new work; retry on another instance"
                : "busy: " + limit + " events in progress (moodtag.function.max-concurrent); retry later";
    }

    boolean draining() {
        return draining;
    }

    /**
     * Stops starting work and waits up to {@code grace} for the work in flight to end. Keeps every permit it got,
     * so nothing starts afterwards either.
     *
     * @return whether all work ended within {@code grace}
     */
    synchronized boolean drain(Duration grace) throws InterruptedException {
        draining = true;
        // Once only: SIGTERM drains, then the shutdown observer asks again and must not wait a second grace period.
        if (!drainEnded) {
            drainedAll = permits.tryAcquire(limit, waitNanos(grace), TimeUnit.NANOSECONDS);
            drainEnded = true;
        }
        return drainedAll;
    }

    /**
     * The grace in nanoseconds, a longer one as the longest wait there is: converted as it was, a grace past what a long
     * counts threw from the SIGTERM handler, which then never passed the signal on, and the process did not stop.
     */
    private static long waitNanos(Duration grace) {
        if (grace.isNegative()) return 0;
        try {
            return grace.toNanos();
        } catch (ArithmeticException longerThanALongCounts) {
            return Long.MAX_VALUE;
        }
    }

    /** Events being worked on now. */
    public int inFlight() {
        return running.get();
    }

    /** One event's hold on a slot; closing it (once) gives the slot back. */
    public final class Permit implements AutoCloseable {
        private final AtomicBoolean held = new AtomicBoolean(true);

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                running.decrementAndGet();
                permits.release();
            }
        }
    }
}
