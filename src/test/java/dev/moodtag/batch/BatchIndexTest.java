package dev.moodtag.batch;

import dev.moodtag.support.FormulaCells;
import dev.moodtag.support.SpreadsheetCells;
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
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a batch reports, without tagging anything: ignored files are not failures, the CSV index reads back exactly
 * whatever the names and reasons hold (its formula guard undone), none of its text cells is a formula, and the output folder is checked (and normalised) before the batch runs.
 */
class BatchIndexTest {

    /** Characters that break hand-made CSV: separators, quotes, both line ends, spaces at the edges, a BOM, '#'. */
    private static final String[] NASTY = {"", ",", "\"", "\"\"", "\r", "\n", "\r\n", " ", "#", "\uFEFF", "é", "😀",
            "a,b", "say \"hi\"", "\"quoted\"", "line1\nline2", "trailing ", " leading", "=cmd()", "\t"};

    private static BatchRow row(String object, String outcome, String status, String reason) {
        return new BatchRow(object, outcome, status, status == null || status.equals("error") ? null : "happy", null,
                null, reason, null, 0.25, null);
    }

    @Test
    void anIgnoredFileIsListedApartAndIsNotAFailure() {
        BatchRow readme = row("file:///s/README.md", "ignored", null, "not a media file name (extensions [...])");
        BatchRow good = row("file:///s/a.wav", "processed", "labelled", null);
        BatchRow bad = row("file:///s/b.wav", "processed", "error", "truncated: ...");
        BatchSummary s = new BatchSummary(List.of(readme, good, bad), 1.0, false);
        assertFalse(readme.failed(), "ignored is not failed");
        assertEquals(List.of(bad), s.failures());
        String html = new BatchReport().html(s, "t");
        String failures = html.substring(html.indexOf("<h2>Failures</h2>"), html.indexOf("<h2>", html.indexOf("<h2>Failures</h2>") + 1));
        assertFalse(failures.contains("README.md"), failures);
        assertTrue(html.contains("<h2>Ignored</h2>"), html);
        String ignored = html.substring(html.indexOf("<h2>Ignored</h2>"), html.indexOf("<h2>All objects</h2>"));
        assertTrue(ignored.contains("README.md") && ignored.contains("not a media file name"), ignored);
        assertTrue(html.contains("Failures: 1. Ignored (not media or filtered out, not failures): 1."), html);
    }

    @Test
    void theCsvIndexReadsBackExactlyWhateverNamesAndReasonsHold(@TempDir Path dir) throws IOException {
        // Every pair of nasty fragments, plus seeded random mixes of them, as object names and reasons.
        List<BatchRow> rows = new ArrayList<>();
        for (String a : NASTY)
            for (String b : NASTY) rows.add(row("file:///x/" + a + "clip" + b + ".wav", "failed", null, b + "reason" + a));
        Random random = new Random(16);
        for (int i = 0; i < 200; i++) {
            StringBuilder name = new StringBuilder(), reason = new StringBuilder();
            for (int k = 0; k < 6; k++) {
                name.append(NASTY[random.nextInt(NASTY.length)]);
                reason.append(NASTY[random.nextInt(NASTY.length)]);
            }
            rows.add(row("file:///r/" + i + name, "ignored", null, reason.toString()));
        }
        BatchSummary s = new BatchSummary(rows, 1.0, false);
        new BatchReport().write(s, dir, "csv");
        List<CSVRecord> back;
        try (Reader in = Files.newBufferedReader(dir.resolve("index.csv"));
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            assertEquals(List.of(BatchRow.CSV_HEADER), p.getHeaderNames());
            back = p.getRecords();
        }
        assertEquals(s.rows().size(), back.size());
        for (int i = 0; i < back.size(); i++) {
            BatchRow r = s.rows().get(i);
            assertEquals(r.object(), SpreadsheetCells.unguard(back.get(i).get("object")), "row " + i);
            assertEquals(r.reason(), SpreadsheetCells.unguard(back.get(i).get("reason")), "row " + i);
            assertEquals(r.outcome(), back.get(i).get("outcome"), "row " + i);
        }
    }

    /**
     * OWASP CSV injection: an object named {@code =HYPERLINK("http://x","y").wav}, or a reason quoting a transcript
     * ({@code =cmd|' /C calc'!A0}), was a cell that Excel and LibreOffice run. Every text cell of the index starts
     * after a {@code '} where it would begin a formula, and reads back exactly through SpreadsheetCells.unguard; the
     * numbers (segments, seconds) stay numbers.
     */
    @Test
    void noTextCellOfTheCsvIndexIsAFormula() throws IOException {
        List<String> cells = FormulaCells.grid();
        List<BatchRow> rows = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i), d = cells.get(cells.size() - 1 - i);
            rows.add(new BatchRow(c, d, c, d, i, c, d, c, -3.2, null));
        }
        String csv = BatchReport.csv(new BatchSummary(rows, 1.0, false));
        List<CSVRecord> back;
        try (CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(csv))) {
            back = p.getRecords();
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            BatchRow r = rows.get(i);
            CSVRecord rec = back.get(i);
            String[] text = {r.object(), r.outcome(), r.status(), r.label(), r.dominant(), r.reason(), r.resultUri()};
            String[] columns = {"object", "outcome", "status", "label", "dominant", "reason", "result"};
            for (int k = 0; k < columns.length; k++) {
                String cell = rec.get(columns[k]);
                if (FormulaCells.isFormula(cell)) wrong.add(columns[k] + " is a formula: " + cell);
                if (!text[k].equals(SpreadsheetCells.unguard(cell))) wrong.add(columns[k] + " reads back as " + cell);
            }
            if (!rec.get("seconds").equals("-3.200") || !rec.get("segments").equals(Integer.toString(i)))
                wrong.add("numbers changed: " + rec.get("segments") + ", " + rec.get("seconds"));
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong cells, the first: " + wrong.subList(0, Math.min(20, wrong.size())));
        assertEquals("'=HYPERLINK(\"http://x\",\"y\").wav", back.get(0).get("object"));
    }

    /**
     * The seconds cell skips String.format for a row that took no time (every row of {@code moodtag status}); every
     * value is written as String.format wrote it: zero of both signs, NaN, infinities, the largest and smallest doubles,
     * halves at the third place (which %f rounds up from the shortest decimal, not the binary value: 1.0005 is
     * 1.001), values that round to a signed zero, and a seeded spread of magnitudes; and a whole index of them with
     * non-ASCII names is the same bytes as one made with String.format per row.
     */
    @Test
    void theSecondsCellIsWhatStringFormatWritesForEveryValue() throws IOException {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE,
                Double.MIN_NORMAL, 1e300, 1e-300, 2e23, 8.41e21, 0.0005, 0.0015, 1.0005, 0.9995, 2.675, -0.0004,
                -0.0005, 0.0004999, 1e-4, 0.25, -3.2, 59.9995, 1e15 + 0.5, 4.35, Math.nextUp(0.0), Math.nextDown(-0.0)));
        Random random = new Random(20261207);
        for (int i = 0; i < 2000; i++) {
            double magnitude = Math.pow(10, random.nextInt(41) - 20);
            values.add((random.nextBoolean() ? -1 : 1) * magnitude * random.nextDouble());
            values.add(random.nextInt(1_000_000) / 1000.0 + (random.nextBoolean() ? 0.0005 : 0));
        }
        values.add(Double.longBitsToDouble(0x7ff8000000000001L)); // a NaN of other bits
        List<String> wrong = new ArrayList<>();
        List<BatchRow> rows = new ArrayList<>();
        StringBuilder expected = new StringBuilder(String.join(",", BatchRow.CSV_HEADER)).append('\n');
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            String want = String.format(java.util.Locale.ROOT, "%.3f", v);
            if (!want.equals(BatchRow.secondsCell(v))) wrong.add(v + " (bits " + Long.toHexString(Double.doubleToRawLongBits(v))
                    + "): " + BatchRow.secondsCell(v) + ", not " + want);
            String name = "clip-" + i + "-é😀ß";
            rows.add(new BatchRow(name, BatchRow.PENDING, null, null, null, null, "ünïcode", null, v, null));
            expected.append(name).append(",pending,,,,,ünïcode,,").append(want).append('\n');
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + values.size() + " values");
        assertEquals(expected.toString(), BatchReport.csv(new BatchSummary(rows, 1.0, false)));
    }

    /**
     * index.jsonl is the exact twin of the report and the CSV: a name or reason holding a lone surrogate (a sidecar's
     * JSON may write "\\ud800") reads back as it was, written as a JSON escape, where encoding the whole text as UTF-8
     * replaced it with '?'.
     */
    @Test
    void theJsonIndexKeepsEveryNameExact(@TempDir Path dir) throws IOException {
        List<String> names = List.of("lone \uD800 high", "lone \uDC00 low", "\uDC00\uD800 reversed", "pair \uD83D\uDE00",
                "nul\u0000 \u202E \uFFFF", "=HYPERLINK(\"http://x\",\"y\").wav");
        List<BatchRow> rows = new ArrayList<>();
        for (String n : names) rows.add(row("file:///x/" + n, "failed", null, n + " reason"));
        new BatchReport().write(new BatchSummary(rows, 1.0, false), dir, "jsonl");
        List<String> lines = Files.readAllLines(dir.resolve("index.jsonl"));
        assertEquals(names.size(), lines.size());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < names.size(); i++) {
            assertEquals("file:///x/" + names.get(i), json.readTree(lines.get(i)).path("object").asText(), lines.get(i));
            assertEquals(names.get(i) + " reason", json.readTree(lines.get(i)).path("reason").asText(), lines.get(i));
        }
    }

    @Test
    void anOutputFolderWithDotDotIsResolvedAndTheReportWritten(@TempDir Path dir) throws IOException {
        Path work = Files.createDirectories(dir.resolve("work/sub"));
        Path out = work.resolve("../../reports/./batch"); // what `--out ../relative/path` becomes
        BatchSummary s = new BatchSummary(List.of(row("file:///s/a.wav", "processed", "labelled", null)), 1.0, false);
        Path html = new BatchReport().write(s, out, "relative");
        assertEquals(dir.resolve("reports/batch/report.html"), html);
        assertTrue(Files.isRegularFile(dir.resolve("reports/batch/index.csv")));
    }

    @Test
    void anUnusableOutputFolderIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        IllegalArgumentException notFolder = assertThrows(IllegalArgumentException.class, () -> ReportFolder.prepare(file));
        assertTrue(notFolder.getMessage().contains("not a folder"), notFolder.getMessage());
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class,
                () -> ReportFolder.prepare(file.resolve("sub")));
        assertTrue(below.getMessage().contains("cannot be written"), below.getMessage());
        assertEquals(dir.resolve("x"), ReportFolder.prepare(dir.resolve("y/../x")));
        try (var left = Files.list(dir.resolve("x"))) {
            assertEquals(0, left.count(), "the writability probe is removed");
        }
    }
}
