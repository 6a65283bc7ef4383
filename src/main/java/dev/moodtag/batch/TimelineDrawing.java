package dev.moodtag.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.moodtag.tagging.ResultLocator;
import dev.moodtag.tagging.StoredResult;

import java.io.IOException;
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
 * <p>
 * The segments are read one at a time as the result streams past ({@link Reader}), each forgotten once it is added
 * to the drawing: a result from storage is outside input, and status read a million-segment one (129 MB) whole into a
 * tree, out of a 300 MB heap.
 */
final class TimelineDrawing {

    /** Distinct probability keys, labels and statuses a drawing tells apart (labels come from a bounded classifier). */
    private static final int MAX_NAMES = 64;
    /** Words listed for one segment (its text is shortened to ShownText.TEXT_CHARS): a few seconds of speech. */
    private static final int MAX_WORDS = 300;
    private static final int W = 900, PLOT_H = 180, LEFT = 50, RIGHT = 20, TOP = 10, BAND_Y = TOP + PLOT_H + 14, BAND_H = 16;
    private static final double PW = W - LEFT - RIGHT;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a segment's field that is an object or array reads as where a value is looked at: asText "", asDouble 0. */
    private static final JsonNode CONTAINER = JSON.createObjectNode();

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
    private int count;
    /** What was said: the rows of the segments listed so far, and how many had text or its reason. */
    private final StringBuilder said = new StringBuilder();
    private int listed, withText;
    private String caption;

    private TimelineDrawing(double durationSeconds) {
        duration = Math.max(1e-6, durationSeconds);
        // Time is cut into at most BINS columns; each column stacks the per-class probabilities of the segments in it
        // (weighted by overlap), scaled by how much of the column segments cover: silence stays empty, and an hour
        // reads as well as a minute.
        bins = (int) Math.min(BatchReport.BINS, Math.max(1, Math.ceil(duration / 2)));
        binSeconds = duration / bins;
        covered = new double[bins];
        pixels = (int) Math.ceil(PW);
        secondsPerPixel = duration / PW;
    }

    /**
     * Reads one segment (any JSON value) into the drawing, holding no more of it than the drawing keeps: its times,
     * label and status, the probabilities of the keys drawn, and, for the segments whose words are listed, up to
     * {@link #MAX_WORDS} words. A field repeated in a segment counts by its last value, as a tree read takes it.
     */
    private void segment(JsonParser p) throws IOException {
        count++;
        JsonNode start = MissingNode.getInstance(), end = start, label = start, status = start, textMissing = start;
        Map<String, JsonNode> probabilities = Map.of();
        Transcript transcript = null;
        // Listed under the drawing only while fewer than MAX_SEGMENT_TEXTS segments had text or its reason
        boolean listing = withText < BatchReport.MAX_SEGMENT_TEXTS;
        if (p.currentToken() == JsonToken.START_OBJECT) {
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "start" -> start = scalar(p);
                    case "end" -> end = scalar(p);
                    case "label" -> label = scalar(p);
                    case "status" -> status = scalar(p);
                    case "textMissing" -> textMissing = scalar(p);
                    case "probabilities" -> probabilities = value == JsonToken.START_OBJECT ? probabilities(p) : skipped(p, Map.of());
                    case "transcript" -> transcript = value != JsonToken.START_OBJECT ? skipped(p, null)
                            : listing ? Transcript.read(p) : skipped(p, Transcript.UNREAD);
                    default -> ResultLocator.skipReadingStrings(p);
                }
            }
        } else {
            ResultLocator.skipReadingStrings(p);
        }
        add(start.asDouble(), end.asDouble(), label.asText(null), status.asText(), probabilities);
        if (transcript == null && !textMissing.isTextual()) return;
        if (withText++ >= BatchReport.MAX_SEGMENT_TEXTS) return;
        listed++;
        said.append(String.format(Locale.ROOT, "<tr><td>%s–%s</td><td>%s</td><td>%s</td><td>", clock(start.asDouble()),
                clock(end.asDouble()), BatchReport.name(label.asText(status.asText())),
                transcript != null ? BatchReport.name(transcript.source.asText()) : "none"));
        if (transcript == null) {
            String why = textMissing.asText();
            said.append("<span class=\"missing\">no text: ")
                    .append(BatchReport.text(why)).append("</span>");
        } else if (transcript.words == null || transcript.wordCount == 0) {
            said.append(BatchReport.text(transcript.text.asText()));
        } else {
            said.append(transcript.words);
        }
        said.append("</td></tr>");
    }

    /** Adds a segment's columns and band. */
    private void add(double s0, double s1, String label, String status, Map<String, JsonNode> probabilities) {
        for (int b = Math.max(0, (int) (s0 / binSeconds)); b < bins && b * binSeconds < s1; b++) {
            double overlap = Math.min(s1, (b + 1) * binSeconds) - Math.max(s0, b * binSeconds);
            if (overlap <= 0) continue;
            covered[b] += overlap;
            for (Map.Entry<String, JsonNode> p : probabilities.entrySet()) {
                if (!p.getValue().isNumber()) continue;
                double[] m = mass.get(p.getKey());
                if (m == null) {
                    if (mass.size() >= MAX_NAMES) continue;
                    mass.put(p.getKey(), m = new double[bins]);
                }
                m[b] += overlap * p.getValue().asDouble();
            }
        }
        if (band != null) {
            band.add(new Segment(s0, s1, label, status));
            if (band.size() > BatchReport.MAX_BAND_RECTS) band = null;
        }
        Shown name = new Shown(label, label != null ? null : status);
        double[] c = cover.get(name);
        if (c == null) {
            if (cover.size() >= 2 * MAX_NAMES) return;
            cover.put(name, c = new double[pixels]);
        }
        for (int x = Math.max(0, (int) (s0 / secondsPerPixel)); x < pixels && x * secondsPerPixel < s1; x++) {
            double overlap = Math.min(s1, (x + 1) * secondsPerPixel) - Math.max(s0, x * secondsPerPixel);
            if (overlap > 0) c[x] += overlap;
        }
    }

    /**
     * A segment's probabilities, key → value in the order the keys first appear (a repeated key by its last value):
     * the keys drawn already and at most {@link #MAX_NAMES} others, of which only the first that fit are ever drawn.
     */
    private Map<String, JsonNode> probabilities(JsonParser p) throws IOException {
        Map<String, JsonNode> read = new LinkedHashMap<>();
        int others = 0;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            p.nextToken();
            JsonNode value = scalar(p);
            if (!read.containsKey(key) && !mass.containsKey(key) && others++ >= MAX_NAMES) continue;
            read.put(key, value);
        }
        return read;
    }

    /**
     * A scalar value as a tree read gives it; an object or array, read past, as {@link #CONTAINER}. The usual ones are
     * made here: a tree read per value made a deserialisation context each time, most of the time a million segments
     * took.
     */
    private static JsonNode scalar(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t.isStructStart()) return skipped(p, CONTAINER);
        switch (t) {
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_NUMBER_FLOAT:
                if (p.getNumberType() == JsonParser.NumberType.DOUBLE) return DoubleNode.valueOf(p.getDoubleValue());
                break;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.INT) return IntNode.valueOf(p.getIntValue());
                break;
            case VALUE_TRUE, VALUE_FALSE:
                return BooleanNode.valueOf(t == JsonToken.VALUE_TRUE);
            case VALUE_NULL:
                return NullNode.getInstance();
            default:
                break;
        }
        JsonNode value = p.readValueAsTree();
        return value == null ? NullNode.getInstance() : value;
    }

    private static <T> T skipped(JsonParser p, T value) throws IOException {
        ResultLocator.skipReadingStrings(p);
        return value;
    }

    /**
     * A segment's transcript (schema 2.2), as much as is listed of it: its source and text, and its first
     * {@link #MAX_WORDS} words as the report shows them, each with its time and confidence on hover; words the
     * recogniser was unsure of (below 0.7) greyed.
     */
    private static final class Transcript {
        /** A transcript of a segment whose words are not listed: only that there is one counts. */
        static final Transcript UNREAD = new Transcript();
        JsonNode source = MissingNode.getInstance(), text = MissingNode.getInstance();
        /** The words as shown, null where {@code words} is no array. */
        StringBuilder words;
        int wordCount;

        static Transcript read(JsonParser p) throws IOException {
            Transcript t = new Transcript();
            for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "source" -> t.source = scalar(p);
                    case "text" -> t.text = scalar(p);
                    case "words" -> {
                        t.words = null;
                        t.wordCount = 0;
                        if (value == JsonToken.START_ARRAY) t.words(p);
                        else ResultLocator.skipReadingStrings(p);
                    }
                    default -> ResultLocator.skipReadingStrings(p);
                }
            }
            return t;
        }

        private void words(JsonParser p) throws IOException {
            words = new StringBuilder();
            for (JsonToken w = p.nextToken(); w != JsonToken.END_ARRAY; w = p.nextToken()) {
                if (w == null) throw new java.io.EOFException("the document ends inside a segment's words");
                if (wordCount++ >= MAX_WORDS) {
                    if (wordCount == MAX_WORDS + 1) words.append("…");
                    ResultLocator.skipReadingStrings(p);
                    continue;
                }
                JsonNode start = MissingNode.getInstance(), confidence = start, word = start;
                if (w == JsonToken.START_OBJECT) {
                    for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                        String field = p.currentName();
                        p.nextToken();
                        switch (field) {
                            case "start" -> start = scalar(p);
                            case "confidence" -> confidence = scalar(p);
                            case "word" -> word = scalar(p);
                            default -> ResultLocator.skipReadingStrings(p);
                        }
                    }
                } else {
                    ResultLocator.skipReadingStrings(p);
                }
                boolean unsure = confidence.isNumber() && confidence.asDouble() < 0.7;
                words.append("<span").append(unsure ? " class=\"unsure\"" : "").append(" title=\"")
                        .append(start.isNumber() ? String.format(Locale.ROOT, "%.2f s", start.asDouble()) : "")
                        .append(confidence.isNumber() ? String.format(Locale.ROOT, ", confidence %.2f", confidence.asDouble()) : "")
                        .append("\">").append(BatchReport.name(word.asText())).append("</span> ");
            }
        }
    }

    /**
     * Reads a timeline's segments into a drawing as a result streams past ({@link ResultLocator.SegmentReader}), and
     * makes the drawing once the result is read whole ({@link #drawing}).
     */
    static final class Reader implements ResultLocator.SegmentReader {
        /** The duration a first read found after the segments, or NaN. */
        private final double duration;
        private TimelineDrawing drawing;
        private boolean skipped;

        Reader() {
            this(Double.NaN);
        }

        private Reader(double duration) {
            this.duration = duration;
        }

        @Override
        public boolean begin(JsonNode timelineBefore) {
            // The columns and pixels are cut by the duration, so the segments are read after it: a timeline that
            // names it only after them (not as the product writes one) is read twice
            if (Double.isNaN(duration) && !timelineBefore.has("durationSeconds")) {
                skipped = true;
                return false;
            }
            drawing = new TimelineDrawing(Double.isNaN(duration) ? timelineBefore.path("durationSeconds").asDouble() : duration);
            return true;
        }

        @Override
        public void segment(JsonParser p) throws IOException {
            drawing.segment(p);
        }

        /**
         * The reader that reads {@code read} again for its segments, where they came before the timeline's duration
         * (read past uncounted); else null.
         */
        Reader again(StoredResult read) {
            return skipped && drawable(read) ? new Reader(read.document().path("timeline").path("durationSeconds").asDouble()) : null;
        }

        /**
         * The drawing of {@code read}, the result this reader read the segments of, or null where nothing is drawn of
         * it: no timeline, or a result not read whole (its document is then its head alone).
         */
        TimelineDrawing drawing(StoredResult read) {
            if (!drawable(read) || skipped) return null;
            TimelineDrawing d = drawing != null ? drawing
                    : new TimelineDrawing(read.document().path("timeline").path("durationSeconds").asDouble());
            d.finish(read.document());
            return d;
        }

        private static boolean drawable(StoredResult read) {
            return read.complete() && read.document().path("timeline").isObject();
        }
    }

    /** The drawing of {@code result}'s timeline, its segments read in order; the result itself is not kept. */
    static TimelineDrawing of(JsonNode result) {
        JsonNode timeline = result.path("timeline");
        TimelineDrawing d = new TimelineDrawing(timeline.path("durationSeconds").asDouble());
        JsonNode segments = timeline.path("segments");
        if (segments.isArray()) {
            try (JsonParser p = segments.traverse(JSON)) {
                p.nextToken();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) d.segment(p);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e); // a tree in memory reads without I/O
            }
        }
        d.finish(result);
        return d;
    }

    private void finish(JsonNode result) {
        caption = caption(result, count) + said();
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
        // A band of more segments than MAX_BAND_RECTS is drawn per pixel: it says so, as it no longer shows each one
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">columns: class probabilities of the segments in each slice of time, height = share of the slice in segments; band: %s; time →</text>",
                LEFT, BAND_Y + BAND_H + 30, band != null ? "label per segment"
                        : String.format(Locale.ROOT, "label over most of each pixel (%d segments merged to fit)", count)));
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
     * What was said in each segment listed: the source and the words. A segment without text but with its own reason
     * (schema 2.4 {@code textMissing}) is listed with the reason in place of words, so that speech the gate refused
     * reads differently from silence; segments without either are left out.
     */
    private String said() {
        if (listed == 0) return "";
        return "<table><tr><th>segment</th><th>label</th><th>text from</th><th>what was said</th></tr>" + said + "</table>"
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
