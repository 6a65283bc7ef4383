package dev.moodtag.support;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Priority;
import org.eclipse.microprofile.config.spi.Converter;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Every boolean setting, read strictly: SmallRye's own converter reads a word it does not know
 * ({@code moodtag.transcribe.enabled=ture}, {@code yes please}, {@code enabled}) as false with only a log warning, so a
 * user who meant true silently got false. The words accepted are SmallRye's own, so no value read before changes
 * meaning; anything else fails the conversion, which stops the start as every value that cannot be converted does, said
 * in words ("must be true or false, not 'ture'"). Registered for every boolean (ours and Quarkus's), so a new boolean
 * setting is covered without a list to keep.
 */
@Priority(200) // above SmallRye's built-in converter
public final class TrueOrFalse implements Converter<Boolean> {

    /** What the conversion's failure says; the start's report of unreadable settings recognises it. */
    public static final String EXPECTED = "Expected true or false";

    /** SmallRye's true words and false words, compared as SmallRye compares them: without case, less the spaces around. */
    private static final Set<String> TRUE = Set.of("true", "1", "yes", "y", "on", "ja", "j", "si", "sim", "oui");
    private static final Set<String> FALSE = Set.of("false", "0", "no", "n", "off", "nein", "não", "non");

    /**
     * A switch in a file moodtag wrote (JSON), read as strictly: only a JSON {@code true} or {@code false} is one.
     * Jackson's asBoolean read {@code "true"} and 1 as true and {@code "yes"}, {@code "on"}, null or a missing key as
     * false; anything but a JSON boolean is refused with {@code refusal} of words such as
     * {@code 'balanceBlocks' must be true or false, not "yes"} (or {@code not missing}).
     */
    public static boolean of(JsonNode value, String key, Function<String, ? extends RuntimeException> refusal) {
        if (value == null || !value.isBoolean())
            throw refusal.apply("'" + key + "' must be true or false, not "
                    + (value == null || value.isMissingNode() ? "missing" : ShownText.shortened(value.toString(), 80)));
        return value.booleanValue();
    }

    @Override
    public Boolean convert(String value) {
        String word = value.trim().toLowerCase(Locale.ROOT);
        if (word.isEmpty()) return null; // no value: the setting's default applies, as with any type
        if (TRUE.contains(word)) return Boolean.TRUE;
        if (FALSE.contains(word)) return Boolean.FALSE;
        throw new IllegalArgumentException(EXPECTED + ", got \"" + value + "\"");
    }
}
