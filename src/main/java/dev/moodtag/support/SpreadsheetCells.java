package dev.moodtag.support;

/**
 * Text cells of the CSV files moodtag writes, guarded against formula injection (OWASP "CSV Injection"): Excel and
 * LibreOffice run a cell that begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a CR as a formula, and
 * object names, labels and transcripts come from anyone ({@code =HYPERLINK("http://x","y").wav}, a reason quoting
 * {@code =cmd|' /C calc'!A0}). Such a cell is written after a {@code '}, which spreadsheets take as "this is text".
 * Numbers are written as they are (a guarded {@code -3.2} would no longer be one): only text columns are guarded.
 *
 * <p>The guard is undone exactly by {@link #unguard}: a cell that itself begins with {@code '} and then one of those
 * characters or another {@code '} is guarded too, so that moodtag reads back what it wrote, whatever it was.
 */
public final class SpreadsheetCells {
    private SpreadsheetCells() {
    }

    /** {@code text} as a CSV cell that no spreadsheet runs as a formula; null stays null (an empty cell). */
    public static String guard(String text) {
        return text != null && guarded(text, 0) ? "'" + text : text;
    }

    /** The text that {@link #guard} made {@code cell} of. */
    public static String unguard(String cell) {
        return cell != null && cell.startsWith("'") && guarded(cell, 1) ? cell.substring(1) : cell;
    }

    /** Whether the text from {@code at} on begins as a formula would, or as a guarded cell would. */
    private static boolean guarded(String s, int at) {
        if (s.length() <= at) return false;
        char c = s.charAt(at);
        return "=+-@\t\r".indexOf(c) >= 0 || c == '\'' && at + 1 < s.length() && "=+-@\t\r'".indexOf(s.charAt(at + 1)) >= 0;
    }
}
