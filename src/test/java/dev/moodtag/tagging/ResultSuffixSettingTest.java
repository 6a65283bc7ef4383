package dev.moodtag.tagging;

import dev.moodtag.media.MediaFiles;
import dev.moodtag.media.TranscriptLoader;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A result suffix that makes results and inputs look alike is refused at start naming the key ({@link ObjectFilter},
 * built at the start of every command and of the function). Before, each was taken: {@code 4} ignored every .mp4 as a
 * result and wrote clip.wav4;
 * {@code .wav} ignored every .wav and named the result of clip.mp4 {@code clip.mp4.wav}, media to tag; {@code .txt}
 * made every sidecar a result.
 */
class ResultSuffixSettingTest {

    private static FunctionConfig suffix(String value) {
        return Settings.mapped(FunctionConfig.class, "moodtag.function.result.suffix", value);
    }

    private static List<String> badSuffixes() {
        List<String> bad = new ArrayList<>(List.of("4", "v", "_emotion", "emotion", "json", ".", "..", ".emotion.", "x."));
        for (String ext : MediaFiles.EXTENSIONS) {
            for (String e : List.of(ext, ext.toUpperCase(Locale.ROOT), ext.substring(0, 1).toUpperCase(Locale.ROOT) + ext.substring(1)))
                bad.addAll(List.of("." + e, ".emotion." + e, "x." + e));
        }
        for (String ext : TranscriptLoader.SIDECAR_EXTENSIONS) bad.addAll(List.of("." + ext, "." + ext.toUpperCase(Locale.ROOT)));
        return bad;
    }

    @Test
    void suffixesThatMakeResultsLookLikeInputsAreRefusedNamingTheKey() {
        List<String> accepted = new ArrayList<>();
        List<String> bad = badSuffixes();
        for (String value : bad) {
            FunctionConfig config = suffix(value);
            assertEquals(value, config.result().suffix());
            try {
                new ObjectFilter(config);
                accepted.add(value);
            } catch (SettingOutOfRange e) {
                assertTrue(e.getMessage().startsWith("moodtag.function.result.suffix ") && e.getMessage().endsWith(
                        "not '" + value + "'"), e.getMessage());
            }
        }
        assertEquals(List.of(), accepted, accepted.size() + " of " + bad.size() + " suffixes accepted");
    }

    /**
     * An empty value never reaches the bean: SmallRye refuses a required key set to "" at start, naming it (as on main);
     * a config built in code that holds one is refused by the same check as the rest.
     */
    @Test
    void anEmptySuffixIsRefusedWhereverItComesFrom() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> suffix(""));
        assertTrue(e.getMessage().contains("moodtag.function.result.suffix"), e.getMessage());
        SettingOutOfRange refused = assertThrows(SettingOutOfRange.class, () -> new ObjectFilter(new ObjectFilterTest.Config(
                new ObjectFilterTest.Result(java.util.Optional.empty(), ""),
                new ObjectFilterTest.Filter(java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), 1))));
        assertEquals("moodtag.function.result.suffix must not be empty: every name would end with it, so every object"
                + " would be ignored as a result, not ''", refused.getMessage());
    }

    @Test
    void suffixesThatStandApartAreAccepted() {
        for (String value : List.of(".emotion.json", ".EMOTION.JSON", "_emotion.json", ".emotion.txt", ".moodtag",
                ".r.json", ".json.emotion", ".emotion.srt.json", "-emotion.Json", ".wav.emotion.json"))
            assertDoesNotThrow(() -> new ObjectFilter(suffix(value)), value);
    }
}
