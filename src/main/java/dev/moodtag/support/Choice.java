package dev.moodtag.support;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A closed set of values as users write them (lower case, words joined by hyphens: {@code one-se}, {@code macro-f1}),
 * read back into the enum constant, or refused naming the option and every value it takes.
 */
public final class Choice {
    private Choice() {
    }

    /** How {@code value} is written: {@code MACRO_F1} → {@code macro-f1}. */
    public static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} that {@code value} spells; case and surrounding blanks do not matter, the hyphens do
     * ({@code speaker_skewed} is refused: it is not how any value is documented).
     *
     * @param option what the value was given as, for the message ({@code --fusion})
     * @throws IllegalArgumentException "OPTION must be a, b or c, not 'x'"
     */
    public static <E extends Enum<E>> E parse(String option, String value, Class<E> type) {
        String wanted = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) if (spelling(e).equals(wanted)) return e;
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Choice::spelling).toList();
        String allowed = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        throw new IllegalArgumentException(option + " must be " + allowed + ", not '" + value + "'");
    }
}
