package dev.moodtag.media;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sampling settings that would leave the video meaningless are refused when the decoder is built, naming the key:
 * max-frame-side 0 scaled every frame to 1x1, max-frames 0 kept one frame, video-fps 0 only the first (found by a
 * review of every setting; a user meaning "no limit" got labels from nothing).
 */
class MediaSettingsTest {

    @Test
    void settingsThatWouldEmptyTheVideoAreRefusedNamingTheKey() {
        assertDoesNotThrow(() -> new FfmpegMediaDecoder(TestMediaConfig.defaults()));
        List<TestMediaConfig> bad = List.of(
                new TestMediaConfig(0, 64, 640, 7680, Duration.ofMinutes(10), 2_147_483_648L, true, true),
                new TestMediaConfig(Double.NaN, 64, 640, 7680, Duration.ofMinutes(10), 2_147_483_648L, true, true),
                new TestMediaConfig(5, 0, 640, 7680, Duration.ofMinutes(10), 2_147_483_648L, true, true),
                new TestMediaConfig(5, 64, 0, 7680, Duration.ofMinutes(10), 2_147_483_648L, true, true),
                new TestMediaConfig(5, 64, 640, 0, Duration.ofMinutes(10), 2_147_483_648L, true, true),
                new TestMediaConfig(5, 64, 640, 7680, Duration.ZERO, 2_147_483_648L, true, true),
                new TestMediaConfig(5, 64, 640, 7680, Duration.ofMinutes(10), 0, true, true));
        List<String> keys = List.of("video-fps", "video-fps", "max-frames", "max-frame-side", "max-source-side",
                "max-duration", "max-file-bytes");
        for (int i = 0; i < bad.size(); i++) {
            TestMediaConfig c = bad.get(i);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FfmpegMediaDecoder(c), c.toString());
            assertTrue(e.getMessage().contains("moodtag.media." + keys.get(i)), c + ": " + e.getMessage());
        }
    }

    /**
     * Every max-duration either refused at start naming the key, the bound and the value, or one a real clip decodes
     * under: from one past a long's milliseconds (about 292 million years) up, each was accepted and every file then
     * failed with a stack trace of ArithmeticException once the models had loaded (found by a grid over every setting's
     * extremes). The grid: the ends of the range, each side of the bound, and durations of every size up to the largest.
     */
    @Test
    void everyMaxDurationIsRefusedAtStartOrDecodes() {
        List<Duration> grid = new ArrayList<>(List.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(-1),
                Duration.ofSeconds(Long.MIN_VALUE), Duration.ofNanos(1), Duration.ofSeconds(1), Duration.ofMinutes(10),
                Duration.ofDays(365), Duration.ofDays(365).plusNanos(1), Duration.ofDays(99_999),
                Duration.ofMillis(Long.MAX_VALUE), Duration.ofMillis(Long.MAX_VALUE).plusMillis(1),
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
        for (long seconds = 1; seconds > 0 && seconds < Long.MAX_VALUE / 1000; seconds *= 1000) grid.add(Duration.ofSeconds(seconds * 997));
        List<String> bad = new ArrayList<>();
        int refused = 0;
        for (Duration d : grid) {
            FfmpegMediaDecoder decoder;
            try {
                decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxDuration(d));
            } catch (SettingOutOfRange e) {
                refused++;
                if (!e.getMessage().contains("moodtag.media.max-duration must be positive") || !e.getMessage().endsWith(", not " + d))
                    bad.add(d + " refused as: " + e.getMessage());
                continue;
            }
            try {
                decoder.decode(Fixtures.sample("03a05Fc.wav"));
            } catch (RuntimeException e) {
                if (!(e instanceof MediaException m && m.kind() == MediaException.Kind.LIMIT_EXCEEDED))
                    bad.add(d + " accepted, then the clip failed with " + e);
            }
        }
        assertEquals(List.of(), bad, bad.size() + " of " + grid.size() + " max-durations");
        assertTrue(refused >= 6, "refused " + refused);
    }
}
