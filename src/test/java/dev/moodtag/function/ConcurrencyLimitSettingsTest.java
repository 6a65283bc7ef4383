package dev.moodtag.function;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.tagging.FunctionConfig;
import dev.moodtag.tagging.FunctionMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * max-concurrent under 1 is refused at start-up: Knative's containerConcurrency 0 means unlimited, and moodtag quietly
 * took it as 1, so every request but one got 429 (found by a review of every setting).
 */
class ConcurrencyLimitSettingsTest {

    private static ConcurrencyLimit limit(String maxConcurrent) {
        return limit("moodtag.function.max-concurrent", maxConcurrent);
    }

    /** The limit as the function builds it, once its settings have passed the check made at start. */
    private static ConcurrencyLimit limit(String key, String value) {
        FunctionConfig config = new SmallRyeConfigBuilder().withMapping(FunctionConfig.class)
                .withDefaultValue(key, value).build().getConfigMapping(FunctionConfig.class);
        ConcurrencyLimit.checkSettings(config);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        return new ConcurrencyLimit(config, new FunctionMetrics(registry), registry);
    }

    @Test
    void aLimitUnderOneIsRefusedNamingTheKey() {
        assertDoesNotThrow(() -> limit("1"));
        for (String v : new String[]{"0", "-3", String.valueOf(Integer.MIN_VALUE)}) {
            SettingOutOfRange e = assertThrows(SettingOutOfRange.class, () -> limit(v));
            assertTrue(e.getMessage().startsWith("moodtag.function.max-concurrent must be at least 1")
                    && e.getMessage().endsWith("not " + v), e.getMessage());
        }
    }

    /**
     * max-objects-per-event under 1 made every event "more than moodtag.function.max-objects-per-event": answered 400,
     * which a platform dead-letters, so a deployment's mistake lost every event instead of stopping the start.
     */
    @Test
    void aLimitOfObjectsPerEventUnderOneIsRefusedNamingTheKey() {
        assertDoesNotThrow(() -> limit("moodtag.function.max-objects-per-event", "1"));
        for (String v : new String[]{"0", "-1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> limit("moodtag.function.max-objects-per-event", v), v);
            assertTrue(e.getMessage().contains("moodtag.function.max-objects-per-event"), e.getMessage());
        }
    }

    /**
     * A negative shutdown grace was taken as no wait: SIGTERM closed the models under the recognitions in flight, a
     * deployment's typo ("-PT25S") silently losing their answers. Refused at start naming the key; zero (no wait, said
     * so) and the default stay accepted.
     */
    @Test
    void aNegativeShutdownGraceIsRefusedNamingTheKey() {
        for (String v : new String[]{"PT0S", "PT25S", "PT0.001S"})
            assertDoesNotThrow(() -> limit("moodtag.function.shutdown-grace", v), v);
        for (String v : new String[]{"-PT25S", "PT-1S", "-PT0.000000001S", "PT-" + Long.MAX_VALUE + "S"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> limit("moodtag.function.shutdown-grace", v), v);
            assertTrue(e.getMessage().contains("moodtag.function.shutdown-grace"), e.getMessage());
        }
    }

    /**
     * A shutdown grace longer than a long counts in milliseconds (about 292 million years, "as long as it takes")
     * threw ArithmeticException from the drain, in the SIGTERM handler: the previous handler was never called, and the
     * process no longer stopped on SIGTERM. With nothing in flight the drain now ends at once, whatever the grace.
     */
    @Test
    void aDrainEndsWhateverTheGrace() throws InterruptedException {
        for (java.time.Duration grace : new java.time.Duration[]{java.time.Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
                java.time.Duration.ofSeconds(Long.MAX_VALUE / 1000 + 1), java.time.Duration.ofHours(2562048),
                java.time.Duration.ZERO, java.time.Duration.ofSeconds(-5)}) {
            assertTrue(limit("1").drain(grace), "grace " + grace);
        }
    }

    /**
     * A retry-after under one second was sent as "Retry-After: 1" whatever it said (a typo "-PT30S" asked clients to
     * come back at once, 30 times as often as meant): refused at start naming the key; one second and more stay as sent
     * (whole seconds, rounded down, as the header counts).
     */
    @Test
    void aRetryAfterUnderOneSecondIsRefusedNamingTheKey() {
        List<String> accepted = new ArrayList<>();
        for (String v : new String[]{"PT0S", "PT0.999S", "-PT1S", "-PT30S", "-PT2562047788015215H"}) {
            try {
                limit("moodtag.function.retry-after", v);
                accepted.add(v + " sent as Retry-After: " + HttpAnswer.retryAfterSeconds);
            } catch (SettingOutOfRange e) {
                assertTrue(e.getMessage().contains("moodtag.function.retry-after must be at least PT1S"), e.getMessage());
            }
        }
        assertEquals(List.of(), accepted, "retry-after under one second accepted at start");
        for (String v : new String[]{"PT1S", "PT5S", "PT1.9S", "PT60S", "PT10M"}) {
            limit("moodtag.function.retry-after", v);
            assertEquals(Duration.parse(v).toSeconds(), HttpAnswer.retryAfterSeconds, v);
        }
        limit("moodtag.function.retry-after", "PT5S"); // as the other tests expect
    }

    /**
     * A retry-after or shutdown grace past any real need had no upper bound: a typo such as PT3000H was accepted, and
     * told every caller turned away to come back in four months, or waited for recognitions far past the moment the
     * platform kills the pod. Both are refused above PT10M at start, naming the key, the bound and the value; the bound
     * itself and the values deploy/knative relies on stay accepted.
     */
    @Test
    void aRetryAfterOrShutdownGracePastTenMinutesIsRefusedNamingTheKey() {
        List<String> accepted = new ArrayList<>();
        for (String key : new String[]{"moodtag.function.retry-after", "moodtag.function.shutdown-grace"}) {
            for (String v : new String[]{"PT10M0.001S", "PT601S", "PT1H", "PT24H", "PT3000H", "P365D",
                    "PT" + Long.MAX_VALUE + "S"}) {
                try {
                    limit(key, v);
                    accepted.add(key + "=" + v);
                } catch (SettingOutOfRange e) {
                    assertTrue(e.getMessage().contains(key + " must be at most PT10M")
                            && e.getMessage().contains("not " + Duration.parse(v)), e.getMessage());
                }
            }
            for (String v : new String[]{"PT10M", "PT600S", "PT1S", "PT25S", "PT5M"}) assertDoesNotThrow(() -> limit(key, v), v);
        }
        limit("moodtag.function.retry-after", "PT5S"); // as the other tests expect
        assertEquals(List.of(), accepted, "retry-after or shutdown-grace past ten minutes accepted at start");
    }

    /**
     * The Knative Services in deploy/ give a pod its revision's timeoutSeconds as its grace period: the shutdown grace
     * they run with (the default, or the one they set) must stay under it, and the timeout within what the bound
     * allows, or the bound and the manifests tell the deployer different things.
     */
    @Test
    void theDeployedServicesGrantMoreThanTheShutdownGraceTheyRunWith() throws java.io.IOException {
        Duration grace = defaultShutdownGrace();
        List<java.nio.file.Path> services = List.of(java.nio.file.Path.of("deploy/knative/service-cpu.yaml"),
                java.nio.file.Path.of("deploy/knative/service-gpu.yaml"));
        for (java.nio.file.Path service : services) {
            String yaml = java.nio.file.Files.readString(service);
            java.util.regex.Matcher timeout = java.util.regex.Pattern.compile("(?m)^\\s*timeoutSeconds:\\s*(\\d+)\\s*$")
                    .matcher(yaml);
            assertTrue(timeout.find(), service + " sets no timeoutSeconds");
            Duration granted = Duration.ofSeconds(Long.parseLong(timeout.group(1)));
            java.util.regex.Matcher set = java.util.regex.Pattern.compile(
                    "MOODTAG_FUNCTION_SHUTDOWN_GRACE\\s*\\n\\s*value:\\s*\"?([^\"\\s]+)").matcher(yaml);
            Duration runs = set.find() ? Duration.parse(set.group(1)) : grace;
            assertTrue(runs.compareTo(granted) < 0, service + ": shutdown grace " + runs + " is not under " + granted);
            assertTrue(granted.compareTo(ConcurrencyLimit.MAX_SHUTDOWN_GRACE) <= 0,
                    service + ": timeoutSeconds past the shutdown grace's bound " + ConcurrencyLimit.MAX_SHUTDOWN_GRACE);
        }
    }

    private static Duration defaultShutdownGrace() {
        return new SmallRyeConfigBuilder().withMapping(FunctionConfig.class).build().getConfigMapping(FunctionConfig.class)
                .shutdownGrace();
    }
}
