package dev.moodtag.transcribe;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import dev.moodtag.support.ShownText;
import dev.moodtag.support.SpreadsheetCells;
import dev.moodtag.support.Utf8Text;
import dev.moodtag.support.WholeFile;
import dev.moodtag.support.WholeNumber;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static dev.moodtag.support.SpreadsheetCells.guard;
import static dev.moodtag.support.SpreadsheetCells.unguard;

/**
 * The per-clip statistics file of {@code moodtag asr-eval}: one row per clip with the hypothesis, the gate's verdict,
 * the recogniser's statistics and the word errors. Written once by a recognising run and read back by
 * {@code --from-stats}, so that thresholds are chosen and reported without running the recogniser again. Figures are
 * written at full precision: a clip read back is decided exactly as it was when recognised. Text cells (clip names,
 * transcripts: from anyone) are guarded against formula injection for the spreadsheets the file is opened in, and
 * read back without the guard ({@link SpreadsheetCells}).
 */
public final class AsrClipsCsv {

    static final String[] HEADER = {"file", "reference", "hypothesis", "accepted", "reason", "words", "mean_confidence",
            "min_confidence", "low_confidence_share", "geometric_mean_confidence", "audio_s", "voiced_s", "voiced_coverage",
            "language", "edits", "reference_words", "seconds", "input"};

    private AsrClipsCsv() {
    }

    public static void write(Path file, List<AsrClip> clips) throws IOException {
        // Whole or not at all: a half-written file read back by --from-stats would be figures of part of the corpus
        WholeFile.write(file, temporary -> {
            try (Writer w = Files.newBufferedWriter(temporary);
                 CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
                for (AsrClip c : clips) {
                    SpeechStatistics s = c.statistics();
                    GateDecision d = c.decision();
                    p.printRecord(guard(c.file()), guard(c.reference()), guard(c.hypothesis()), d.accepted(), guard(d.reason()), s.words(),
                            number(s.meanConfidence()), number(s.minConfidence()), number(s.lowConfidenceShare()),
                            number(s.geometricMeanConfidence()), number(s.audioSeconds()),
                            number(s.voicedSeconds()), number(s.voicedCoverage()), guard(s.language()),
                            c.hasReference() ? c.edits() : "", c.hasReference() ? c.referenceWords() : "",
                            c.cached() ? "" : number(c.seconds()), guard(c.input()));
                }
            }
        });
    }

    /**
     * The clips of a statistics file, decided by {@code gate}; a file without the statistics' columns is refused, and so
     * is one whose bytes are not UTF-8 (a byte order mark, as a spreadsheet saves one, is read past), whose CSV is not
     * well-formed, or with a row of more or fewer cells than its header, naming the file and the line.
     */
    public static List<AsrClip> read(Path file, TranscriptGate gate) throws IOException {
        List<AsrClip> clips = new ArrayList<>();
        try (Reader r = Utf8Text.withoutByteOrderMark(new BufferedReader(new Utf8Text(file)));
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            List<String> missing = new ArrayList<>();
            for (String column : HEADER) if (!p.getHeaderMap().containsKey(column)) missing.add(column);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(file + " is not an asr-eval statistics file: it lacks " + missing);
            }
            for (CSVRecord rec : p) {
                if (rec.size() != p.getHeaderNames().size())
                    throw new IllegalArgumentException(file + " line " + (rec.getRecordNumber() + 1) + " has " + rec.size()
                            + " cells; its header has " + p.getHeaderNames().size());
                SpeechStatistics s = new SpeechStatistics(count(rec, "words", file),
                        share(rec, "mean_confidence", file), share(rec, "min_confidence", file),
                        share(rec, "low_confidence_share", file), share(rec, "geometric_mean_confidence", file),
                        seconds(rec, "audio_s", file), seconds(rec, "voiced_s", file), share(rec, "voiced_coverage", file),
                        unguard(rec.get("language")));
                String reference = unguard(rec.get("reference"));
                boolean hasReference = !reference.isBlank();
                clips.add(new AsrClip(unguard(rec.get("input")), unguard(rec.get("file")), hasReference ? reference : null,
                        unguard(rec.get("hypothesis")), s, gate.decide(s),
                        hasReference ? count(rec, "edits", file) : 0,
                        hasReference ? count(rec, "reference_words", file) : 0, true, 0));
            }
        } catch (IOException | UncheckedIOException e) {
            Utf8Text.refuseIfNotUtf8(e, "statistics file");
            if (e.getCause() instanceof CSVException syntax)
                throw new IllegalArgumentException(file + " is not well-formed CSV: " + syntax.getMessage(), syntax);
            throw e;
        }
        return clips;
    }

    /** A decimal number as {@link #write} writes one (Double.toString), or as a spreadsheet saves it again. */
    private static final Pattern DECIMAL = Pattern.compile("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    /**
     * A figure column: blank where the figure was not measured (NaN, as written), else a decimal number within
     * {@code from} and {@code to}. Read with Double.parseDouble, "Infinity", "1e400", "0x1.8p-1", "0.75d", a confidence
     * of 1.5 or -0.25 and a negative duration were read, and the gate decided on them.
     */
    private static double figure(CSVRecord rec, String column, Path file, double from, double to, String range) {
        String cell = rec.get(column);
        if (cell.isEmpty()) return Double.NaN;
        double v = DECIMAL.matcher(cell).matches() ? Double.parseDouble(cell) : Double.NaN;
        if (!(v >= from && v <= to))
            throw new IllegalArgumentException(file + " line " + (rec.getRecordNumber() + 1) + ": '" + column
                    + "' must be blank or a number " + range + ", not \"" + ShownText.visible(ShownText.shortened(cell, 80)) + "\"");
        return v;
    }

    /** A confidence or a share: from 0 to 1. */
    private static double share(CSVRecord rec, String column, Path file) {
        return figure(rec, column, file, 0, 1, "from 0 to 1");
    }

    /** A duration: from 0, finite. */
    private static double seconds(CSVRecord rec, String column, Path file) {
        return figure(rec, column, file, 0, Double.MAX_VALUE, "of seconds from 0");
    }

    /**
     * A count column: a whole number from 0, in ASCII digits ({@link WholeNumber}). Read with Integer.parseInt, "-3" words
     * and "+3" were read (and "٣", Arabic-Indic three), and a negative edit count gave a word error rate below 0.
     */
    private static int count(CSVRecord rec, String column, Path file) {
        return (int) WholeNumber.within(rec.get(column), column, 0, Integer.MAX_VALUE, words -> new IllegalArgumentException(
                file + " line " + (rec.getRecordNumber() + 1) + ": " + words));
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

}
