package dev.moodtag.function;

import dev.moodtag.support.ShownText;
import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Escapes line breaks and other control characters in every log message and MDC value before a handler formats
 * it ({@code quarkus.log.console.filter} / {@code quarkus.log.file.filter}). URIs, S3 keys and CloudEvent ids come
 * from outside and are logged (and put in the MDC as {@code requestId} and {@code object}); unescaped, a newline in
 * one of them would forge a log line. Done once for all lines, so that no log call can forget it. Stack traces are
 * printed by the formatter ({@code %e}) and keep their lines.
 */
@LoggingFilter(name = "moodtag-log-escape")
public final class LogLineEscaper implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!(record instanceof ExtLogRecord ext)) return true;
        String message = ext.getFormattedMessage();
        String escaped = escape(message);
        if (escaped != message) ext.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
        for (Map.Entry<String, String> e : ext.getMdcCopy().entrySet()) {
            String v = escape(e.getValue());
            if (v != e.getValue()) ext.putMdc(e.getKey(), v);
        }
        return true;
    }

    /**
     * {@code \n}, {@code \r}, {@code \t} as those two characters, and every other character that is not text or that
     * hides or reorders text ({@link ShownText#hidden}: C0/C1 controls, the Unicode line and paragraph separators, lone
     * surrogates, format characters such as U+202E RIGHT-TO-LEFT OVERRIDE and the invisible tag characters) as
     * {@code \\uXXXX} per UTF-16 unit; the same string when there is nothing to escape. The command line prints file
     * names and reasons through it too: a name with a line break forged its summary lines, an ESC sequence in one
     * reached the terminal, and U+202E printed "evil[U+202E]cod.wav" as "evilvaw.doc".
     */
    public static String escape(String s) {
        if (s == null) return null;
        int i = 0;
        while (i < s.length() && !needsEscape(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
        if (i == s.length()) return s;
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        while (i < s.length()) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (!needsEscape(c)) b.appendCodePoint(c);
                    else for (int k = i; k < i + n; k++) b.append(String.format(Locale.ROOT, "\\u%04x", (int) s.charAt(k)));
                }
            }
            i += n;
        }
        return b.toString();
    }

    private static boolean needsEscape(int c) {
        return ShownText.hidden(c) || c == '\n' || c == '\r' || c == '\t';
    }
}
