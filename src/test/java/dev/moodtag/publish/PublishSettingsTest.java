package dev.moodtag.publish;

import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

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
}
