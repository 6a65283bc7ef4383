package dev.moodtag.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A manifest's bytes as spreadsheets and editors save them, and damaged: it is read as the UTF-8 text it was meant to
 * be, or refused with an {@link IllegalArgumentException} naming the manifest, saying it is not UTF-8 and on which line
 * of the file, never an I/O failure (before, a manifest saved as Windows-1252 or UTF-16, or with one stray byte, failed
 * as an UncheckedIOException "reading manifest ...", caused by "MalformedInputException: Input length = 1", which
 * {@code moodtag train} printed as a stack trace).
 */
class ManifestBytesFuzzTest {

    private static final String[] TEXTS = {"café au lait", "Grüße aus Köln", "naïve “quoted” – dash", "😀 joy",
            "plain words", "\"two\nlines\"", "« guillemets »", "Ελληνικά", "日本語です", "a, b and c", "x", "-3 =1"};

    /** The same manifest in every line ending: 12 rows, text beyond ASCII, a quoted cell that spans two lines. */
    private static String manifest(String newline) {
        StringBuilder csv = new StringBuilder("id,label,group,transcript,media,feat.speech.b.0,feat.speech.b.1").append(newline);
        for (int i = 0; i < TEXTS.length; i++) {
            String text = TEXTS[i].contains(",") && !TEXTS[i].startsWith("\"") ? "\"" + TEXTS[i] + "\"" : TEXTS[i];
            csv.append("u").append(i).append(',').append(new String[]{"happy", "sad", "angry", "neutral"}[i % 4]).append(',')
                    .append("s").append(i % 3).append(',').append(text.replace("\n", newline)).append(',')
                    .append("clips/ü").append(i).append(".wav,").append(i).append(".5,-").append(i).append(newline);
        }
        return csv.toString();
    }

    private record Case(String how, byte[] bytes, boolean utf8, long damagedLine) {
    }

    private static final byte[][] NOT_UTF8 = {{(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xC1, (byte) 0x81}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFE}, {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xE9}, {0}};

    private static List<Case> grid() {
        List<Case> cases = new ArrayList<>();
        Map<String, String> newlines = new LinkedHashMap<>();
        newlines.put("LF", "\n");
        newlines.put("CRLF", "\r\n");
        newlines.put("CR", "\r");
        Map<String, byte[]> marks = new LinkedHashMap<>();
        marks.put("", new byte[0]);
        marks.put("+BOM", new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        for (var nl : newlines.entrySet()) {
            String text = manifest(nl.getValue());
            for (var mark : marks.entrySet())
                cases.add(new Case("UTF-8" + mark.getKey() + " " + nl.getKey(), concat(mark.getValue(),
                        text.getBytes(StandardCharsets.UTF_8)), true, 0));
            // a spreadsheet's "CSV" on Windows, "Unicode text", and the same without its byte-order mark
            for (String charset : List.of("ISO-8859-1", "windows-1252", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")) {
                byte[] body = text.getBytes(Charset.forName(charset));
                cases.add(new Case(charset + " " + nl.getKey(), body, false, 0));
                if (charset.startsWith("UTF-16"))
                    cases.add(new Case(charset + "+BOM " + nl.getKey(), concat(charset.endsWith("LE")
                            ? new byte[]{(byte) 0xFF, (byte) 0xFE} : new byte[]{(byte) 0xFE, (byte) 0xFF}, body), false, 1));
            }
        }
        // one stray sequence that is no UTF-8 (or a NUL) anywhere in a good manifest, even inside a character
        Random random = new Random(20261207);
        byte[] good = manifest("\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 400; i++) {
            byte[] stray = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
            int at = random.nextInt(good.length + 1);
            byte[] damaged = new byte[good.length + stray.length];
            System.arraycopy(good, 0, damaged, 0, at);
            System.arraycopy(stray, 0, damaged, at, stray.length);
            System.arraycopy(good, at, damaged, at + stray.length, good.length - at);
            long line = 1;
            for (int b = 0; b < at; b++) if (good[b] == '\n') line++;
            cases.add(new Case("stray " + hex(stray) + " at byte " + at, damaged, false, line));
        }
        return cases;
    }

    private static final Pattern LINE = Pattern.compile("on line (\\d+)");

    @Test
    void everyManifestIsReadAsUtf8OrRefusedNamingItAndTheLine(@TempDir Path dir) throws Exception {
        List<String> wrong = new ArrayList<>();
        int read = 0, refused = 0;
        List<Case> cases = grid();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Path file = Files.write(dir.resolve("m" + i + ".csv"), c.bytes());
            try {
                DatasetManifest m = DatasetManifest.read(file);
                read++;
                if (!c.utf8()) {
                    wrong.add(c.how() + ": read though not UTF-8, transcripts " + m.rows().stream().map(ManifestRow::transcript).toList());
                    continue;
                }
                List<String> transcripts = m.rows().stream()
                        .map(r -> r.transcript().replace("\r\n", "\n").replace('\r', '\n')).toList();
                List<String> expected = new ArrayList<>();
                for (String t : TEXTS) expected.add(t.startsWith("\"") ? t.substring(1, t.length() - 1) : t);
                if (!transcripts.equals(expected)) wrong.add(c.how() + ": transcripts " + transcripts);
                if (!m.rows().get(3).media().get("media").endsWith(Path.of("clips/ü3.wav")))
                    wrong.add(c.how() + ": media " + m.rows().get(3).media());
            } catch (IllegalArgumentException e) {
                refused++;
                String message = e.getMessage();
                Matcher line = LINE.matcher(message);
                if (c.utf8()) wrong.add(c.how() + ": refused: " + message);
                else if (!message.contains(file.getFileName().toString()) || !message.contains("UTF-8") || !line.find())
                    wrong.add(c.how() + ": refused without naming the manifest, UTF-8 and the line: " + message);
                else if (c.damagedLine() > 0 && Long.parseLong(line.group(1)) != c.damagedLine())
                    wrong.add(c.how() + ": names line " + line.group(1) + ", the damage is on line " + c.damagedLine());
            } catch (RuntimeException e) {
                wrong.add(c.how() + ": " + e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
            }
        }
        assertEquals(List.of(), wrong.stream().limit(15).toList(), wrong.size() + " of " + cases.size() + " wrong");
        assertEquals(6, read, "the six UTF-8 manifests, with and without a mark, in each line ending");
        assertTrue(refused > 400, refused + " refused");
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
