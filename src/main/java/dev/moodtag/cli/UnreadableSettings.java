package dev.moodtag.cli;

import dev.moodtag.support.Choice;
import dev.moodtag.support.ShownText;
import dev.moodtag.support.TrueOrFalse;
import io.smallrye.config.ConfigValidationException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings that SmallRye could not convert to their type (a number that is not one, a duration, a value not in an
 * enum's set) stop Quarkus before any of our checks, and Quarkus printed them as "Configuration validation failed:"
 * over two lines, the second "java.lang.IllegalArgumentException: SRCFG00039: The config property … threw an Exception
 * whilst being converted SRCFG00031: Expected a double value, got "abc"". This says each in words in one line: the key,
 * what it must be and the value given ("moodtag.publish.rate must be a number, not 'abc'").
 */
final class UnreadableSettings {

    /** The first line of what Quarkus prints for a {@link ConfigValidationException}, which this replaces. */
    static final String QUARKUS_HEADLINE = "Configuration validation failed:";

    /** The longest value quoted: a value is usually short, and one pasted by mistake must not flood the line. */
    private static final int VALUE_CHARS = 200;

    private static final Pattern NOT_CONVERTED = Pattern.compile(
            "(?s)(?:[\\w.$]+: )?SRCFG00039: The config property (\\S+) with the config value \"(.*)\" threw an Exception "
                    + "whilst being converted (.*)");
    /**
     * A setting given as "" (MOODTAG_PACK_MANIFEST= in the environment), which SmallRye takes for no value and, the key
     * having no other, refuses naming its converter's Java class (io.smallrye.config.Converters$BuiltInConverter).
     */
    private static final Pattern EMPTY = Pattern.compile(
            "(?s)(?:[\\w.$]+: )?SRCFG00040: The config property (\\S+) is defined as the empty String .*");
    private static final Pattern GOT = Pattern.compile("(?s).*, got \"(.*)\"");
    private static final Pattern ENUM = Pattern.compile("(?s)SRCFG00049: Cannot convert .* to enum (?:class )?(\\S+), allowed values: (.*)");

    private UnreadableSettings() {
    }

    /** The settings behind {@code failure} in words, one line, or empty when it is not a setting that could not be read. */
    static Optional<String> inWords(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof ConfigValidationException invalid) {
                List<String> each = new ArrayList<>();
                for (int i = 0; i < invalid.getProblemCount(); i++) each.add(problem(invalid.getProblem(i).getMessage()));
                // SmallRye collects them in an order of its own, which differed between tag and serve for the same
                // settings: by key (each words starts with its key), so one set of settings reads the same everywhere
                each.sort(null);
                return Optional.of(String.join("; ", each));
            }
        return Optional.empty();
    }

    /** One of SmallRye's problems in words; one it does not know is kept, less its exception name and message codes. */
    static String problem(String message) {
        Matcher empty = EMPTY.matcher(message);
        if (empty.matches()) return empty.group(1) + " must not be empty: give it a value, or leave it unset for its default";
        Matcher m = NOT_CONVERTED.matcher(message);
        if (!m.matches()) return oneLine(message.replaceFirst("^[\\w.$]+(Exception|Error): ", "")
                .replaceAll("SRCFG\\d+: ", ""));
        String key = m.group(1), value = m.group(2), why = m.group(3);
        // A list (moodtag.train.c-grid=1,abc) is converted element by element: name the element as well as the value
        Matcher got = GOT.matcher(why);
        String element = got.matches() && !got.group(1).equals(value) ? quoted(got.group(1)) + " in " : "";
        return key + " must be " + expected(why) + ", not " + element + quoted(value);
    }

    /** What the converter that refused the value expects, from its message. */
    private static String expected(String why) {
        if (why.startsWith("SRCFG00029:")) return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        if (why.startsWith("SRCFG00030:")) return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        if (why.startsWith("SRCFG00031:") || why.startsWith("SRCFG00032:")) return "a number (such as 0.5 or 1e-3)";
        if (why.startsWith(TrueOrFalse.EXPECTED)) return "true or false";
        if (why.startsWith("Invalid duration"))
            return "a duration in ISO-8601 (PT10S, PT30M, PT24H, P7D) or a number of seconds";
        Matcher e = ENUM.matcher(why);
        if (e.matches()) return oneOf(e.group(1), e.group(2));
        return "readable (" + oneLine(why.replaceAll("SRCFG\\d+: ", "")) + ")";
    }

    /** An enum's values in the order it declares them, as users write them; SmallRye lists them in a hash's order. */
    private static String oneOf(String enumClass, String listed) {
        List<String> names;
        try {
            Class<?> type = Class.forName(enumClass, false, Thread.currentThread().getContextClassLoader());
            names = Arrays.stream(type.getEnumConstants()).map(c -> Choice.spelling((Enum<?>) c)).toList();
        } catch (ClassNotFoundException | LinkageError | RuntimeException notFound) {
            names = Arrays.stream(listed.split(",")).map(String::strip).toList();
        }
        return names.size() == 1 ? names.get(0)
                : "one of " + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String quoted(String value) {
        return "'" + oneLine(ShownText.shortened(value, VALUE_CHARS)) + "'";
    }

    /** Line breaks and hidden characters in a value (an environment variable may hold any) kept out of the one line. */
    private static String oneLine(String s) {
        return ShownText.visible(s);
    }
}
