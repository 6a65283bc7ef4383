package dev.moodtag.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The formula guard of moodtag's CSV text cells: never a formula, and undone exactly. */
class SpreadsheetCellsTest {

    /** Every string of up to 5 characters over the formula starts, the guard, a letter, a digit and a space. */
    @Test
    void noGuardedCellIsAFormulaAndEveryOneReadsBackExactly() {
        char[] alphabet = {'=', '+', '-', '@', '\t', '\r', '\'', 'a', '1', ' '};
        List<String> texts = new ArrayList<>(List.of(""));
        for (int from = 0, length = 1; length <= 5; length++) {
            int to = texts.size();
            for (int i = from; i < to; i++) for (char c : alphabet) texts.add(texts.get(i) + c);
            from = to;
        }
        List<String> wrong = new ArrayList<>();
        for (String text : texts) {
            String cell = SpreadsheetCells.guard(text);
            if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) wrong.add("formula: " + cell);
            if (!text.equals(SpreadsheetCells.unguard(cell))) wrong.add("reads back as " + SpreadsheetCells.unguard(cell) + ": " + text);
            if (!cell.equals(text) && !cell.equals("'" + text)) wrong.add("changed otherwise: " + text);
        }
        assertEquals(111_111, texts.size());
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong: " + wrong.subList(0, Math.min(20, wrong.size())));
    }

    @Test
    void onlyWhatWouldRunOrReadAsGuardedIsGuarded() {
        assertEquals("'=cmd|' /C calc'!A0", SpreadsheetCells.guard("=cmd|' /C calc'!A0"));
        assertEquals("'-3.2", SpreadsheetCells.guard("-3.2"));
        assertEquals("''=x", SpreadsheetCells.guard("'=x"));
        assertEquals("'tis", SpreadsheetCells.guard("'tis"));
        assertEquals("a=b", SpreadsheetCells.guard("a=b"));
        assertEquals("'tis", SpreadsheetCells.unguard("'tis"));
        assertNull(SpreadsheetCells.guard(null));
    }
}
