package dev.moodtag.media;

import dev.moodtag.testing.TextBytesFuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sidecar transcript's bytes in every format the loader reads (plain text, SubRip, WebVTT, JSON), as editors save
 * them and damaged: read as the text it was meant to be (UTF-8 with or without a mark, UTF-16 with one), or refused as
 * {@link MediaException.Kind#BAD_TRANSCRIPT} naming the file, the line of the file and the byte offset of the damage,
 * never read with the damage in its text. Before, every refusal for bytes that are not UTF-8 said "not UTF-8 text (or
 * UTF-16 with a byte-order mark)" and a NUL "it holds NUL characters", naming no line, while manifests and label files
 * named it.
 */
class SidecarBytesFuzzTest {

    private final TranscriptLoader loader = new TranscriptLoader();

    /** Each format's document in a given line ending, with text beyond ASCII on every line that has text. */
    private static final Map<String, Function<String, String>> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("txt", nl -> "café au lait" + nl + "Grüße aus Köln" + nl + "naïve “quoted” 😀" + nl + "日本語です");
        FORMATS.put("srt", nl -> "1" + nl + "00:00:01,000 --> 00:00:02,000" + nl + "café au lait" + nl + nl + "2" + nl
                + "00:00:02,500 --> 00:00:03,000" + nl + "Grüße aus Köln 😀" + nl);
        FORMATS.put("vtt", nl -> "WEBVTT" + nl + nl + "00:01.000 --> 00:02.000 align:start" + nl + "café au lait" + nl + nl
                + "00:02.500 --> 00:03.000" + nl + "naïve “quoted” 日本語" + nl);
        FORMATS.put("json", nl -> "{\"segments\": [" + nl + "{\"start\": 1.0, \"end\": 2.0, \"text\": \"café au lait\"}," + nl
                + "{\"start\": 2.5, \"end\": 3.0, \"text\": \"Grüße 😀\"}]," + nl + "\"text\": \"café au lait Grüße 😀\"}");
    }

    private static final Pattern OFFSET = Pattern.compile("at byte offset (\\d+)");
    private static final Pattern STRAY_AT = Pattern.compile("at byte (\\d+)$");

    @Test
    void everySidecarIsReadAsItsTextOrRefusedNamingTheLineAndOffset(@TempDir Path dir) throws Exception {
        List<String> wrong = new ArrayList<>();
        int read = 0, refused = 0, all = 0;
        for (var format : FORMATS.entrySet()) {
            String ext = format.getKey();
            Transcript expected = loader.load(Files.writeString(dir.resolve("reference." + ext), format.getValue().apply("\n")));
            List<TextBytesFuzz.Case> cases = TextBytesFuzz.cases(format.getValue(), 20261207L + ext.hashCode(), 150);
            for (int i = 0; i < cases.size(); i++, all++) {
                TextBytesFuzz.Case c = cases.get(i);
                // UTF-16 with its byte-order mark is a sidecar's encoding too (subtitles saved as "Unicode" on Windows)
                boolean readable = c.utf8() || c.how().startsWith("UTF-16LE+BOM") || c.how().startsWith("UTF-16BE+BOM");
                Path file = Files.write(dir.resolve("s" + i + "." + ext), c.bytes());
                String problem = problem(c, readable, file, expected);
                if (problem.startsWith("read")) read++;
                else refused++;
                if (problem.contains(": wrong: ")) wrong.add(ext + " " + c.how() + ": " + problem);
            }
        }
        assertEquals(List.of(), wrong.stream().limit(15).toList(), wrong.size() + " of " + all + " wrong, "
                + wrong.stream().filter(w -> w.contains("read though damaged")).count() + " of them read with the damage");
        assertEquals(4 * 12, read, "per format, UTF-8 with and without a mark and UTF-16LE/BE with one, in 3 line endings");
        assertTrue(refused > 4 * 150, refused + " refused");
    }

    /** "read" or "refused", followed by ": wrong: " and why where that was not the right answer for {@code c}. */
    private String problem(TextBytesFuzz.Case c, boolean readable, Path file, Transcript expected) {
        try {
            Transcript t = loader.load(file);
            if (!readable) return "read: wrong: read though damaged: " + t.text();
            if (!t.text().equals(expected.text()) || !t.segments().equals(expected.segments()))
                return "read: wrong: read as " + t.text() + " " + t.segments();
            return "read";
        } catch (MediaException e) {
            if (readable) return "refused: wrong: " + e.getMessage();
            List<String> why = new ArrayList<>();
            String fault = TextBytesFuzz.wrongRefusal(c, file, e.getMessage());
            if (fault != null) why.add(fault);
            if (e.kind() != MediaException.Kind.BAD_TRANSCRIPT) why.add("kind " + e.kind());
            Matcher offset = OFFSET.matcher(e.getMessage()), stray = STRAY_AT.matcher(c.how());
            if (!offset.find()) why.add("no byte offset");
            // A stray byte inside a character makes that character's first byte the first wrong one, and one that
            // ends a character the character's next byte.
            else if (stray.find() && Math.abs(Long.parseLong(offset.group(1)) - Long.parseLong(stray.group(1))) > 3)
                why.add("offset " + offset.group(1));
            return why.isEmpty() ? "refused" : "refused: wrong: " + String.join("; ", why);
        } catch (RuntimeException e) {
            return "failed: wrong: " + e;
        }
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** One kind of damage: what stands before the document's second line, in the document's encoding, and after it. */
    private record Damage(String how, byte[] mark, java.nio.charset.Charset charset, byte[] damage, boolean atEnd) {
        Damage(String how, byte[] damage) {
            this(how, new byte[0], StandardCharsets.UTF_8, damage, false);
        }

        /** The document with the damage at the start of its second line (or at its end), and where that is. */
        byte[] bytes(String doc) {
            int cut = atEnd ? doc.length() : doc.indexOf('\n') + 1;
            return concat(mark, doc.substring(0, cut).getBytes(charset), damage, doc.substring(cut).getBytes(charset));
        }

        String where(String doc) {
            int cut = atEnd ? doc.length() : doc.indexOf('\n') + 1;
            long line = doc.substring(0, cut).chars().filter(c -> c == '\n').count() + 1;
            return "on line " + line + " of the file (at byte offset " + (mark.length + doc.substring(0, cut).getBytes(charset).length) + ")";
        }
    }

    /**
     * The marks and encodings one by one, in every format: a mark alone reads as the empty file does, and each damage is
     * refused naming the line and byte offset where it stands (the start of the document's second line, or its end).
     */
    @Test
    void marksAloneReadAsEmptyAndEachDamageIsRefusedWhereItStands(@TempDir Path dir) throws Exception {
        byte[] utf8Mark = bytes(0xEF, 0xBB, 0xBF), le = bytes(0xFF, 0xFE), be = bytes(0xFE, 0xFF);
        List<Damage> damages = List.of(
                new Damage("NUL", bytes(0)),
                new Damage("over-long '/' C0 AF", bytes(0xC0, 0xAF)),
                new Damage("over-long 'a' E0 81 A1", bytes(0xE0, 0x81, 0xA1)),
                new Damage("over-long 4 bytes F0 80 81 A1", bytes(0xF0, 0x80, 0x81, 0xA1)),
                new Damage("lone surrogate ED A0 80 (CESU)", bytes(0xED, 0xA0, 0x80)),
                new Damage("a surrogate pair as CESU-8", bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80)),
                new Damage("UTF-8 mark, then a NUL", utf8Mark, StandardCharsets.UTF_8, bytes(0), false),
                new Damage("UTF-16LE mark, then a lone surrogate", le, StandardCharsets.UTF_16LE, bytes(0x00, 0xD8), false),
                new Damage("UTF-16BE mark, then a lone low surrogate", be, StandardCharsets.UTF_16BE, bytes(0xDC, 0x00), false),
                new Damage("UTF-16LE mark, a NUL", le, StandardCharsets.UTF_16LE, bytes(0, 0), false),
                new Damage("UTF-16LE mark, an odd last byte", le, StandardCharsets.UTF_16LE, bytes(0x41), true),
                new Damage("UTF-32LE with its mark", bytes(0xFF, 0xFE, 0, 0), java.nio.charset.Charset.forName("UTF-32LE"),
                        new byte[0], false));
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (String ext : FORMATS.keySet()) {
            String empty = outcome(Files.write(dir.resolve("empty." + ext), new byte[0]));
            for (byte[] mark : List.of(utf8Mark, le, be)) {
                Path onlyMark = Files.write(dir.resolve("mark" + n++ + "." + ext), mark);
                String got = outcome(onlyMark).replace(onlyMark.getFileName().toString(), "empty." + ext);
                if (!got.equals(empty)) wrong.add(ext + " only a mark " + mark.length + ": " + got + ", empty file: " + empty);
            }
            String doc = FORMATS.get(ext).apply("\n");
            for (Damage d : damages) {
                Path file = Files.write(dir.resolve("damaged" + n++ + "." + ext), d.bytes(doc));
                String got = outcome(file);
                // UTF-32 with a mark reads as UTF-16LE whose second character is a NUL
                String where = d.how().startsWith("UTF-32") ? "on line 1 of the file (at byte offset 2)" : d.where(doc);
                if (!got.startsWith("refused " + file.getFileName() + ": not UTF-") || !got.contains(where))
                    wrong.add(ext + " " + d.how() + ": expected " + where + ": " + got);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " wrong");
    }

    /** What loading {@code file} gives: its text and segments, or its refusal. */
    private String outcome(Path file) {
        try {
            Transcript t = loader.load(file);
            return "read [" + t.text() + "] " + t.segments();
        } catch (MediaException e) {
            return "refused " + e.getMessage();
        }
    }
}
