package dev.moodtag.storage;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code moodtag.storage.s3.*} timeout is either refused where the store is built, as a setting out of range
 * naming the key, the bound and the value, or one a real read through the SDK completes under (found by a grid over
 * every setting's extremes): one past a long's milliseconds (call and attempt timeouts) or nanoseconds (read timeout)
 * was accepted and then threw ArithmeticException in every call, and a timeout that is not positive was refused as a
 * plain IllegalArgumentException naming all three keys, which the function called "model pack failed to load".
 */
class S3TimeoutSettingsTest {

    /** The longest timeout, written out here so that the grid runs unchanged against code without the bound. */
    private static final Duration LONGEST = Duration.ofDays(1);
    private static final byte[] BODY = "three".getBytes(StandardCharsets.US_ASCII);

    private FakeS3 fake;

    @AfterEach
    void close() throws IOException {
        if (fake != null) fake.close();
    }

    /** The grid: the ends of the range, each side of the bound, and the durations past what a long counts. */
    static List<Duration> grid() {
        return List.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(-30), Duration.ofSeconds(Long.MIN_VALUE),
                Duration.ofSeconds(1), Duration.ofSeconds(20), LONGEST, LONGEST.plusNanos(1), Duration.ofDays(99_999), Duration.ofNanos(Long.MAX_VALUE),
                Duration.ofNanos(Long.MAX_VALUE).plusNanos(1), Duration.ofMillis(Long.MAX_VALUE).plusMillis(1),
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
    }

    @Test
    void everyTimeoutIsRefusedAtStartNamingItOrAReadCompletesUnderIt() throws IOException {
        fake = new FakeS3((method, path, socket, out) -> FakeS3.send(out, 200, "ETag: \"e\"\r\n", BODY));
        List<String> keys = List.of("call-timeout", "attempt-timeout", "read-timeout");
        List<String> bad = new ArrayList<>();
        int cases = 0, refused = 0;
        for (String key : keys) {
            for (Duration value : grid()) {
                cases++;
                Duration[] t = {Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMinutes(10)};
                t[keys.indexOf(key)] = value;
                S3ObjectStorage store;
                try {
                    store = fake.store(Duration.ofSeconds(5), t[0], t[1], t[2]);
                } catch (SettingOutOfRange e) {
                    refused++;
                    if (!e.getMessage().contains("moodtag.storage.s3." + key + " must be positive")
                            || !e.getMessage().contains(", not " + value))
                        bad.add(key + "=" + value + " refused as: " + e.getMessage());
                    continue;
                } catch (RuntimeException e) {
                    bad.add(key + "=" + value + " refused, not as a setting: " + e);
                    continue;
                }
                try {
                    byte[] read = store.read(ObjectRef.s3("media", "clips/a.wav"), (in, announced) -> in.readAllBytes());
                    if (read.length != BODY.length) bad.add(key + "=" + value + " read " + read.length + " bytes");
                } catch (RuntimeException e) {
                    bad.add(key + "=" + value + " accepted, then the read failed: " + e);
                }
            }
        }
        assertEquals(List.of(), bad, bad.size() + " of " + cases + " timeouts");
        assertEquals(3 * 10, refused, "each key: four not positive, six past the bound");
    }

    /** Configured as a deployment does: every key out of range in one line, the function's start check included. */
    @Test
    void theCheckAtStartNamesEveryTimeoutOutOfRange() {
        StorageConfig config = Settings.mapped(StorageConfig.class, "moodtag.storage.s3.call-timeout", "PT0S",
                "moodtag.storage.s3.attempt-timeout", "PT9223372036854775807S", "moodtag.storage.s3.read-timeout", "-PT10M");
        SettingOutOfRange e = assertThrows(SettingOutOfRange.class, () -> S3ObjectStorage.checkSettings(config));
        assertEquals(3, e.getMessage().split("; ").length, e.getMessage());
        for (Map.Entry<String, String> k : Map.of("call-timeout", "PT0S", "attempt-timeout", "PT2562047788015215H30M7S",
                "read-timeout", "PT-10M").entrySet())
            assertTrue(e.getMessage().contains("moodtag.storage.s3." + k.getKey() + " must be positive and at most PT24H, not "
                    + k.getValue()), e.getMessage());
        S3ObjectStorage.checkSettings(Settings.mapped(StorageConfig.class)); // the defaults
    }
}
