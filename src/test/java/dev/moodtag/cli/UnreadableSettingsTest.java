package dev.moodtag.cli;

import dev.moodtag.classify.ClassifierKind;
import dev.moodtag.media.MediaConfig;
import dev.moodtag.publish.PublishConfig;
import dev.moodtag.train.SelectBy;
import dev.moodtag.train.TrainConfig;
import dev.moodtag.watch.WatchConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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

    /**
     * The settings of one refusal are named by key, whatever order SmallRye collected them in: tag and serve named the
     * same three in different orders. Each of a grid of sets, given in both orders, is named sorted.
     */
    @Test
    void theSettingsAreNamedInTheOrderOfTheirKeys() throws Exception {
        List<String> keys = List.of("moodtag.watch.settle", "moodtag.train.select-by", "moodtag.publish.rate",
                "moodtag.media.max-duration", "moodtag.publish.max-attempts", "moodtag.train.classifier",
                "moodtag.media.max-file-bytes");
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (int n = 2; n <= keys.size(); n++)
            for (int from = 0; from + n <= keys.size(); from++)
                for (boolean reversed : List.of(false, true)) {
                    cases++;
                    List<String> some = new ArrayList<>(keys.subList(from, from + n));
                    if (reversed) java.util.Collections.reverse(some);
                    List<String> given = new ArrayList<>();
                    some.forEach(k -> given.addAll(List.of(k, "abc")));
                    String said = refusal(allMappings(), given.toArray(String[]::new)).orElseThrow();
                    List<String> named = java.util.Arrays.stream(said.split("; ")).map(p -> p.substring(0, p.indexOf(' '))).toList();
                    if (!named.equals(some.stream().sorted().toList())) wrong.add(some + " named as " + named);
                }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases + " sets of settings not named by key");
    }

    /**
     * Every boolean setting of every mapping (found by reflection, so a new one is covered) refuses a word SmallRye does
     * not know, naming the key and the value, where SmallRye read it as false with only a log warning; each word it
     * knows still reads as SmallRye reads it. The converters are the ones the application registers.
     */
    @Test
    void everyBooleanSettingRefusesAWordItDoesNotKnowAndReadsTheKnownOnesAsBefore() throws Exception {
        List<Class<?>> mappings = allMappings();
        List<String> keys = new ArrayList<>();
        for (Class<?> m : mappings)
            ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(m)).forEach((key, p) -> {
                if (p.isLeaf() || p.isPrimitive()) {
                    Class<?> type = p.isPrimitive() ? p.asPrimitive().getPrimitiveType() : p.asLeaf().getValueRawType();
                    if (type == boolean.class || type == Boolean.class) keys.add(key);
                }
            });
        assertTrue(keys.size() >= 12 && keys.contains("moodtag.transcribe.enabled")
                && keys.contains("moodtag.storage.local.follow-links-within-root"), keys.toString());
        List<String> unknown = List.of("ture", "yes please", "enabled", "disabled", "tru", "t", "f", "2", "-1", "1.0", "01",
                "0x1", "truee", "nope", "yes\nno", "true\u202E", "\"true\"", "'false'", "x".repeat(5000), "∞");
        List<String> known = List.of("true", "TRUE ", "1 ", " 1", "True", "yes", "Y", "on", "ON", "ja", "oui", "false",
                "FALSE", "0", "no", "N", "off", "Off", "nein", "non", "\tfalse");
        Converter<Boolean> smallrye = new SmallRyeConfigBuilder().build().getConverter(Boolean.class).orElseThrow();
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (String key : keys) {
            for (String value : unknown) {
                cases++;
                Optional<String> said = refusal(mappings, key, value);
                String shown = dev.moodtag.support.ShownText.visible(value);
                if (said.isEmpty()) wrong.add(key + "=" + shown + ": read as a boolean");
                else if (!said.get().startsWith(key + " must be true or false, not '" + shown.substring(0, Math.min(shown.length(), 40)))
                        || said.get().lines().count() != 1 || said.get().contains("SRCFG") || said.get().length() > 700)
                    wrong.add(key + "=" + shown + ": " + said.get());
            }
            for (String value : known) {
                cases++;
                SmallRyeConfigBuilder b = builder(mappings).withDefaultValue(key, value);
                Object read = b.build().getValue(key, Boolean.class);
                if (!read.equals(smallrye.convert(value))) wrong.add(key + "=" + value + ": read as " + read);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases + " boolean values (" + keys.size() + " keys) not "
                + "refused in words, or not read as SmallRye reads them");
    }

    /**
     * A setting given empty ({@code MOODTAG_PACK_MANIFEST=}) was said in SmallRye's words with its converter's Java
     * class, "The config property moodtag.pack.manifest is defined as the empty String ("") which the following
     * Converter considered to be null: io.smallrye.config.Converters$BuiltInConverter", in every command. Every
     * setting of every mapping is given "" from a source above the defaults, as the environment is: each one refused
     * (those with a default or none, not an Optional) is said in one line naming the key.
     */
    @Test
    void everySettingGivenEmptyIsSaidInOneLineNamingTheKey() throws Exception {
        List<Class<?>> mappings = allMappings();
        List<String> keys = new ArrayList<>(), defaulted = new ArrayList<>();
        for (Class<?> m : mappings)
            ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(m)).forEach((key, p) -> {
                if ((p.isLeaf() || p.isPrimitive()) && !key.contains("*")) keys.add(key);
                if (p.hasDefaultValue()) defaulted.add(key);
            });
        List<String> wrong = new ArrayList<>(), refused = new ArrayList<>();
        for (String key : keys) {
            SmallRyeConfigBuilder b = builder(mappings)
                    .withSources(new io.smallrye.config.PropertiesConfigSource(Map.of(key, ""), "environment", 300));
            try {
                b.build();
            } catch (ConfigValidationException e) {
                refused.add(key);
                String said = UnreadableSettings.inWords(new RuntimeException("Failed to start quarkus", e)).orElseThrow();
                // "unset for its default" holds: a key without one is an Optional, which SmallRye reads "" as empty
                if (!said.equals(key + " must not be empty: give it a value, or leave it unset for its default")
                        || !defaulted.contains(key))
                    wrong.add(key + ": " + said);
            }
        }
        assertTrue(refused.contains("moodtag.pack.manifest") && refused.size() >= 10, refused.toString());
        System.out.println("settings refused when empty: " + refused.size() + " of " + keys.size());
        assertEquals(List.of(), wrong, wrong.size() + " of " + refused.size() + " settings refused when empty (of "
                + keys.size() + ") not said in one line naming the key");
    }

    /** Every {@code @ConfigMapping} of the application, from its classes. */
    private static List<Class<?>> allMappings() throws Exception {
        Path classes = Path.of(PublishConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, UnreadableSettingsTest.class.getClassLoader());
                if (c.isInterface() && c.isAnnotationPresent(ConfigMapping.class)) found.add(c);
            }
        }
        assertTrue(found.containsAll(MAPPINGS) && found.size() >= 14, found.toString());
        return found;
    }

    private static SmallRyeConfigBuilder builder(List<Class<?>> mappings) {
        // The converters the application registers (as Quarkus registers them), then Quarkus's duration converter
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().addDiscoveredConverters()
                .withConverter(Duration.class, 200, new DurationConverter());
        mappings.forEach(m -> b.withMapping(m));
        return b;
    }

    private static Optional<String> refusal(String... keysAndValues) {
        return refusal(MAPPINGS, keysAndValues);
    }

    private static Optional<String> refusal(List<Class<?>> mappings, String... keysAndValues) {
        SmallRyeConfigBuilder b = builder(mappings);
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) b.withDefaultValue(keysAndValues[i], keysAndValues[i + 1]);
        try {
            b.build();
            return Optional.empty();
        } catch (ConfigValidationException e) {
            return UnreadableSettings.inWords(new RuntimeException("Failed to start quarkus", e));
        }
    }
}
