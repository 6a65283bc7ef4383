package dev.moodtag.train;

import dev.moodtag.testing.TextBytesFuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A label map given as a CSV file ({@code raw,class}) is read as CSV, as spreadsheets save it (found by a review: it
 * was split on the first comma of each line, so a byte order mark made the header a mapping and "class" a class of no
 * rows, and a quoted label with a comma or an equals sign became another label).
 */
class LabelMapFileTest {

    @Test
    void aLabelMapFileIsReadAsCsvWithItsHeaderByteOrderMarkQuotesAndLineEnds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("map.csv");
        Files.writeString(file, "\uFEFFraw,class\r\n# a comment\r\nhap,happy\r\n\"exc, very\",happy\r\n\"a=b\",\"sad, deeply\"\r\n"
                + "\r\n ang ,angry\r\nneu\r\n");
        LabelMap map = LabelMap.parse(file.toString());
        assertEquals(List.of("happy", "sad, deeply", "angry", "neu"), map.classes());
        assertEquals(0, map.classOf("HAP").orElseThrow());
        assertEquals(0, map.classOf("exc, very").orElseThrow());
        assertEquals(1, map.classOf("a=b").orElseThrow());
        assertEquals(2, map.classOf("ang").orElseThrow());
        assertEquals(3, map.classOf("neu").orElseThrow(), "a raw label alone is its own class, as inline");
        assertTrue(map.classOf("raw").isEmpty(), "the header is no mapping");
    }

    @Test
    void aLabelMapFileThatIsNotTwoColumnsIsRefusedNamingItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("map.csv");
        for (String bad : List.of("hap,happy,extra\n", "\"unclosed,happy\n", ",happy\n", "hap,happy\nHAP,sad\n")) {
            Files.writeString(file, "raw,class\n" + bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelMap.parse(file.toString()), bad);
            assertTrue(e.getMessage().contains("map.csv"), e.getMessage());
        }
    }

    /**
     * An inline map that gives a label no class ({@code angry=}, a typo) is refused: the rows were trained as a class
     * named "" (found by a review), which every result then gave as their label.
     */
    @Test
    void anInlineMapThatGivesALabelNoClassIsRefused() {
        for (String spec : List.of("angry=,sad", "angry= ,sad=sad", "=happy")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelMap.parse(spec), spec);
            assertTrue(e.getMessage().contains(spec), e.getMessage());
        }
        assertEquals(List.of("angry", "sad"), LabelMap.parse("angry, sad=sad ,").classes());
    }

    /**
     * {@code train --labels /proc/x}: a value that looks like a path (a slash, or a .csv/.json/.txt ending) and is not
     * there was taken as an inline list of one label, and the training answered, after its start, "label map
     * '/proc/x' keeps none of its 2 rows". Refused now as a missing file, naming it; inline lists, a label with a
     * slash among them, are read as before.
     */
    @Test
    void aValueThatLooksLikeAPathAndIsNotThereIsRefusedAsAMissingFile(@TempDir Path dir) {
        List<String> paths = List.of("/proc/x", "/no/such/map", "maps/four.txt", "four.json", "FOUR.TXT", "./x",
                dir.resolve("gone").toString(), dir.resolve("sub/four.json").toString(), "../m.txt");
        List<String> wrong = new java.util.ArrayList<>();
        for (String p : paths) {
            try {
                LabelMap map = LabelMap.parse(p);
                wrong.add(p + ": taken as an inline map " + map.classes());
            } catch (IllegalArgumentException e) {
                String abs = Path.of(p).toAbsolutePath().normalize().toString();
                if (!e.getMessage().equals("label map " + p + " does not exist (" + abs + ")")) wrong.add(p + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), wrong, paths.size() + " paths");
        // inline lists stay inline, a slash or a file-like ending inside a label included
        assertEquals(List.of("angry", "sad"), LabelMap.parse("anger/frustration=angry,sad").classes());
        assertEquals(List.of("angry", "sad"), LabelMap.parse("angry=angry,sad.txt=sad").classes());
        assertEquals(List.of("a/b"), LabelMap.parse("x=a/b").classes());
        assertEquals(List.of("happy", "sad"), LabelMap.parse("happy,sad").classes());
        assertEquals(List.of("angry"), LabelMap.parse("angry").classes());
    }

    @Test
    void aLabelMapFileThatIsNotThereOrNotAFileIsSaidPlainly(@TempDir Path dir) throws Exception {
        // Before: "reading label map /x/map.csv", which did not say what was wrong with it.
        Path gone = dir.resolve("not-here.csv");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> LabelMap.parse(gone.toString()));
        assertEquals("label map " + gone + " does not exist (" + gone.toAbsolutePath().normalize() + ")", missing.getMessage());
        Path folder = Files.createDirectory(dir.resolve("folder.csv"));
        IllegalArgumentException notFile = assertThrows(IllegalArgumentException.class, () -> LabelMap.parse(folder.toString()));
        assertTrue(notFile.getMessage().startsWith("label map " + folder + " cannot be read: "), notFile.getMessage());
    }

    /**
     * A label map file as spreadsheets and editors save it, and damaged ({@link TextBytesFuzz}): read as the UTF-8 it was
     * meant to be, or refused naming the file, UTF-8 and the line of the file. Saved as Windows-1252 or UTF-16, or with a
     * stray byte, it was refused as "not well-formed CSV: Input length = 1" (or "cannot be read: MalformedInputException")
     * naming no line, and a NUL became part of a label.
     */
    @Test
    void aLabelMapFileIsReadAsUtf8OrRefusedNamingTheLine(@TempDir Path dir) throws Exception {
        java.util.function.Function<String, String> text = nl -> "raw,class" + nl + "# é comment" + nl + "heureux,happy" + nl
                + "fröhlich,happy" + nl + "\"triste, très\",sad" + nl + "怒り,angry" + nl + "neutre😐,neutral" + nl;
        List<String> wrong = new java.util.ArrayList<>();
        List<TextBytesFuzz.Case> cases = TextBytesFuzz.cases(text, 20261209, 200);
        for (int i = 0; i < cases.size(); i++) {
            TextBytesFuzz.Case c = cases.get(i);
            Path file = Files.write(dir.resolve("map" + i + ".csv"), c.bytes());
            try {
                LabelMap map = LabelMap.parse(file.toString());
                if (!c.utf8()) wrong.add(c.how() + ": read though not UTF-8: " + map.mapping());
                else if (!map.classOf("triste, très").equals(java.util.Optional.of(1)) || map.classOf("怒り").isEmpty())
                    wrong.add(c.how() + ": " + map.mapping());
            } catch (IllegalArgumentException e) {
                String why = TextBytesFuzz.wrongRefusal(c, file, e.getMessage());
                if (why != null) wrong.add(why);
            } catch (RuntimeException e) {
                wrong.add(c.how() + ": " + e);
            }
        }
        assertEquals(List.of(), wrong.stream().limit(12).toList(), wrong.size() + " of " + cases.size() + " wrong");
    }
}
