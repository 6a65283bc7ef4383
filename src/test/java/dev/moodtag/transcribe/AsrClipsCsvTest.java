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
}
