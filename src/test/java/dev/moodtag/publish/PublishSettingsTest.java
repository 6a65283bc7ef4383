package dev.moodtag.publish;

import dev.moodtag.support.SettingOutOfRange;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timeouts the HTTP client would refuse only when it used them are refused before anything is sent, naming the key:
 * a request timeout of zero failed in a worker and ended the publish part-way with a stack trace (found by a review of
 * every setting).
 */
class PublishSettingsTest {

    @Test
    void timeoutsThatAreNotPositiveAndNegativeBackoffsAreRefusedNamingTheKey() {
        Map<String, String> bad = Map.of("moodtag.publish.request-timeout", "PT0S", "moodtag.publish.connect-timeout", "-PT1S",
                "moodtag.publish.initial-backoff", "-PT1S", "moodtag.publish.max-backoff", "-PT2S",
                "moodtag.publish.retry-after-max", "-PT3S");
        for (Map.Entry<String, String> setting : bad.entrySet()) {
            PublishConfig config = new SmallRyeConfigBuilder().withMapping(PublishConfig.class)
                    .withDefaultValue(setting.getKey(), setting.getValue()).build().getConfigMapping(PublishConfig.class);
            ArchivePublisher publisher = new ArchivePublisher(null, null, config);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> publisher.publish(List.of(),
                    new ArchivePublisher.Options(URI.create("http://127.0.0.1:9/"), Optional.empty(), Optional.empty(), false),
                    null, (r, d, t) -> { }, new AtomicBoolean()), setting.toString());
            assertTrue(e.getMessage().contains(setting.getKey()), setting + ": " + e.getMessage());
        }
    }

    /**
     * Every request or connect timeout is either refused before anything is sent, naming the key, the bound and the
     * value, or one under which a real sink's 202 is heard (found by a grid over every setting's extremes): one past a
     * long's seconds was accepted, and every attempt then failed as "long overflow", as if the sink could not be
     * reached, or waited for ever for an answer the sink had sent. The client and sender are built as the publish
     * builds them.
     */
    @Test
    void everyTimeoutIsRefusedBeforeSendingOrAnEventIsAcceptedUnderIt() throws InterruptedException {
        Duration longest = Duration.ofDays(1);
        List<Duration> grid = List.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(Long.MIN_VALUE),
                Duration.ofSeconds(1), Duration.ofMinutes(5), longest, longest.plusNanos(1), Duration.ofDays(99_999),
                Duration.ofNanos(Long.MAX_VALUE), Duration.ofMillis(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE / 1000),
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
        List<String> bad = new ArrayList<>();
        int cases = 0, refused = 0;
        try (AcceptingSink sink = AcceptingSink.start()) {
            ArchivePublisher.Options options = new ArchivePublisher.Options(sink.uri(), Optional.empty(), Optional.empty(), false);
            for (String key : List.of("moodtag.publish.request-timeout", "moodtag.publish.connect-timeout")) {
                for (Duration value : grid) {
                    cases++;
                    PublishConfig config = new SmallRyeConfigBuilder().withMapping(PublishConfig.class)
                            .withDefaultValue(key, value.toString()).build().getConfigMapping(PublishConfig.class);
                    try {
                        ArchivePublisher.checkSettings(config, options);
                    } catch (SettingOutOfRange e) {
                        refused++;
                        if (!e.getMessage().contains(key + " must be positive") || !e.getMessage().contains(", not " + value))
                            bad.add(key + "=" + value + " refused as: " + e.getMessage());
                        continue;
                    }
                    HttpClient client = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER).build();
                    CloudEventSender sender = new CloudEventSender(client, sink.uri(), new RateLimit(1000),
                            new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), 1, config.requestTimeout());
                    CloudEventSender.Event event = new CloudEventSender.Event("id-" + cases, "t", "s", "s3://media/a.wav", "{}");
                    // The sink answers at once: an attempt still waiting after this long waits for nothing
                    CompletableFuture<CloudEventSender.Sent> sending = CompletableFuture.supplyAsync(() -> {
                        try {
                            return sender.send(event, new AtomicBoolean());
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    try {
                        CloudEventSender.Sent sent = sending.get(20, TimeUnit.SECONDS);
                        if (sent.state() != PublishState.PUBLISHED) bad.add(key + "=" + value + " accepted, then: " + sent);
                    } catch (TimeoutException e) {
                        bad.add(key + "=" + value + " accepted, then the event waited 20 s for an answer the sink had sent");
                    } catch (ExecutionException e) {
                        bad.add(key + "=" + value + " accepted, then: " + e.getCause());
                    }
                }
            }
        }
        assertEquals(List.of(), bad, bad.size() + " of " + cases + " timeouts");
        assertEquals(2 * 9, refused, "each key: three not positive, six past the bound");
    }
    /**
     * Every max-attempts is either refused before anything is sent, naming the key, the range and the value, or one
     * under which an event for a sink that cannot be reached (a closed port, answered at once, retried without backoff)
     * ends as failed within 20 s: 2147483647 was accepted and retried such a sink for as long as the process lived.
     */
    @Test
    void everyMaxAttemptsIsRefusedBeforeSendingOrAnEventForADeadSinkEnds() throws Exception {
        URI dead;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = URI.create("http://127.0.0.1:" + closed.getLocalPort() + "/");
        }
        ArchivePublisher.Options options = new ArchivePublisher.Options(dead, Optional.empty(), Optional.empty(), false);
        String key = "moodtag.publish.max-attempts";
        List<String> bad = new ArrayList<>();
        int refused = 0;
        List<Integer> grid = List.of(Integer.MIN_VALUE, -1, 0, 1, 2, 8, 100, 101, 1000, 1_000_000, Integer.MAX_VALUE - 1,
                Integer.MAX_VALUE);
        for (int value : grid) {
            PublishConfig config = new SmallRyeConfigBuilder().withMapping(PublishConfig.class)
                    .withDefaultValue(key, String.valueOf(value)).build().getConfigMapping(PublishConfig.class);
            try {
                ArchivePublisher.checkSettings(config, options);
            } catch (SettingOutOfRange e) {
                refused++;
                if (!e.getMessage().equals(key + " must be within 1..100, not " + value))
                    bad.add(value + " refused as: " + e.getMessage());
                continue;
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            CloudEventSender sender = new CloudEventSender(client, dead, new RateLimit(1e6),
                    new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), config.maxAttempts(),
                    config.requestTimeout());
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<CloudEventSender.Sent> sending = CompletableFuture.supplyAsync(() -> {
                try {
                    return sender.send(new CloudEventSender.Event("id-" + value, "t", "s", "s3://media/a.wav", "{}"), stop);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                CloudEventSender.Sent sent = sending.get(20, TimeUnit.SECONDS);
                if (sent.state() != PublishState.FAILED || sent.attempts() != value)
                    bad.add(value + " accepted, then: " + sent);
            } catch (TimeoutException e) {
                stop.set(true);
                bad.add(value + " accepted, then the event for a dead sink was still being retried after 20 s");
            }
        }
        assertEquals(List.of(), bad, bad.size() + " of " + grid.size() + " max-attempts");
        assertEquals(8, refused, "three under 1, five over 100");
    }

    /**
     * Events in flight, as the setting and as --max-in-flight, are refused beyond 1..1000 before anything is sent,
     * naming the key or option, the range and the value: the publish starts one thread per event in flight up to the
     * number of objects, and 1000000 with 20,000 objects to a sink answering in a second had started 17,840 threads
     * (1.26 GB resident) and was not done after 120 s, where 1000 finished in 27 s with 1,269 threads.
     */
    @Test
    void eventsInFlightBeyondTheRangeAreRefusedAsTheSettingAndAsTheOption() {
        List<Integer> grid = List.of(Integer.MIN_VALUE, -1, 0, 1, 2, 8, 999, 1000, 1001, 20_000, 1_000_000,
                Integer.MAX_VALUE);
        String key = "moodtag.publish.max-in-flight";
        List<String> bad = new ArrayList<>();
        int refused = 0;
        for (int value : grid) {
            boolean inRange = value >= 1 && value <= 1000;
            PublishConfig config = new SmallRyeConfigBuilder().withMapping(PublishConfig.class)
                    .withDefaultValue(key, String.valueOf(value)).build().getConfigMapping(PublishConfig.class);
            URI sink = URI.create("http://127.0.0.1:9/");
            try {
                ArchivePublisher.checkSettings(config, new ArchivePublisher.Options(sink, Optional.empty(), Optional.empty(), false));
                if (!inRange) bad.add(key + "=" + value + " accepted");
            } catch (SettingOutOfRange e) {
                refused++;
                if (inRange || !e.getMessage().equals(key + " must be within 1..1000, not " + value))
                    bad.add(key + "=" + value + " refused as: " + e.getMessage());
            }
            // The option replaces the setting, which is then not checked
            PublishConfig defaults = new SmallRyeConfigBuilder().withMapping(PublishConfig.class).build()
                    .getConfigMapping(PublishConfig.class);
            try {
                int used = ArchivePublisher.inFlight(defaults, new ArchivePublisher.Options(sink, Optional.empty(),
                        Optional.of(value), false));
                if (!inRange || used != value) bad.add("--max-in-flight " + value + " accepted as " + used);
            } catch (IllegalArgumentException e) {
                refused++;
                if (inRange || !e.getMessage().equals("--max-in-flight must be within 1..1000, not " + value))
                    bad.add("--max-in-flight " + value + " refused as: " + e.getMessage());
            }
        }
        assertEquals(List.of(), bad, bad.size() + " of " + 2 * grid.size() + " events in flight");
        assertEquals(2 * 7, refused, "three under 1 and four over 1000, as setting and as option");
    }
}
