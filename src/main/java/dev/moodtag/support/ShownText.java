package dev.moodtag.support;

import java.util.Locale;

/**
 * Text from outside (object names, labels, transcripts, reasons that quote them) as a report shows it to a person.
 * The machine-readable outputs (index.jsonl, report.json, results) keep it exact; a page a person reads must not let
 * it hide or disguise itself, nor grow without bound.
 */
public final class ShownText {
    /** Characters of a name, and of a reason or a transcript, that a report shows; the machine-readable twin has all. */
    public static final int NAME_CHARS = 500, TEXT_CHARS = 3_000;

    private ShownText() {
    }

    /**
     * {@code s} with each character that is not text, or that hides or reorders text, written as its code point
     * ({@code [U+202E]}): controls (NUL and the others are not even allowed in XML, so an SVG holding one does not
     * parse), lone surrogates, U+FFFE and U+FFFF, line and paragraph separators, and format characters such as
     * U+202E RIGHT-TO-LEFT OVERRIDE, which shows "evil[U+202E]cod.wav" as "evilvaw.doc", the isolates and zero
     * width spaces. Zero width joiners and non-joiners stay: scripts and emoji need them. A tab, CR or LF becomes the
     * space that HTML and markdown text make of it anyway.
     */
    public static String visible(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            String shown = c == '\t' || c == '\r' || c == '\n' ? " " : hidden(c) ? String.format(Locale.ROOT, "[U+%04X]", c) : null;
            if (shown != null && out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (out != null) {
                if (shown != null) out.append(shown);
                else out.appendCodePoint(c);
            }
            i += n;
        }
        return out == null ? s : out.toString();
    }

    /** Whether code point {@code c} is not text, or hides or reorders text (see {@link #visible}). */
    public static boolean hidden(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.SURROGATE || c == 0xFFFE || c == 0xFFFF
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT && c != 0x200C && c != 0x200D;
    }

    /**
     * {@code s} if it has at most {@code max} characters, else its beginning and its end (where a file's type is)
     * around how much was left out; cut between code points, never inside a surrogate pair. Cut before any escaping,
     * so that no entity or escape is split.
     */
    public static String shortened(String s, int max) {
        if (s.length() <= max) return s;
        int head = max * 2 / 3, tail = max - head;
        if (Character.isHighSurrogate(s.charAt(head - 1))) head--;
        int from = s.length() - tail;
        if (Character.isLowSurrogate(s.charAt(from))) from++;
        return s.substring(0, head) + String.format(Locale.ROOT, " …(%,d characters left out)… ", from - head)
                + s.substring(from);
    }
}
