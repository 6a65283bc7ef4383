package dev.moodtag.function;

import dev.moodtag.tagging.FunctionConfig;
import dev.moodtag.tagging.FunctionMetrics;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.Semaphore;

/**
 * At most {@code moodtag.function.max-concurrent} events are processed at once (Knative's
 * {@code containerConcurrency}); more are answered at once with 429 and {@code Retry-After} instead of queueing
 * decoded media in memory. Health and metrics ({@code /q/...}) are never limited.
 */
@ApplicationScoped
public class ConcurrencyLimit {

    private static final Logger LOG = Logger.getLogger(ConcurrencyLimit.class);

    private final Semaphore permits;
    private final int limit;
    private final long retryAfterSeconds;
    private final FunctionMetrics metrics;

    public ConcurrencyLimit(FunctionConfig config, FunctionMetrics metrics) {
        this.limit = Math.max(1, config.maxConcurrent());
        this.permits = new Semaphore(limit);
        this.retryAfterSeconds = Math.max(1, config.retryAfter().toSeconds());
        this.metrics = metrics;
        HttpAnswer.retryAfterSeconds = retryAfterSeconds;
    }

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            if (ctx.request().method() != HttpMethod.POST || ctx.normalizedPath().startsWith("/q/")) {
                ctx.next();
                return;
            }
            if (!permits.tryAcquire()) {
                metrics.request("over_limit");
                LOG.debugf("over the concurrency limit of %d: answered 429", limit);
                ctx.response().setStatusCode(429).putHeader("Retry-After", Long.toString(retryAfterSeconds))
                        .putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"busy: " + limit + " events in progress (moodtag.function.max-concurrent); retry later\"}");
                return;
            }
            ctx.addEndHandler(done -> permits.release());
            ctx.addHeadersEndHandler(v -> HttpAnswer.apply(ctx));
            ctx.next();
        }, 100);
    }

    /** Events being processed now. */
    public int inFlight() {
        return limit - permits.availablePermits();
    }
}
