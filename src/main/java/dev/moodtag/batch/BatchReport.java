package dev.moodtag.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.StagingFolders;
import dev.moodtag.storage.StorageException;
import dev.moodtag.support.ShownText;
import dev.moodtag.support.UnwritableFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a batch's index ({@code index.jsonl}, {@code index.csv}) and a self-contained HTML report (inline SVG, no
 * scripts, no external resources): counts per label, emotion over time for every recording with a timeline, and
 * failures with their reasons. The three are written whole and then moved in together, so a reader never sees a part
 * of one, nor one run's index beside another run's report.
 */
public final class BatchReport {

    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    /** Timelines drawn in the report; the index lists every object. */
    static final int MAX_TIMELINES = 20;
    /** Segments whose words, or why they have none, are listed under a timeline; the rest are in the result file. */
    static final int MAX_SEGMENT_TEXTS = 200;
    /** Columns of the emotion-over-time plot. */
    static final int BINS = 180;
    /** Up to this many segments, the label band draws one rectangle per segment (with its own tooltip). */
    static final int MAX_BAND_RECTS = 1_000;
    /** Lines end with LF only, as the JSONL index does. */
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private final ObjectMapper json = new ObjectMapper();

    /**
     * Writes the three files into {@code dir} (created; see {@link ReportFolder#prepare}) and returns the report's path.
     * They replace an earlier run's as a set: each is written whole into a folder of its own inside {@code dir}, and
     * moved in once all three are. Written in place one by one, a disk that filled part-way left this run's
     * index.jsonl beside the earlier run's index.csv and report.html, each whole, none saying which run it was: the
     * report a reader opened described another batch than the index. The moves take no room. A staging folder that a run killed
     * mid-write left is removed by the next ({@link StagingFolders}).
     */
    public Path write(BatchSummary summary, Path dir, String title) throws IOException {
        dir = ReportFolder.prepare(dir);
        // Jackson's own UTF-8 writes a lone surrogate as a JSON escape; String.getBytes wrote '?' for it
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        for (BatchRow r : summary.rows()) {
            jsonl.write(json.writeValueAsBytes(r));
            jsonl.write('\n');
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.jsonl", jsonl.toByteArray());
        files.put("index.csv", csv(summary).getBytes(StandardCharsets.UTF_8));
        files.put(REPORT, html(summary, title).getBytes(StandardCharsets.UTF_8));
        Path staging;
        try {
            staging = StagingFolders.create(dir, STAGING);
        } catch (IOException e) {
            throw unwritable(dir.resolve("index.jsonl"), e);
        }
        try {
            for (var f : files.entrySet()) atomically(staging.resolve(f.getKey()), dir.resolve(f.getKey()), f.getValue());
            for (String name : files.keySet()) {
                try {
                    Files.move(staging.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw unwritable(dir.resolve(name), e);
                }
            }
        } finally {
            StagingFolders.remove(staging, STAGING);
        }
        return dir.resolve(REPORT);
    }

    private static final String REPORT = "report.html";
    /** What {@link StagingFolders} names the folder the three files are written into. */
    private static final String STAGING = "report";

    /**
     * The CSV index: RFC 4180 quoting by commons-csv, and a text cell that a spreadsheet would run as a formula written
     * after a {@code '} ({@link dev.moodtag.support.SpreadsheetCells}); index.jsonl has every name exact.
     */
    static String csv(BatchSummary summary) throws IOException {
        StringBuilder csv = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(csv, CSV.builder().setHeader(BatchRow.CSV_HEADER).get())) {
            for (BatchRow r : summary.rows()) printer.printRecord((Object[]) r.csv());
        }
        return csv.toString();
    }

    String html(BatchSummary s, String title) {
        // The classifier's own class order first, so that a label has the same colour in every report made with
        // that classifier, whichever labels a batch happens to contain; then any other label, sorted.
        List<String> classes = new ArrayList<>(s.classes());
        for (String label : new TreeSet<>(s.labels().keySet())) if (!classes.contains(label)) classes.add(label);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(name(title))
                .append("</title><style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;"
                        + "font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}"
                        + "h2{margin-top:28px}.fail{color:#b00}.legend span{display:inline-block;margin-right:14px}"
                        + ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}"
                        + ".unsure{color:#999}.missing{color:#777;font-style:italic}</style></head><body>");
        h.append("<h1>").append(name(title)).append("</h1>");
        long files = s.rows().size();
        h.append(String.format(Locale.ROOT, "<p>%d object(s) in %.1f s (%.2f objects/s)%s. Outcomes: %s. Failures: %d. "
                        + "Ignored (not media or filtered out, not failures): %d.</p>",
                files, s.seconds(), files / Math.max(1e-9, s.seconds()),
                s.stopped() ? ", <b>stopped before the end</b> (" + esc(s.toContinue()) + ")" : "",
                esc(s.outcomes().toString()), s.failures().size(), s.ignored().size()));
        if (s.speech() != null) h.append("<p>Speech over the batch: ").append(esc(s.speech().line())).append(".</p>");
        h.append("<div class=\"legend\">");
        for (String c : classes) h.append("<span><i class=\"sw\" style=\"background:").append(colour(classes, c))
                .append("\"></i>").append(name(c)).append("</span>");
        h.append("</div>");
        h.append("<h2>Objects per label</h2>").append(barChart(s.labels(), classes));
        int drawn = 0;
        for (BatchRow r : s.rows()) {
            // A row whose result a batch let go (past the timelines drawn, DrawnTimelines) still counts its segments.
            boolean timeline = r.drawing() != null
                    || (r.result() != null ? r.result().path("timeline").isObject() : r.segments() != null);
            if (!timeline) continue;
            if (drawn++ == MAX_TIMELINES) {
                h.append("<p>Further timelines are in the result files (index.jsonl lists them).</p>");
                break;
            }
            TimelineDrawing drawing = r.drawing() != null ? r.drawing() : r.result() != null ? TimelineDrawing.of(r.result()) : null;
            if (drawing != null)
                h.append("<h2>Emotion over time: ").append(name(r.object())).append("</h2>").append(drawing.render(classes));
        }
        h.append("<h2>Failures</h2>");
        if (s.failures().isEmpty()) h.append("<p>None.</p>");
        else {
            h.append("<table><tr><th>object</th><th>outcome</th><th>reason</th></tr>");
            for (BatchRow r : s.failures())
                h.append("<tr class=\"fail\"><td>").append(name(r.object())).append("</td><td>").append(esc(r.outcome()))
                        // "processed" alone reads like success: a result with status error was written for it.
                        .append(r.status() != null ? " (" + name(r.status()) + ")" : "")
                        .append("</td><td>").append(text(r.reason())).append("</td></tr>");
            h.append("</table>");
        }
        h.append("<h2>Ignored</h2>");
        if (s.ignored().isEmpty()) h.append("<p>None.</p>");
        else {
            h.append("<table><tr><th>file</th><th>why it was not tagged</th></tr>");
            for (BatchRow r : s.ignored())
                h.append("<tr><td>").append(name(r.object())).append("</td><td>").append(text(r.reason())).append("</td></tr>");
            h.append("</table>");
        }
        h.append("<h2>All objects</h2><table><tr><th>object</th><th>outcome</th><th>status</th><th>label</th>"
                + "<th>segments</th><th>seconds</th></tr>");
        for (BatchRow r : s.rows())
            h.append("<tr><td>").append(name(r.object())).append("</td><td>").append(esc(r.outcome())).append("</td><td>")
                    .append(name(r.status())).append("</td><td>").append(name(r.label())).append("</td><td>")
                    .append(r.segments() == null ? "" : r.segments()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", r.seconds())).append("</td></tr>");
        h.append("</table></body></html>\n");
        return h.toString();
    }

    private static String barChart(Map<String, Long> counts, List<String> classes) {
        if (counts.isEmpty()) return "<p>No object was labelled.</p>";
        int w = 560, rowH = 26, left = 110;
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", w, counts.size() * rowH + 10));
        int y = 5;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            double bw = (w - left - 60) * e.getValue() / (double) max;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"13\">%d</text>",
                    left - 8, y + 14, name(e.getKey()), left, y, bw, colour(classes, e.getKey()), left + bw + 6, y + 14, e.getValue()));
            y += rowH;
        }
        return svg.append("</svg>").toString();
    }

    static String colour(List<String> classes, String label) {
        int i = classes.indexOf(label);
        return i < 0 ? "#999" : PALETTE[i % PALETTE.length];
    }

    /**
     * A name from outside (object key, label, status, class) as the report shows it: a name of thousands of characters
     * by its beginning and end ({@link ShownText#shortened}), so that it does not fill the page in every table it is in.
     */
    static String name(String s) {
        return s == null ? "" : esc(ShownText.shortened(s, ShownText.NAME_CHARS));
    }

    /** A text from outside (a reason, which may quote a transcript; a segment's words) as the report shows it. */
    static String text(String s) {
        return s == null ? "" : esc(ShownText.shortened(s, ShownText.TEXT_CHARS));
    }

    /**
     * Text as HTML text or a double-quoted attribute value (also report.md's text, see the train report), with what
     * would hide or disguise it, or make an inline SVG unparseable, shown as code points ({@link ShownText#visible}).
     */
    public static String esc(String s) {
        if (s == null) return "";
        return ShownText.visible(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Through the local store, so the same temporary-name-and-rename write as for results. */
    /**
     * Writes {@code staged}, said as the file it becomes ({@code target}).
     *
     * @throws UnwritableFile naming the file and the fault: a full --out folder ended the batch, its results written,
     *                        in a StorageException's stack trace, and a read-only one would have said so only as well
     */
    private static void atomically(Path staged, Path target, byte[] content) {
        LocalObjectStorage dir = LocalObjectStorage.ofNamedFolder(staged.getParent());
        try {
            dir.writeAtomically(dir.refFor(staged), content, "text/plain");
        } catch (StorageException e) {
            throw unwritable(target, e.getCause() instanceof Exception io ? io : e);
        }
    }

    private static UnwritableFile unwritable(Path target, Exception cause) {
        return new UnwritableFile("the batch's " + target.getFileName() + " cannot be written: "
                + LocalFailures.inWords(cause, target) + "; the results are written beside the media, and the same command "
                + "run again with room writes the index without tagging them again", cause);
    }
}
