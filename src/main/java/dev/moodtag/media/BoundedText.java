package dev.moodtag.media;

/**
 * Text collected with its whitespace collapsed to single spaces (line breaks in a transcript are layout, not meaning)
 * and cut after a number of characters, in one pass: a huge transcript costs its bound, not its size.
 */
final class BoundedText {
    private final StringBuilder text = new StringBuilder();
    private final int max;
    private boolean pendingSpace;
    private boolean cut;

    BoundedText(int max) {
        this.max = max;
    }

    /**
     * Appends {@code s}; false once something had to be left out (the bound is reached). Half a surrogate pair on its
     * own (JSON's {@code "\\ud800"} escapes, inline text from an event) becomes U+FFFD: it is no character, the
     * tokenizer dropped it unseen, and a result or report writing it as UTF-8 wrote bytes no UTF-8 reader accepts.
     */
    boolean append(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (!add(c) || !add(s.charAt(++i))) return false;
            } else if (!add(Character.isSurrogate(c) ? REPLACEMENT : c)) {
                return false;
            }
        }
        return true;
    }

    /** What stands for half a character. */
    static final char REPLACEMENT = '\uFFFD';

    /** Appends a separating space (collapsed like any other whitespace). */
    void space() {
        if (!text.isEmpty()) pendingSpace = true;
    }

    /** Appends one character; false when it is not whitespace and did not fit. */
    boolean add(char c) {
        if (isSpace(c)) {
            if (!text.isEmpty()) pendingSpace = true;
            return true;
        }
        // The first half of a surrogate pair fits only with its second: cut between them, the text ended in half a
        // character (an emoji), which no tokenizer reads and no UTF-8 writer can write
        if (text.length() + (pendingSpace ? 2 : 1) + (Character.isHighSurrogate(c) ? 1 : 0) > max) {
            cut = true;
            return false;
        }
        if (pendingSpace) text.append(' ');
        pendingSpace = false;
        text.append(c);
        return true;
    }

    /** Whether something was left out. */
    boolean cut() {
        return cut;
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** The characters {@code \s} matches in a regular expression, as the transcripts were normalised before. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** {@code parts} joined by single spaces (an empty one adds none), collapsed and cut after {@code max} characters. */
    static BoundedText joined(Iterable<String> parts, int max) {
        BoundedText text = new BoundedText(max);
        for (String part : parts) {
            if (part.isEmpty()) continue;
            text.space();
            if (!text.append(part)) break;
        }
        return text;
    }

    /** {@code s} with its whitespace collapsed, cut after {@code max} characters. */
    static String normalise(CharSequence s, int max) {
        BoundedText t = new BoundedText(max);
        t.append(s);
        return t.toString();
    }
}
