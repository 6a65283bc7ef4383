package dev.moodtag.function;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Every character that can break or colour a log line comes out as visible text; everything else is untouched. */
class LogLineEscaperTest {

    @Test
    void everyControlAndLineSeparatorIsEscapedAndNothingElseChanges() {
        for (int c = 0; c <= 0xFFFF; c++) {
            String in = "a" + (char) c + "b";
            String out = LogLineEscaper.escape(in);
            // controls, separators, lone surrogates, non-characters and format characters (bidi overrides and
            // isolates, zero width spaces), but not the joiners that scripts and emoji need
            boolean control = Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || Character.isSurrogate((char) c)
                    || c == 0xFFFE || c == 0xFFFF || Character.getType(c) == Character.FORMAT && c != 0x200C && c != 0x200D;
            if (!control) {
                assertSame(in, out, "unchanged: U+" + Integer.toHexString(c));
                continue;
            }
            assertEquals(3 + (c == '\n' || c == '\r' || c == '\t' ? 1 : 5), out.length(), out);
            for (char o : out.toCharArray())
                assertFalse(Character.isISOControl(o) || o == 0x2028 || o == 0x2029, "U+" + Integer.toHexString(c) + " -> " + out);
        }
        assertEquals("x\\nFORGED 00:00 INFO\\r\\n\\u001b[31m", LogLineEscaper.escape("x\nFORGED 00:00 INFO\r\n\u001b[31m"));
        assertEquals(null, LogLineEscaper.escape(null));
    }

    /** A name that reorders or hides itself in a log line or on the terminal is shown as what it is. */
    @Test
    void reorderingAndInvisibleCharactersAreEscapedAndPairedEmojiAndJoinersStay() {
        assertEquals("evil\\u202ecod.wav", LogLineEscaper.escape("evil\u202Ecod.wav"));
        assertEquals("a\\u2066b\\u2069\\u200fc", LogLineEscaper.escape("a\u2066b\u2069\u200Fc"));
        // tag characters (invisible, used to smuggle text past a reader) are outside the BMP: both units escaped
        assertEquals("x\\udb40\\udc41y", LogLineEscaper.escape("x" + new String(Character.toChars(0xE0041)) + "y"));
        String emoji = "\uD83D\uDC69\u200D\uD83D\uDCBB.wav"; // woman technologist: a pair, a joiner, a pair
        assertSame(emoji, LogLineEscaper.escape(emoji));
        assertEquals("\\ud83d.wav", LogLineEscaper.escape("\uD83D.wav"), "a lone high surrogate");
    }
}
