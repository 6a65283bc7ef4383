package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
}
