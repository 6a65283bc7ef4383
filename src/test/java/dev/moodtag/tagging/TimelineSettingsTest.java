package dev.moodtag.tagging;

import dev.moodtag.media.TranscriptConfig;
import dev.moodtag.support.SettingOutOfRange;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timeline and time-budget settings that would hang a recording, drop its segments or fail every object are refused
 * when the tagger is built (at start-up), naming the key (found by a review: max-segment-seconds=0 never ended, a
 * zero budget failed every object, P200000D overflowed on every object).
 */
class TimelineSettingsTest {

    private static TimelineTagger tagger(Map<String, String> settings) {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().withMapping(TimelineConfig.class)
                .withMapping(TimeBudgetConfig.class).withMapping(TranscriptConfig.class);
        settings.forEach(b::withDefaultValue);
        SmallRyeConfig c = b.build();
        return new TimelineTagger(null, null, null, c.getConfigMapping(TimelineConfig.class),
                c.getConfigMapping(TimeBudgetConfig.class), null, c.getConfigMapping(TranscriptConfig.class));
    }

    @Test
    void settingsThatWouldHangOrFailEveryObjectAreRefusedNamingTheKey() {
        assertDoesNotThrow(() -> tagger(Map.of()), "the defaults");
        Map<String, String> bad = Map.ofEntries(
                Map.entry("moodtag.timeline.max-segment-seconds", "0"),
                Map.entry("moodtag.timeline.min-segment-seconds", "-1"),
                Map.entry("moodtag.timeline.window-seconds", "0"),
                Map.entry("moodtag.timeline.overlap-seconds", "10"),
                Map.entry("moodtag.timeline.merge-gap-seconds", "NaN"),
                Map.entry("moodtag.timeline.vad-block-seconds", "0"),
                Map.entry("moodtag.timeline.video-fps", "0"),
                // each failed every object as internal (a negative one in its decode bounds, the other at the first
                // long recording), where they are refused at start now
                Map.entry("moodtag.timeline.segment-above", "-PT1S"),
                Map.entry("moodtag.timeline.segmentation", "voice"),
                // said "moodtag.transcript.* limits must be positive", naming none of them
                Map.entry("moodtag.transcript.max-sidecar-bytes", "0"),
                Map.entry("moodtag.transcript.max-text-chars", "0"),
                Map.entry("moodtag.transcript.max-cues", "-1"),
                Map.entry("moodtag.transcript.max-words", "-1"),
                Map.entry("moodtag.budget.base", "PT0S"),
                Map.entry("moodtag.budget.per-media-second", "-0.5"),
                Map.entry("moodtag.budget.starved-cap", "0.5"));
        for (Map.Entry<String, String> setting : bad.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tagger(Map.of(setting.getKey(), setting.getValue())), setting.toString());
            assertTrue(e.getMessage().contains(setting.getKey()), setting + ": " + e.getMessage());
            assertInstanceOf(SettingOutOfRange.class, e, "refused at start in one line: " + setting);
        }
        IllegalArgumentException endless = assertThrows(IllegalArgumentException.class,
                () -> tagger(Map.of("moodtag.timeline.segment-above", "PT9223372036854775807S")));
        assertTrue(endless.getMessage().contains("moodtag.timeline.segment-above"), endless.getMessage());
        assertDoesNotThrow(() -> tagger(Map.of("moodtag.timeline.segment-above", "PT0S", "moodtag.timeline.segmentation",
                "FIXED")), "every recording a timeline, the method in any case");
        for (String huge : new String[]{"P200000D", "P366D"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tagger(Map.of("moodtag.budget.base", huge)));
            assertTrue(e.getMessage().contains("moodtag.budget.base"), e.getMessage());
        }
        for (String cap : new String[]{"NaN", "-1", "0", "1000.5", "Infinity"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tagger(Map.of("moodtag.budget.starved-cap", cap)), cap);
            assertTrue(e.getMessage().contains("moodtag.budget.starved-cap"), e.getMessage());
        }
        assertDoesNotThrow(() -> tagger(Map.of("moodtag.budget.starved-cap", "1")), "a starved object stopped at once");
        assertDoesNotThrow(() -> tagger(Map.of("moodtag.budget.starved-cap", "1000")), "the longest cap");
        assertDoesNotThrow(() -> tagger(Map.of("moodtag.budget.base", "PT0.001S", "moodtag.timeline.overlap-seconds", "0",
                "moodtag.timeline.min-segment-seconds", "0")), "the smallest that mean something");
    }
}
