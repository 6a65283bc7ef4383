package dev.moodtag.publish;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code moodtag tag SOURCE --publish URL}: how fast and how persistently objects are sent as CloudEvents to a
 * Knative Broker (or any CloudEvents sink). The flags {@code --rate} and {@code --max-in-flight} override the first two.
 */
@ConfigMapping(prefix = "moodtag.publish")
public interface PublishConfig {

    /**
     * Events started per second at most. A Broker accepts far more; the bound keeps a publish of 100,000 objects from
     * flooding the Broker's channel and the autoscaler with one burst.
     */
    @WithDefault("20")
    double rate();

    /** Events sent and not yet answered, at most (retries waiting for their backoff count). */
    @WithDefault("8")
    int maxInFlight();

    /** Attempts per event before it is reported as failed to publish (429, 408, 5xx and connection errors are retried). */
    @WithDefault("8")
    int maxAttempts();

    /** Backoff before the second attempt; doubled per attempt, up to {@link #maxBackoff()}, with full jitter. */
    @WithDefault("PT0.5S")
    Duration initialBackoff();

    @WithDefault("PT30S")
    Duration maxBackoff();

    /** A sink's {@code Retry-After} is honoured up to this; a longer one is cut to it (as Knative's retryAfterMax). */
    @WithDefault("PT60S")
    Duration retryAfterMax();

    /**
     * How long one attempt may wait for the answer, its body included (as far as it is read). A Broker answers at once (202); {@code moodtag serve} as the sink
     * answers when the object is tagged, which takes as long as the Knative Service's {@code timeoutSeconds} allows.
     * Ctrl-C does not wait it out: the attempt in flight is cancelled and its event left to the next publish.
     */
    @WithDefault("PT5M")
    Duration requestTimeout();

    @WithDefault("PT10S")
    Duration connectTimeout();

    /** The CloudEvent type: the one the {@code moodtag-requests} Trigger in deploy/knative/triggers.yaml routes. */
    @WithDefault("dev.moodtag.request")
    String eventType();

    /** The CloudEvent source attribute. */
    @WithDefault("moodtag/publish")
    String eventSource();
}
