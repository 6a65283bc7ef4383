package dev.moodtag.transcribe;

import dev.moodtag.support.FormulaCells;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
                Path file = withCell(written, column, cell, dir);
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

    /**
     * The figures --from-stats reads back (the confidences, shares and coverage from 0 to 1, the audio and voiced seconds
     * from 0) are blank (not measured) or a decimal number in their range: the written figure reads back, as does another
     * decimal form a spreadsheet saves; a word, a hexadecimal or suffixed number, spaces, a figure out of its range or past
     * a double is refused naming the file, the line, the column and the cell. Read with Double.parseDouble, "Infinity",
     * "1e400", "0x1.8p-1", "0.75d", a confidence of 1.5 and -1 seconds were read, and the gate decided on them.
     */
    @Test
    void theFiguresAreBlankOrDecimalsInTheirRangeOrRefusedNamingTheLineAndColumn(@TempDir Path dir) throws Exception {
        TranscriptGate gate = new TranscriptGate(0.5, 0.0);
        SpeechStatistics s = new SpeechStatistics(3, 0.75, 0.5, 0.25, 0.7, 3.5, 2.0, 0.5, "en");
        Path written = dir.resolve("clips.csv");
        AsrClipsCsv.write(written, List.of(new AsrClip("in", "a.wav", "one two three", "one two three", s, gate.decide(s), 3, 3,
                false, 0.5)));
        List<String> shares = List.of("mean_confidence", "min_confidence", "low_confidence_share",
                "geometric_mean_confidence", "voiced_coverage"), durations = List.of("audio_s", "voiced_s");
        List<String> columns = new ArrayList<>(shares);
        columns.addAll(durations);
        List<String> wrong = new ArrayList<>();
        int cells = 0, read = 0;
        for (String column : columns) {
            for (String cell : List.of("0.75", "0.0", "1.0", "0", "1", "-0.0", "7.5E-1", "1.0E-4", ".5", "0.", "", "+0.75",
                    "0.75d", "0.75f", "0x1.8p-1", "Infinity", "-Infinity", "NaN", " 0.75", "0.75 ", "1.5", "-0.25",
                    "1.0000001", "1e400", "-1e-400", "2.0", "1e300", "0,75", "\u0660.5", "\uff10.5", "0.5.0", "e5", "abc")) {
                Path file = withCell(written, column, cell, dir);
                String got;
                try {
                    SpeechStatistics back = AsrClipsCsv.read(file, gate).get(0).statistics();
                    double[] figures = {back.meanConfidence(), back.minConfidence(), back.lowConfidenceShare(),
                            back.geometricMeanConfidence(), back.voicedCoverage(), back.audioSeconds(), back.voicedSeconds()};
                    got = "reads " + figures[columns.indexOf(column)];
                    read++;
                } catch (IllegalArgumentException e) {
                    got = e.getMessage();
                }
                cells++;
                boolean share = shares.contains(column);
                double v = cell.matches("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?") ? Double.parseDouble(cell) : Double.NaN;
                boolean inRange = cell.isEmpty() || v >= 0 && (share ? v <= 1 : v <= Double.MAX_VALUE);
                String right = inRange ? "reads " + (cell.isEmpty() ? Double.NaN : v) : file + " line 2: '" + column
                        + "' must be blank or a number " + (share ? "from 0 to 1" : "of seconds from 0") + ", not \""
                        + cell + "\"";
                if (!got.equals(right)) wrong.add(column + " \"" + cell + "\": " + got);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong (" + read + " read):\n"
                + String.join("\n", wrong));
    }

    /**
     * A statistics file opened in a spreadsheet and saved again, or damaged: with a byte order mark it reads as written;
     * in another encoding, with a stray byte, not well-formed or with a row of the wrong length it is refused in an
     * {@link IllegalArgumentException} naming the file and the line. Before, the mark made it "not an asr-eval statistics
     * file", other bytes were a MalformedInputException, a syntax error an UncheckedIOException and a short row
     * commons-csv's words without the file.
     */
    @Test
    void aResavedOrDamagedStatisticsFileReadsAsWrittenOrIsRefusedNamingTheLine(@TempDir Path dir) throws Exception {
        TranscriptGate gate = new TranscriptGate(0.5, 0.0);
        SpeechStatistics s = new SpeechStatistics(3, 0.75, 0.5, 0.25, 0.7, 3.5, 2.0, 0.5, "en");
        Path written = dir.resolve("clips.csv");
        AsrClipsCsv.write(written, List.of(new AsrClip("in", "café.wav", "Grüße aus Köln", "grüße aus köln", s,
                gate.decide(s), 0, 3, false, 0.5)));
        String text = Files.readString(written);
        String header = text.substring(0, text.indexOf('\n') + 1), row = text.substring(header.length());
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("mark", ("\uFEFF" + text).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        files.put("latin-1", text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        files.put("utf-16", ("\uFEFF" + text).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        files.put("short row", (header + row + "a.wav,x\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        files.put("long row", (header + row.strip() + ",x\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        files.put("open quote", (header + row + "\"a.wav,x\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> wrong = new ArrayList<>();
        for (var f : files.entrySet()) {
            Path file = Files.write(dir.resolve(f.getKey().replace(' ', '-') + ".csv"), f.getValue());
            String got;
            try {
                AsrClip back = AsrClipsCsv.read(file, gate).get(0);
                got = "reads " + back.file() + " " + back.reference() + " " + back.statistics().meanConfidence();
            } catch (IllegalArgumentException e) {
                got = e.getMessage();
            } catch (Exception e) {
                got = e.toString();
            }
            boolean right = f.getKey().equals("mark") ? got.equals("reads café.wav Grüße aus Köln 0.75")
                    : got.contains(file.toString()) && got.contains(f.getKey().equals("short row") ? "line 3 has 2 cells"
                    : f.getKey().equals("long row") ? "line 2 has 19 cells"
                    : f.getKey().contains("quote") ? "not well-formed CSV" : "UTF-8 text: on line");
            if (!right) wrong.add(f.getKey() + ": " + got);
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + files.size() + " wrong");
    }

    /** A copy of the statistics file {@code written} in {@code dir} with {@code cell} in every row's {@code column}. */
    private static Path withCell(Path written, String column, String cell, Path dir) throws IOException {
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
        return file;
    }
}
