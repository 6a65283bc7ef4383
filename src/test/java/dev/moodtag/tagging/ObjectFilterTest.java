package dev.moodtag.tagging;

import dev.moodtag.support.SettingOutOfRange;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first step of the recognizer, on generated keys, sizes and types: an answer, never an exception. */
class ObjectFilterTest {

    record Config(Result result, Filter filter) implements FunctionConfig {
        @Override
        public int maxConcurrent() {
            return 2;
        }

        @Override
        public int maxObjectsPerEvent() {
            return 10;
        }

        @Override
        public Duration shutdownGrace() {
            return Duration.ofSeconds(25);
        }

        @Override
        public Duration retryAfter() {
            return Duration.ofSeconds(5);
        }

        @Override
        public boolean force() {
            return false;
        }
    }

    record Result(Optional<String> prefix, String suffix) implements FunctionConfig.Result {
    }

    record Filter(Optional<List<String>> prefixes, Optional<List<String>> suffixes, Optional<List<String>> mediaTypes,
                  long maxObjectBytes) implements FunctionConfig.Filter {
    }

    private static final ObjectFilter DEFAULTS = new ObjectFilter(new Config(new Result(Optional.empty(), ".emotion.json"),
            new Filter(Optional.empty(), Optional.empty(), Optional.empty(), 536870912)));

    @Test
    void generatedKeysGetAnAnswerAndResultsNeverPass() {
        Random random = new Random(3);
        String[] parts = {"", "/", "a", ".", "..", "é", "😀", "\u0000", "\n", " ", "%2F", "\\", "dir/", ".wav", ".WAV",
                ".mp4", ".emotion.json", ".EMOTION.JSON", ".txt", "\uD800", "k".repeat(300)};
        List<String> keys = new ArrayList<>(List.of("", "/", "//", ".", "..", ".wav", "a.wav", "a/", "\uD800.wav"));
        for (int n = 0; n < 3000; n++) {
            StringBuilder k = new StringBuilder();
            for (int i = random.nextInt(6); i >= 0; i--) k.append(parts[random.nextInt(parts.length)]);
            keys.add(k.toString());
        }
        for (String key : keys) {
            Optional<String> why = DEFAULTS.byKey(key);
            why.ifPresent(w -> assertFalse(w.isBlank(), key));
            assertTrue(DEFAULTS.byKey(key + ".emotion.json").orElseThrow().startsWith("a moodtag result"), key);
            assertTrue(DEFAULTS.byKey(key + ".Emotion.JSON").isPresent(), key);
            if (!key.endsWith("/")) assertTrue(DEFAULTS.byKey(key + "x.Mp4").isEmpty(), key + " with a media extension");
        }
    }

    /**
     * The filter's prefixes are compared with case, as S3 compares keys and a case-sensitive disk its names (README, the
     * setting's javadoc): Talks/ is another folder there, not one the setting chose. Results are still never tagged
     * whatever their case. Pins the documented rule on a grid of cases, ASCII and not.
     */
    @Test
    void filterPrefixesAreComparedWithCaseAsKeysAre() {
        ObjectFilter f = new ObjectFilter(new Config(new Result(Optional.empty(), ".emotion.json"),
                new Filter(Optional.of(List.of("talks/", "émissions/")), Optional.empty(), Optional.empty(), 536870912)));
        for (String key : List.of("talks/a.wav", "talks/x/a.mp4", "émissions/a.wav"))
            assertTrue(f.byKey(key).isEmpty(), key);
        for (String key : List.of("Talks/a.wav", "TALKS/a.wav", "talkS/a.wav", "Émissions/a.wav", "ÉMISSIONS/a.wav",
                "x/talks/a.wav", "talks", "talks.wav")) {
            String why = f.byKey(key).orElseThrow(() -> new AssertionError(key + " passed"));
            assertTrue(why.contains("moodtag.function.filter.prefixes, compared with case"), why);
        }
        assertTrue(f.byKey("Talks/a.wav.EMOTION.json").orElseThrow().startsWith("a moodtag result"));
    }

    @Test
    void sizesAreBoundedAtTheConfiguredMaximum() {
        assertTrue(DEFAULTS.bySize(0).isEmpty());
        assertTrue(DEFAULTS.bySize(536870912).isEmpty());
        assertTrue(DEFAULTS.bySize(536870913).orElseThrow().contains("max-object-bytes=536870912"));
        assertTrue(DEFAULTS.bySize(Long.MAX_VALUE).isPresent());
    }

    /** 0 or below ignored every object (exit code 0, nothing tagged, each named as too large), where it is refused at start. */
    @Test
    void aMaximumSizeBelowOneIsRefusedNamingTheSetting() {
        for (long bad : new long[]{0, -1, Long.MIN_VALUE}) {
            SettingOutOfRange e = assertThrows(SettingOutOfRange.class, () -> new ObjectFilter(new Config(
                    new Result(Optional.empty(), ".emotion.json"), new Filter(Optional.empty(), Optional.empty(), Optional.empty(), bad))));
            assertEquals("moodtag.function.filter.max-object-bytes must be at least 1, not " + bad, e.getMessage());
        }
        ObjectFilter one = new ObjectFilter(new Config(new Result(Optional.empty(), ".emotion.json"),
                new Filter(Optional.empty(), Optional.empty(), Optional.empty(), 1)));
        assertTrue(one.bySize(1).isEmpty());
        assertTrue(one.bySize(2).isPresent());
    }

    @Test
    void prefixesSuffixesAndTypesAreWhatIsConfigured() {
        ObjectFilter f = new ObjectFilter(new Config(new Result(Optional.of("out/"), ".r.json"),
                new Filter(Optional.of(List.of("in/")), Optional.of(List.of(".RAW")), Optional.of(List.of("audio/")), 10)));
        assertTrue(f.byKey("in/a.raw").isEmpty());
        assertTrue(f.byKey("in/a.wav").orElseThrow().contains("suffix"));
        assertTrue(f.byKey("other/a.raw").orElseThrow().contains("prefix"));
        assertTrue(f.byKey("out/in/a.raw").orElseThrow().startsWith("a moodtag result"));
        assertTrue(f.byKey("in/a.raw.R.JSON").orElseThrow().startsWith("a moodtag result"));
        assertTrue(f.byType(Optional.of("Audio/WAV")).isEmpty());
        assertTrue(f.byType(Optional.empty()).isEmpty(), "an object without a type passes");
        assertEquals("content type video/mp4 is not one of [audio/] (moodtag.function.filter.media-types)",
                f.byType(Optional.of("video/mp4")).orElseThrow());
    }
}
