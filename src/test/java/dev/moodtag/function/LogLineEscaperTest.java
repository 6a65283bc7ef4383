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
            boolean control = Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
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
}
