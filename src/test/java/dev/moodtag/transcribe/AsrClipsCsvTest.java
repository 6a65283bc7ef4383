package dev.moodtag.transcribe;

import dev.moodtag.support.FormulaCells;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asr-eval's per-clip statistics file: opened in spreadsheets, and read back by --from-stats. */
class AsrClipsCsvTest {

    /**
     * Clip names come from the archive, references from its transcripts and hypotheses from the recogniser: none of
     * them is a formula in the file (OWASP CSV injection), the figures stay numbers, and --from-stats reads every
     * text back exactly.
     */
    @Test
    void noTextCellIsAFormulaAndEveryClipReadsBackExactly(@TempDir Path dir) throws Exception {
        List<String> cells = FormulaCells.grid();
        TranscriptGate gate = new TranscriptGate(0.5, 0.0);
        List<AsrClip> clips = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i), d = cells.get(cells.size() - 1 - i);
            SpeechStatistics s = new SpeechStatistics(i, 0.75, 0.5, 0.25, 0.7, 3.5, 2.0, 0.5, d);
            clips.add(new AsrClip(d, c, d, c, s, gate.decide(s), 1, 2, false, 0.5));
        }
        Path file = dir.resolve("clips.csv");
        AsrClipsCsv.write(file, clips);
        List<String> wrong = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            for (CSVRecord rec : p)
                for (String column : List.of("file", "reference", "hypothesis", "reason", "language", "input")) {
                    String cell = rec.get(column);
                    if (FormulaCells.isFormula(cell)) wrong.add(column + " is a formula: " + cell);
                }
        }
        List<AsrClip> back = AsrClipsCsv.read(file, gate);
        assertEquals(clips.size(), back.size());
        for (int i = 0; i < clips.size(); i++) {
            AsrClip a = clips.get(i), b = back.get(i);
            if (!List.of(a.file(), a.reference(), a.hypothesis(), a.input(), a.statistics().language())
                    .equals(List.of(b.file(), b.reference(), b.hypothesis(), b.input(), b.statistics().language())))
                wrong.add("reads back as " + b + ", not " + a);
            if (a.statistics().meanConfidence() != b.statistics().meanConfidence() || a.edits() != b.edits())
                wrong.add("figures changed: " + b);
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong, the first: " + wrong.subList(0, Math.min(20, wrong.size())));
    }

    /**
     * The counts --from-stats reads back (words, edits, reference_words) are whole numbers from 0 in ASCII digits: the
     * written number reads back, a sign, a minus, another script's digits, spaces, a fraction, an exponent or a number
     * past an int is refused naming the file, the line, the column and the cell. Read with Integer.parseInt, "+3",
     * "-3" and "\u0663" (Arabic-Indic three) were read, and -3 edits gave a word error rate below 0.
     */
    @Test
    void theCountsAreWholeNumbersFromZeroInAsciiDigitsOrRefusedNamingTheLineAndColumn(@TempDir Path dir) throws Exception {
        TranscriptGate gate = new TranscriptGate(0.5, 0.0);
        SpeechStatistics s = new SpeechStatistics(3, 0.75, 0.5, 0.25, 0.7, 3.5, 2.0, 0.5, "en");
        Path written = dir.resolve("clips.csv");
        AsrClipsCsv.write(written, List.of(new AsrClip("in", "a.wav", "one two three", "one two three", s, gate.decide(s), 3, 3,
                false, 0.5)));
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (String column : List.of("words", "edits", "reference_words")) {
            for (String cell : List.of("3", "03", "0", "2147483647", "+3", "-3", "-0", "\u0663", "\uff13", " 3", "3 ", "3.0",
                    "3e0", "", "0x3", "2147483648", "99999999999999999999", "three")) {
                Path file = Files.createTempFile(dir, "stats", ".csv");
                try (Reader r = Files.newBufferedReader(written);
                     CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r);
                     var out = new org.apache.commons.csv.CSVPrinter(Files.newBufferedWriter(file),
                             CSVFormat.DEFAULT.builder().setHeader(p.getHeaderNames().toArray(String[]::new)).get())) {
                    for (CSVRecord rec : p) {
                        List<String> values = new ArrayList<>(rec.toList());
                        values.set(p.getHeaderMap().get(column), cell);
                        out.printRecord(values);
                    }
                }
                String got;
                try {
                    AsrClip back = AsrClipsCsv.read(file, gate).get(0);
                    got = "reads " + List.of(back.statistics().words(), back.edits(), back.referenceWords());
                } catch (IllegalArgumentException e) {
                    got = e.getMessage();
                }
                cells++;
                // "-0" is 0 as written; "-3" is a whole number, out of range
                boolean whole = cell.matches("-?[0-9]+") && new java.math.BigInteger(cell).signum() >= 0
                        && new java.math.BigInteger(cell).compareTo(java.math.BigInteger.valueOf(Integer.MAX_VALUE)) <= 0;
                List<Integer> expected = new ArrayList<>(List.of(3, 3, 3));
                if (whole) expected.set(List.of("words", "edits", "reference_words").indexOf(column), Integer.parseInt(cell));
                String right = whole ? "reads " + expected : file + " line 2: '" + column
                        + "' must be a whole number from 0 to 2147483647, not \"" + cell + "\"";
                if (!got.equals(right)) wrong.add(column + " \"" + cell + "\": " + got);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
    }
}
