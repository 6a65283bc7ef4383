package dev.moodtag.tagging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The function's Micrometer meters (Prometheus at {@code /q/metrics}): events by outcome, per-stage latency
 * histograms, encoder runs by execution provider, bytes read.
 */
@Singleton
@Startup // created at start, so that the counters registered below are on /q/metrics before the first event
public class FunctionMetrics {

    private final MeterRegistry registry;
    private final Counter bytes;
    private final Counter internalErrors;

    public FunctionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytes = Counter.builder("moodtag.bytes.read").baseUnit("bytes")
                .description("Media bytes read from storage").register(registry);
        // At 0 from the start: a counter that appears with its first increment gives an alert on its increase
        // nothing to compare that first one with, and /q/metrics did not list it until then.
        this.internalErrors = Counter.builder("moodtag.internal.errors")
                .description("Objects whose work failed unexpectedly (error kind internal)").register(registry);
    }

    /** One object of an event, by outcome ({@code processed}, {@code ignored}, ...) and result status. */
    public void object(String outcome, String status) {
        Counter.builder("moodtag.objects").description("Objects named by events, by outcome")
                .tag("outcome", outcome).tag("status", status == null ? "none" : status).register(registry).increment();
    }

    /** One request, by HTTP-level outcome ({@code ok}, {@code bad_event}, {@code retry}, {@code over_limit}). */
    public void request(String outcome) {
        Counter.builder("moodtag.events").description("Events and requests received, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /**
     * An unexpected failure (a bug, an ONNX Runtime error) while working on one object; its result is an error of
     * kind {@code internal}. Alert on this: retrying does not help, fixing does.
     */
    public void internalError() {
        internalErrors.increment();
    }

    public void stage(String stage, double millis) {
        Timer.builder("moodtag.stage.duration").description("Latency of one pipeline stage per object")
                .tag("stage", stage).publishPercentileHistogram().register(registry)
                .record(Duration.ofNanos((long) (millis * 1e6)));
    }

    public void encoderRun(String encoder, String provider, String precision) {
        Counter.builder("moodtag.encoder.runs").description("Encoder runs, by execution provider that really ran")
                .tag("encoder", encoder).tag("provider", provider).tag("precision", precision)
                .register(registry).increment();
    }

    public void bytesRead(long n) {
        bytes.increment(n);
    }
}
