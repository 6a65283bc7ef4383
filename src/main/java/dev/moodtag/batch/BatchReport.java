package dev.moodtag.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import dev.moodtag.storage.LocalObjectStorage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a batch's index ({@code index.jsonl}, {@code index.csv}) and a self-contained HTML report (inline SVG, no
 * scripts, no external resources): counts per label, emotion over time for every recording with a timeline, and
 * failures with their reasons. Each file is written to a temporary name and renamed, so a reader never sees a part.
 */
public final class BatchReport {

    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    /** Timelines drawn in the report; the index lists every object. */
    static final int MAX_TIMELINES = 20;
    /** Segments whose words are listed under a timeline; the rest are in the result file. */
    static final int MAX_SEGMENT_TEXTS = 200;
    /** Columns of the emotion-over-time plot. */
    static final int BINS = 180;
    /** Up to this many segments, the label band draws one rectangle per segment (with its own tooltip). */
    static final int MAX_BAND_RECTS = 1_000;
    /** Distinct labels and statuses the band tells apart when drawn per pixel. */
    private static final int MAX_BAND_NAMES = 64;
    /** Lines end with LF only, as the JSONL index does. */
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private final ObjectMapper json = new ObjectMapper();

    /** Writes the three files into {@code dir} (created; see {@link ReportFolder#prepare}) and returns the report's path. */
    public Path write(BatchSummary summary, Path dir, String title) throws IOException {
        dir = ReportFolder.prepare(dir);
        StringBuilder jsonl = new StringBuilder();
        for (BatchRow r : summary.rows()) jsonl.append(json.writeValueAsString(r)).append('\n');
        atomically(dir.resolve("index.jsonl"), jsonl.toString());
        atomically(dir.resolve("index.csv"), csv(summary));
        Path html = dir.resolve("report.html");
        atomically(html, html(summary, title));
        return html;
    }

    /** The CSV index: RFC 4180 quoting by commons-csv, so any object name or reason reads back unchanged. */
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
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;"
                        + "font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}"
                        + "h2{margin-top:28px}.fail{color:#b00}.legend span{display:inline-block;margin-right:14px}"
                        + ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}"
                        + ".unsure{color:#999}</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1>");
        long files = s.rows().size();
        h.append(String.format(Locale.ROOT, "<p>%d object(s) in %.1f s (%.2f objects/s)%s. Outcomes: %s. Failures: %d. "
                        + "Ignored (not media or filtered out, not failures): %d.</p>",
                files, s.seconds(), files / Math.max(1e-9, s.seconds()),
                s.stopped() ? ", <b>stopped before the end</b> (run again to continue)" : "",
                esc(s.outcomes().toString()), s.failures().size(), s.ignored().size()));
        h.append("<div class=\"legend\">");
        for (String c : classes) h.append("<span><i class=\"sw\" style=\"background:").append(colour(classes, c))
                .append("\"></i>").append(esc(c)).append("</span>");
        h.append("</div>");
        h.append("<h2>Objects per label</h2>").append(barChart(s.labels(), classes));
        int drawn = 0;
        for (BatchRow r : s.rows()) {
            // A row whose result a batch let go (past the timelines drawn, DrawnTimelines) still counts its segments.
            boolean timeline = r.result() != null ? r.result().path("timeline").isObject() : r.segments() != null;
            if (!timeline) continue;
            if (drawn++ == MAX_TIMELINES) {
                h.append("<p>Further timelines are in the result files (index.jsonl lists them).</p>");
                break;
            }
            if (r.result() != null)
                h.append("<h2>Emotion over time: ").append(esc(r.object())).append("</h2>").append(timeline(r.result(), classes));
        }
        h.append("<h2>Failures</h2>");
        if (s.failures().isEmpty()) h.append("<p>None.</p>");
        else {
            h.append("<table><tr><th>object</th><th>outcome</th><th>reason</th></tr>");
            for (BatchRow r : s.failures())
                h.append("<tr class=\"fail\"><td>").append(esc(r.object())).append("</td><td>").append(esc(r.outcome()))
                        // "processed" alone reads like success: a result with status error was written for it.
                        .append(r.status() != null ? " (" + esc(r.status()) + ")" : "")
                        .append("</td><td>").append(esc(r.reason())).append("</td></tr>");
            h.append("</table>");
        }
        h.append("<h2>Ignored</h2>");
        if (s.ignored().isEmpty()) h.append("<p>None.</p>");
        else {
            h.append("<table><tr><th>file</th><th>why it was not tagged</th></tr>");
            for (BatchRow r : s.ignored())
                h.append("<tr><td>").append(esc(r.object())).append("</td><td>").append(esc(r.reason())).append("</td></tr>");
            h.append("</table>");
        }
        h.append("<h2>All objects</h2><table><tr><th>object</th><th>outcome</th><th>status</th><th>label</th>"
                + "<th>segments</th><th>seconds</th></tr>");
        for (BatchRow r : s.rows())
            h.append("<tr><td>").append(esc(r.object())).append("</td><td>").append(esc(r.outcome())).append("</td><td>")
                    .append(esc(r.status())).append("</td><td>").append(esc(r.label())).append("</td><td>")
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
                    left - 8, y + 14, esc(e.getKey()), left, y, bw, colour(classes, e.getKey()), left + bw + 6, y + 14, e.getValue()));
            y += rowH;
        }
        return svg.append("</svg>").toString();
    }

    /** Per-class probabilities of each segment as stacked columns over time, and the segments' labels as a band below. */
    private static String timeline(JsonNode result, List<String> classes) {
        JsonNode segments = result.path("timeline").path("segments");
        double duration = Math.max(1e-6, result.path("timeline").path("durationSeconds").asDouble());
        int w = 900, plotH = 180, left = 50, right = 20, top = 10, bandY = top + plotH + 14, bandH = 16;
        double pw = w - left - right;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">", w, bandY + bandH + 34));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
                left, top, pw, plotH));
        for (double p : new double[]{0, 0.5, 1})
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>",
                    left - 4, top + plotH * (1 - p) + 4, p));
        // Time is cut into at most BINS columns; each column stacks the per-class probabilities of the segments in it
        // (weighted by overlap), scaled by how much of the column segments cover: silence stays empty, and an hour
        // reads as well as a minute.
        int bins = (int) Math.min(BINS, Math.max(1, Math.ceil(duration / 2)));
        double binSeconds = duration / bins;
        double[][] mass = new double[bins][classes.size()];
        double[] covered = new double[bins];
        for (JsonNode seg : segments) {
            double s0 = seg.path("start").asDouble(), s1 = seg.path("end").asDouble();
            for (int b = Math.max(0, (int) (s0 / binSeconds)); b < bins && b * binSeconds < s1; b++) {
                double overlap = Math.min(s1, (b + 1) * binSeconds) - Math.max(s0, b * binSeconds);
                if (overlap <= 0) continue;
                covered[b] += overlap;
                for (int c = 0; c < classes.size(); c++) {
                    JsonNode p = seg.path("probabilities").path(classes.get(c));
                    if (p.isNumber()) mass[b][c] += overlap * p.asDouble();
                }
            }
        }
        for (int b = 0; b < bins; b++) {
            if (covered[b] <= 0) continue;
            double x0 = left + pw * b / bins, width = pw / bins;
            double y = top + plotH;
            for (int c = 0; c < classes.size(); c++) {
                double hgt = plotH * mass[b][c] / binSeconds;
                if (hgt <= 0) continue;
                y -= hgt;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"/>",
                        x0, y, width, hgt, colour(classes, classes.get(c))));
            }
        }
        if (segments.size() <= MAX_BAND_RECTS) {
            for (JsonNode seg : segments) {
                double x0 = left + pw * seg.path("start").asDouble() / duration, x1 = left + pw * seg.path("end").asDouble() / duration;
                bandRect(svg, x0, x1, bandY, bandH, seg.path("start").asDouble(), seg.path("end").asDouble(),
                        seg.path("label").asText(null), seg.path("status").asText(), classes);
            }
        } else {
            pixelBand(svg, segments, duration, left, pw, bandY, bandH, classes);
        }
        for (int i = 0; i <= 6; i++) {
            double t = duration * i / 6;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    left + pw * i / 6, bandY + bandH + 14, clock(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">columns: class probabilities of the segments in each slice of time, height = share of the slice in segments; band: label per segment; time →</text>",
                left, bandY + bandH + 30));
        svg.append("</svg>");
        JsonNode summary = result.path("summary");
        StringBuilder p = new StringBuilder("<p>");
        p.append(String.format(Locale.ROOT, "%d segments by %s over %s; dominant: <b>%s</b>; share of time: ",
                segments.size(), esc(result.path("timeline").path("segmentation").asText()), clock(duration),
                esc(summary.path("dominant").asText("none"))));
        Iterator<Map.Entry<String, JsonNode>> shares = summary.path("shareOfTime").fields();
        while (shares.hasNext()) {
            Map.Entry<String, JsonNode> e = shares.next();
            p.append(String.format(Locale.ROOT, "%s %.0f %%%s", esc(e.getKey()), 100 * e.getValue().asDouble(), shares.hasNext() ? ", " : ""));
        }
        JsonNode over = result.path("timeline").path("speechStandardisation");
        if (over.isObject()) {
            p.append(over.path("over").asText().equals("recording")
                    ? String.format(Locale.ROOT, "; speech read over the recording (%d segments)", over.path("segments").asInt())
                    : "; speech read per utterance: " + esc(over.path("reason").asText("")));
        }
        return svg + p.append("</p>").toString() + said(segments);
    }

    /**
     * What was said in each segment (schema 2.2): the source and the words, each with its time and confidence on
     * hover; words the recogniser was unsure of (below 0.7) greyed.
     */
    private static String said(JsonNode segments) {
        StringBuilder t = new StringBuilder();
        int listed = 0, withText = 0;
        for (JsonNode seg : segments) {
            JsonNode transcript = seg.path("transcript");
            if (!transcript.isObject()) continue;
            if (withText++ >= MAX_SEGMENT_TEXTS) continue;
            listed++;
            t.append(String.format(Locale.ROOT, "<tr><td>%s–%s</td><td>%s</td><td>%s</td><td>", clock(seg.path("start").asDouble()),
                    clock(seg.path("end").asDouble()), esc(seg.path("label").asText(seg.path("status").asText())),
                    esc(transcript.path("source").asText())));
            JsonNode words = transcript.path("words");
            if (!words.isArray() || words.isEmpty()) t.append(esc(transcript.path("text").asText()));
            else for (JsonNode w : words) {
                JsonNode confidence = w.path("confidence");
                boolean unsure = confidence.isNumber() && confidence.asDouble() < 0.7;
                t.append("<span").append(unsure ? " class=\"unsure\"" : "").append(" title=\"")
                        .append(w.path("start").isNumber() ? String.format(Locale.ROOT, "%.2f s", w.path("start").asDouble()) : "")
                        .append(confidence.isNumber() ? String.format(Locale.ROOT, ", confidence %.2f", confidence.asDouble()) : "")
                        .append("\">").append(esc(w.path("word").asText())).append("</span> ");
            }
            t.append("</td></tr>");
        }
        if (listed == 0) return "";
        return "<table><tr><th>segment</th><th>label</th><th>text from</th><th>what was said</th></tr>" + t + "</table>"
                + (withText > listed ? String.format(Locale.ROOT, "<p>%d more segments with text are in the result file.</p>",
                withText - listed) : "");
    }

    private static void bandRect(StringBuilder svg, double x0, double x1, int y, int h, double t0, double t1, String label,
                                 String status, List<String> classes) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%.1f–%.1f s: %s</title></rect>",
                x0, y, Math.max(0.5, x1 - x0), h, label == null ? "#999" : colour(classes, label), t0, t1,
                esc(label == null ? status : label)));
    }

    /**
     * The label band of a timeline with more segments than {@link #MAX_BAND_RECTS}: each pixel takes the label that
     * covers most of it, and a run of pixels with one label is one rectangle. A rectangle per segment made the page
     * grow with the recording (a million segments, over 100 MB of HTML), where the band is 830 pixels wide.
     */
    private static void pixelBand(StringBuilder svg, JsonNode segments, double duration, int left, double pw, int bandY,
                                  int bandH, List<String> classes) {
        int pixels = (int) Math.ceil(pw);
        double secondsPerPixel = duration / pw;
        // what a pixel can show: a label, or the status of a segment without one (drawn grey, its status in the title)
        record Shown(String label, String status) {
        }
        List<Shown> names = new ArrayList<>(classes.stream().map(c -> new Shown(c, null)).toList());
        double[][] cover = new double[pixels][];
        for (JsonNode seg : segments) {
            double s0 = seg.path("start").asDouble(), s1 = seg.path("end").asDouble();
            String label = seg.path("label").asText(null);
            Shown name = new Shown(label, label != null ? null : seg.path("status").asText());
            int k = names.indexOf(name);
            if (k < 0) {
                if (names.size() >= MAX_BAND_NAMES) continue; // labels come from a bounded classifier; statuses from a fixed set
                names.add(name);
                k = names.size() - 1;
            }
            for (int x = Math.max(0, (int) (s0 / secondsPerPixel)); x < pixels && x * secondsPerPixel < s1; x++) {
                double overlap = Math.min(s1, (x + 1) * secondsPerPixel) - Math.max(s0, x * secondsPerPixel);
                if (overlap <= 0) continue;
                if (cover[x] == null || cover[x].length < names.size()) cover[x] = cover[x] == null
                        ? new double[names.size()] : Arrays.copyOf(cover[x], names.size());
                cover[x][k] += overlap;
            }
        }
        int runStart = -1, runName = -1;
        for (int x = 0; x <= pixels; x++) {
            int best = -1;
            if (x < pixels && cover[x] != null)
                for (int k = 0; k < cover[x].length; k++) if (cover[x][k] > 0 && (best < 0 || cover[x][k] > cover[x][best])) best = k;
            if (best == runName) continue;
            if (runName >= 0) {
                Shown name = names.get(runName);
                bandRect(svg, left + runStart, left + Math.min(x, pw), bandY, bandH, runStart * secondsPerPixel,
                        Math.min(duration, x * secondsPerPixel), name.label(), name.status(), classes);
            }
            runStart = x;
            runName = best;
        }
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String colour(List<String> classes, String label) {
        int i = classes.indexOf(label);
        return i < 0 ? "#999" : PALETTE[i % PALETTE.length];
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Through the local store, so the same temporary-name-and-rename write as for results. */
    private static void atomically(Path target, String content) {
        LocalObjectStorage dir = LocalObjectStorage.ofNamedFolder(target.getParent());
        dir.writeAtomically(dir.refFor(target), content.getBytes(StandardCharsets.UTF_8), "text/plain");
    }
}
