package dev.moodtag.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The bytes a text file from outside comes in: as spreadsheets and editors save it (UTF-8 with and without a mark,
 * Latin-1, Windows-1252, UTF-16 and UTF-32 with and without one, in three line endings), and good UTF-8 with one stray
 * sequence that is no UTF-8 (or a NUL) inserted anywhere, even inside a character. Seeded, so a case is its number.
 */
public final class TextBytesFuzz {
    private TextBytesFuzz() {
    }

    /**
     * @param utf8         whether the bytes are UTF-8 text, to be read as written
     * @param damagedLine  the line of the file the stray bytes are on, or 0 where the whole file is in another encoding
     */
    public record Case(String how, byte[] bytes, boolean utf8, long damagedLine) {
    }

    private static final byte[][] NOT_UTF8 = {{(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xC1, (byte) 0x81}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFE}, {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xE9}, {0}};

    /**
     * @param text   the document written with the given line ending; it should hold characters beyond ASCII, so that
     *               every other encoding differs from UTF-8
     * @param strays how many damaged copies of the LF document
     */
    public static List<Case> cases(Function<String, String> text, long seed, int strays) {
        List<Case> cases = new ArrayList<>();
        Map<String, String> newlines = new LinkedHashMap<>();
        newlines.put("LF", "\n");
        newlines.put("CRLF", "\r\n");
        newlines.put("CR", "\r");
        for (var nl : newlines.entrySet()) {
            byte[] utf8 = text.apply(nl.getValue()).getBytes(StandardCharsets.UTF_8);
            cases.add(new Case("UTF-8 " + nl.getKey(), utf8, true, 0));
            cases.add(new Case("UTF-8+BOM " + nl.getKey(), concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8), true, 0));
            for (String charset : List.of("ISO-8859-1", "windows-1252", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")) {
                byte[] body = text.apply(nl.getValue()).getBytes(Charset.forName(charset));
                cases.add(new Case(charset + " " + nl.getKey(), body, false, 0));
                if (charset.startsWith("UTF-16"))
                    cases.add(new Case(charset + "+BOM " + nl.getKey(), concat(charset.endsWith("LE")
                            ? new byte[]{(byte) 0xFF, (byte) 0xFE} : new byte[]{(byte) 0xFE, (byte) 0xFF}, body), false, 1));
            }
        }
        Random random = new Random(seed);
        byte[] good = text.apply("\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < strays; i++) {
            byte[] stray = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
            int at = random.nextInt(good.length + 1);
            long line = 1;
            for (int b = 0; b < at; b++) if (good[b] == '\n') line++;
            byte[] damaged = concat(concat(java.util.Arrays.copyOf(good, at), stray), java.util.Arrays.copyOfRange(good, at, good.length));
            cases.add(new Case("stray " + hex(stray) + " at byte " + at, damaged, false, line));
        }
        return cases;
    }

    private static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile("on line (\\d+)");

    /**
     * What is wrong with refusing {@code c}, read from {@code file}, with {@code message}; null where the refusal is
     * right: the bytes are not UTF-8 text, and it names the file, UTF-8 and the line of the file the damage is on.
     */
    public static String wrongRefusal(Case c, java.nio.file.Path file, String message) {
        java.util.regex.Matcher line = LINE.matcher(message);
        if (c.utf8()) return c.how() + ": refused: " + message;
        if (!message.contains(file.getFileName().toString()) || !message.contains("UTF-8") || !line.find())
            return c.how() + ": refused without naming the file, UTF-8 and the line: " + message;
        if (c.damagedLine() > 0 && Long.parseLong(line.group(1)) != c.damagedLine())
            return c.how() + ": names line " + line.group(1) + ", the damage is on line " + c.damagedLine();
        return null;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) s.append(String.format("%02X", b & 0xFF));
        return s.toString();
    }
}
