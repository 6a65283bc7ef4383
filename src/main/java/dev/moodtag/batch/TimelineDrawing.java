package dev.moodtag.batch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the report draws of one timeline, gathered from its result once: the per-class probability mass of each column,
 * the label band (one entry per segment up to {@link BatchReport#MAX_BAND_RECTS}, else the time each label covers of
 * each pixel), the caption and the first segments' words. Its size is bounded by the drawing, not by the recording: a
 * batch keeps this of the timelines it draws instead of their results, which held every segment and word of a
 * recording (20 of them, whole, until the report was written). Drawn with the batch's classes, which are known only
 * at the end, it is the drawing made from the whole result.
 */
final class TimelineDrawing {

    /** Distinct probability keys, labels and statuses a drawing tells apart (labels come from a bounded classifier). */
    private static final int MAX_NAMES = 64;
    /** Words listed for one segment (its text is shortened to ShownText.TEXT_CHARS): a few seconds of speech. */
    private static final int MAX_WORDS = 300;
    private static final int W = 900, PLOT_H = 180, LEFT = 50, RIGHT = 20, TOP = 10, BAND_Y = TOP + PLOT_H + 14, BAND_H = 16;
    private static final double PW = W - LEFT - RIGHT;

    /** A segment of the band: its label, or the status of a segment without one (drawn grey, its status in the title). */
    private record Shown(String label, String status) {
    }

    private record Segment(double start, double end, String label, String status) {
    }

    private final double duration;
    private final int bins;
    private final double binSeconds;
    /** Probability key → mass per column (overlap × probability, summed in segment order, as drawn). */
    private final Map<String, double[]> mass = new LinkedHashMap<>();
    private final double[] covered;
    /** The band's segments while there are at most MAX_BAND_RECTS, else null. */
    private List<Segment> band = new ArrayList<>();
    private final int pixels;
    private final double secondsPerPixel;
    /** Band name → seconds it covers of each pixel, names in the order they first appear. */
    private final Map<Shown, double[]> cover = new LinkedHashMap<>();
    private final String caption;

    private TimelineDrawing(JsonNode result) {
        JsonNode segments = result.path("timeline").path("segments");
        duration = Math.max(1e-6, result.path("timeline").path("durationSeconds").asDouble());
        // Time is cut into at most BINS columns; each column stacks the per-class probabilities of the segments in it
        // (weighted by overlap), scaled by how much of the column segments cover: silence stays empty, and an hour
        // reads as well as a minute.
        bins = (int) Math.min(BatchReport.BINS, Math.max(1, Math.ceil(duration / 2)));
        binSeconds = duration / bins;
        covered = new double[bins];
        pixels = (int) Math.ceil(PW);
        secondsPerPixel = duration / PW;
        int count = 0;
        for (JsonNode seg : segments) {
            count++;
            double s0 = seg.path("start").asDouble(), s1 = seg.path("end").asDouble();
            JsonNode probabilities = seg.path("probabilities");
            for (int b = Math.max(0, (int) (s0 / binSeconds)); b < bins && b * binSeconds < s1; b++) {
                double overlap = Math.min(s1, (b + 1) * binSeconds) - Math.max(s0, b * binSeconds);
                if (overlap <= 0) continue;
                covered[b] += overlap;
                for (Iterator<Map.Entry<String, JsonNode>> it = probabilities.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    if (!p.getValue().isNumber()) continue;
                    double[] m = mass.get(p.getKey());
                    if (m == null) {
                        if (mass.size() >= MAX_NAMES) continue;
                        mass.put(p.getKey(), m = new double[bins]);
                    }
                    m[b] += overlap * p.getValue().asDouble();
                }
            }
            String label = seg.path("label").asText(null), status = seg.path("status").asText();
            if (band != null) {
                band.add(new Segment(s0, s1, label, status));
                if (band.size() > BatchReport.MAX_BAND_RECTS) band = null;
            }
            Shown name = new Shown(label, label != null ? null : status);
            double[] c = cover.get(name);
            if (c == null) {
                if (cover.size() >= 2 * MAX_NAMES) continue;
                cover.put(name, c = new double[pixels]);
            }
            for (int x = Math.max(0, (int) (s0 / secondsPerPixel)); x < pixels && x * secondsPerPixel < s1; x++) {
                double overlap = Math.min(s1, (x + 1) * secondsPerPixel) - Math.max(s0, x * secondsPerPixel);
                if (overlap > 0) c[x] += overlap;
            }
        }
        caption = caption(result, count) + said(segments);
    }

    /** The drawing of {@code result}'s timeline; the result itself is not kept. */
    static TimelineDrawing of(JsonNode result) {
        return new TimelineDrawing(result);
    }

    /** Per-class probabilities of each segment as stacked columns over time, and the segments' labels as a band below. */
    String render(List<String> classes) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">", W, BAND_Y + BAND_H + 34));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
                LEFT, TOP, PW, PLOT_H));
        for (double p : new double[]{0, 0.5, 1})
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>",
                    LEFT - 4, TOP + PLOT_H * (1 - p) + 4, p));
        for (int b = 0; b < bins; b++) {
            if (covered[b] <= 0) continue;
            double x0 = LEFT + PW * b / bins, width = PW / bins;
            double y = TOP + PLOT_H;
            for (String c : classes) {
                double[] m = mass.get(c);
                double hgt = PLOT_H * (m == null ? 0 : m[b]) / binSeconds;
                if (hgt <= 0) continue;
                y -= hgt;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"/>",
                        x0, y, width, hgt, BatchReport.colour(classes, c)));
            }
        }
        if (band != null) {
            for (Segment seg : band)
                bandRect(svg, LEFT + PW * seg.start() / duration, LEFT + PW * seg.end() / duration, seg.start(), seg.end(),
                        seg.label(), seg.status(), classes);
        } else {
            pixelBand(svg, classes);
        }
        for (int i = 0; i <= 6; i++) {
            double t = duration * i / 6;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    LEFT + PW * i / 6, BAND_Y + BAND_H + 14, clock(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">columns: class probabilities of the segments in each slice of time, height = share of the slice in segments; band: label per segment; time →</text>",
                LEFT, BAND_Y + BAND_H + 30));
        svg.append("</svg>");
        return svg + caption;
    }

    private String caption(JsonNode result, int segments) {
        JsonNode summary = result.path("summary");
        StringBuilder p = new StringBuilder("<p>");
        p.append(String.format(Locale.ROOT, "%d segments by %s over %s; dominant: <b>%s</b>; share of time: ",
                segments, BatchReport.name(result.path("timeline").path("segmentation").asText()), clock(duration),
                BatchReport.name(summary.path("dominant").asText("none"))));
        Iterator<Map.Entry<String, JsonNode>> shares = summary.path("shareOfTime").fields();
        while (shares.hasNext()) {
            Map.Entry<String, JsonNode> e = shares.next();
            p.append(String.format(Locale.ROOT, "%s %.0f %%%s", BatchReport.name(e.getKey()), 100 * e.getValue().asDouble(), shares.hasNext() ? ", " : ""));
        }
        JsonNode over = result.path("timeline").path("speechStandardisation");
        if (over.isObject()) {
            p.append(over.path("over").asText().equals("recording")
                    ? String.format(Locale.ROOT, "; speech read over the recording (%d segments)", over.path("segments").asInt())
                    : "; speech read per utterance: " + BatchReport.text(over.path("reason").asText("")));
        }
        return p.append("</p>").toString();
    }

    /**
     * What was said in each segment (schema 2.2): the source and the words, each with its time and confidence on
     * hover; words the recogniser was unsure of (below 0.7) greyed. A segment without text but with its own reason
     * (schema 2.4 {@code textMissing}) is listed with the reason in place of words, so that speech the gate refused
     * reads differently from silence; segments without either are left out.
     */
    private static String said(JsonNode segments) {
        StringBuilder t = new StringBuilder();
        int listed = 0, withText = 0;
        for (JsonNode seg : segments) {
            JsonNode transcript = seg.path("transcript");
            JsonNode textMissing = seg.path("textMissing");
            if (!transcript.isObject() && !textMissing.isTextual()) continue;
            if (withText++ >= BatchReport.MAX_SEGMENT_TEXTS) continue;
            listed++;
            t.append(String.format(Locale.ROOT, "<tr><td>%s–%s</td><td>%s</td><td>%s</td><td>", clock(seg.path("start").asDouble()),
                    clock(seg.path("end").asDouble()), BatchReport.name(seg.path("label").asText(seg.path("status").asText())),
                    transcript.isObject() ? BatchReport.name(transcript.path("source").asText()) : "none"));
            JsonNode words = transcript.path("words");
            if (!transcript.isObject()) {
                String why = textMissing.asText();
                t.append("<span class=\"missing\">no text: ")
                        .append(BatchReport.text(why)).append("</span>");
            } else if (!words.isArray() || words.isEmpty()) {
                String text = transcript.path("text").asText();
                t.append(BatchReport.text(text));
            } else {
                int n = 0;
                for (JsonNode w : words) {
                    if (n++ == MAX_WORDS) {
                        t.append("…");
                        break;
                    }
                    JsonNode confidence = w.path("confidence");
                    boolean unsure = confidence.isNumber() && confidence.asDouble() < 0.7;
                    t.append("<span").append(unsure ? " class=\"unsure\"" : "").append(" title=\"")
                            .append(w.path("start").isNumber() ? String.format(Locale.ROOT, "%.2f s", w.path("start").asDouble()) : "")
                            .append(confidence.isNumber() ? String.format(Locale.ROOT, ", confidence %.2f", confidence.asDouble()) : "")
                            .append("\">").append(BatchReport.name(w.path("word").asText())).append("</span> ");
                }
            }
            t.append("</td></tr>");
        }
        if (listed == 0) return "";
        return "<table><tr><th>segment</th><th>label</th><th>text from</th><th>what was said</th></tr>" + t + "</table>"
                + (withText > listed ? String.format(Locale.ROOT, "<p>%d more segments with text or its reason are in the result file.</p>",
                withText - listed) : "");
    }

    private static void bandRect(StringBuilder svg, double x0, double x1, double t0, double t1, String label, String status,
                                 List<String> classes) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%.1f–%.1f s: %s</title></rect>",
                x0, BAND_Y, Math.max(0.5, x1 - x0), BAND_H, label == null ? "#999" : BatchReport.colour(classes, label), t0, t1,
                BatchReport.name(label == null ? status : label)));
    }

    /**
     * The label band of a timeline with more segments than {@link BatchReport#MAX_BAND_RECTS}: each pixel takes the
     * label that covers most of it (the classes first, then other names in the order they appeared), and a run of pixels
     * with one label is one rectangle. A rectangle per segment made the page grow with the recording (a million
     * segments, over 100 MB of HTML), where the band is 830 pixels wide.
     */
    private void pixelBand(StringBuilder svg, List<String> classes) {
        List<Shown> names = new ArrayList<>(classes.stream().map(c -> new Shown(c, null)).toList());
        for (Shown name : cover.keySet())
            if (!names.contains(name) && names.size() < MAX_NAMES) names.add(name);
        List<double[]> covers = names.stream().map(cover::get).toList();
        int runStart = -1, runName = -1;
        for (int x = 0; x <= pixels; x++) {
            int best = -1;
            if (x < pixels)
                for (int k = 0; k < covers.size(); k++) {
                    double[] c = covers.get(k);
                    if (c != null && c[x] > 0 && (best < 0 || c[x] > covers.get(best)[x])) best = k;
                }
            if (best == runName) continue;
            if (runName >= 0) {
                Shown name = names.get(runName);
                bandRect(svg, LEFT + runStart, LEFT + Math.min(x, PW), runStart * secondsPerPixel,
                        Math.min(duration, x * secondsPerPixel), name.label(), name.status(), classes);
            }
            runStart = x;
            runName = best;
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
