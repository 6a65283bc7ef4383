package dev.moodtag.support;

import java.util.ArrayList;
import java.util.List;

/** Tests: text cells that a spreadsheet runs as formulas, or that look guarded, for every CSV moodtag writes. */
public final class FormulaCells {
    private FormulaCells() {
    }

    /** What a spreadsheet runs as a formula at the start of a cell, and what starts a guarded cell. */
    private static final List<String> STARTS = List.of("=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "'-", "' =", " =", "");
    private static final List<String> PAYLOADS = List.of("HYPERLINK(\"http://x\",\"y\").wav", "cmd|' /C calc'!A0", "1+1",
            "SUM(A1:A9)", "3.2");

    /** Every start before every payload, {@code =HYPERLINK("http://x","y").wav} first. */
    public static List<String> grid() {
        List<String> cells = new ArrayList<>();
        for (String start : STARTS) for (String payload : PAYLOADS) cells.add(start + payload);
        return cells;
    }

    /** Whether Excel or LibreOffice would run {@code cell} as a formula. */
    public static boolean isFormula(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0;
    }
}
