package dev.moodtag.cli;

import dev.moodtag.classify.ClassifierKind;
import dev.moodtag.media.MediaConfig;
import dev.moodtag.publish.PublishConfig;
import dev.moodtag.train.SelectBy;
import dev.moodtag.train.TrainConfig;
import dev.moodtag.watch.WatchConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A value that SmallRye cannot convert to its setting's type is said in one line naming the key, what it must be (an
 * enum's values in their order) and the value, where Quarkus printed "Configuration validation failed:" and
 * "java.lang.IllegalArgumentException: SRCFG00039: The config property … threw an Exception whilst being converted
 * SRCFG00031: Expected a double value, got "abc"". Each setting is converted by SmallRye as Quarkus builds it, with
 * Quarkus's duration converter.
 */
class UnreadableSettingsTest {

    /** Each key, of each kind of type, with what its refusal must say it expects. */
    private static final Map<String, String> EXPECTED = Map.of(
            "moodtag.publish.rate", "a number",
            "moodtag.publish.max-attempts", "a whole number from -2147483648 to 2147483647",
            "moodtag.media.max-file-bytes", "a whole number from -9223372036854775808",
            "moodtag.media.max-duration", "a duration in ISO-8601 (PT10S, PT30M, PT24H, P7D) or a number of seconds",
            "moodtag.watch.settle", "a duration in ISO-8601",
            "moodtag.train.select-by", "one of ua, wa, macro-f1 or weighted-f1",
            "moodtag.train.classifier", "one of libsvm, logistic or linear-svm",
            "moodtag.train.c-grid", "a number");

    private static final List<Class<?>> MAPPINGS = List.of(PublishConfig.class, MediaConfig.class, WatchConfig.class,
            TrainConfig.class);

    @Test
    void eachGarbageValueIsSaidInOneLineNamingTheKeyWhatItMustBeAndTheValue() {
        List<String> garbage = List.of("abc", "1.5.2", "0x1g", "--1", "1,2x", "a\nb", "tab\there", "\u202Eevil", "'quoted\"",
                "x".repeat(5000), "12abc", "∞");
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (Map.Entry<String, String> key : EXPECTED.entrySet()) {
            for (String value : garbage) {
                cases++;
                Optional<String> said = refusal(key.getKey(), value);
                if (said.isEmpty()) {
                    wrong.add(key.getKey() + "=" + value + ": converted");
                    continue;
                }
                String s = said.get();
                String shown = dev.moodtag.support.ShownText.visible(value);
                boolean right = s.startsWith(key.getKey() + " must be " + key.getValue()) && s.contains(", not ")
                        && s.contains("'" + shown.substring(0, Math.min(shown.length(), 40)))
                        && s.lines().count() == 1 && !s.contains("\u202E") && !s.contains("\t")
                        && !s.contains("SRCFG") && !s.contains("Exception") && s.length() < 700;
                if (!right) wrong.add(key.getKey() + "=" + value + ": " + s);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases + " garbage values said without the key, the "
                + "expectation or the value, or not in one line");
    }

    /** Two settings wrong at once are both named, in one line; an element of a list is named within the list. */
    @Test
    void severalAreNamedInOneLineAndAListNamesItsElement() {
        String both = refusal("moodtag.publish.rate", "abc", "moodtag.train.select-by", "best").orElseThrow();
        assertTrue(both.contains("moodtag.publish.rate must be a number") && both.contains("; ")
                && both.contains("moodtag.train.select-by must be one of ua, wa, macro-f1 or weighted-f1, not 'best'")
                && both.lines().count() == 1, both);
        assertEquals("moodtag.train.c-grid must be a number (such as 0.5 or 1e-3), not 'abc' in '1,abc'",
                refusal("moodtag.train.c-grid", "1,abc").orElseThrow());
        assertTrue(SelectBy.values().length == 4 && ClassifierKind.values().length == 3, "EXPECTED lists every value");
    }

    private static Optional<String> refusal(String... keysAndValues) {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter());
        MAPPINGS.forEach(m -> b.withMapping(m));
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) b.withDefaultValue(keysAndValues[i], keysAndValues[i + 1]);
        try {
            b.build();
            return Optional.empty();
        } catch (ConfigValidationException e) {
            return UnreadableSettings.inWords(new RuntimeException("Failed to start quarkus", e));
        }
    }
}
