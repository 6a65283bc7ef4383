package dev.moodtag.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline plot: columns per slice of time, as high as the share of the slice covered by segments. */
class BatchReportTest {

    @Test
    void aTimelineIsPlottedAsStackedSlicesScaledByCoverage() throws Exception {
        // 360 s in 180 slices of 2 s: one segment fills slice 1 (half happy, half sad), one covers half of slice 50.
        JsonNode result = new ObjectMapper().readTree("""
                {"classifier": {"classes": ["happy", "sad"]},
                 "timeline": {"segmentation": "vad", "durationSeconds": 360, "segments": [
                   {"start": 2, "end": 4, "status": "labelled", "label": "happy", "probabilities": {"happy": 0.5, "sad": 0.5}},
                   {"start": 100, "end": 101, "status": "labelled", "label": "sad", "probabilities": {"happy": 0.0, "sad": 1.0}}]},
                 "summary": {"dominant": "happy", "shareOfTime": {"happy": 0.67, "sad": 0.33}}}""");
        BatchRow row = new BatchRow("file:///a/long.mp4", "processed", "labelled", "happy", 2, "happy", null,
                "file:///a/long.mp4.emotion.json", 1.0, result);
        String html = new BatchReport().html(new BatchSummary(List.of(row), 1.0, false), "t");
        Matcher m = Pattern.compile("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"([0-9.]+)\" height=\"([0-9.]+)\" fill=\"#[0-9a-f]+\"/>").matcher(html);
        double slice = 830.0 / 180; // plot width / slices
        int columns = 0;
        double total = 0;
        while (m.find()) {
            if (Math.abs(Double.parseDouble(m.group(1)) - slice) > 0.01) continue;
            columns++;
            total += Double.parseDouble(m.group(2));
        }
        assertEquals(3, columns, html);
        assertEquals(180 * (1.0 + 0.5), total, 0.5, "heights follow coverage of the slice");
        assertTrue(html.contains("2 segments by vad over 6:00; dominant: <b>happy</b>"), html);
    }

    @Test
    void eachSegmentsWordsAreListedWithTheirConfidenceAndEscaped() throws Exception {
        JsonNode result = new ObjectMapper().readTree("""
                {"classifier": {"classes": ["happy", "sad"]},
                 "timeline": {"segmentation": "vad", "durationSeconds": 60, "segments": [
                   {"start": 2, "end": 4, "status": "labelled", "label": "happy", "probabilities": {"happy": 1.0, "sad": 0.0},
                    "transcript": {"source": "recognised", "text": "kids are <b>", "meanConfidence": 0.8, "words": [
                      {"word": "kids", "start": 2.1, "end": 2.4, "confidence": 1.0},
                      {"word": "<b>", "start": 2.5, "end": 2.9, "confidence": 0.4}]}},
                   {"start": 10, "end": 12, "status": "labelled", "label": "sad", "probabilities": {"happy": 0.0, "sad": 1.0},
                    "transcript": {"source": "sidecar", "text": "from the cue"}},
                   {"start": 20, "end": 22, "status": "labelled", "label": "sad", "probabilities": {"happy": 0.0, "sad": 1.0}}]},
                 "summary": {"dominant": "sad", "shareOfTime": {"happy": 0.5, "sad": 0.5}}}""");
        BatchRow row = new BatchRow("file:///a/long.mp4", "processed", "labelled", "sad", 3, "sad", null,
                "file:///a/long.mp4.emotion.json", 1.0, result);
        String html = new BatchReport().html(new BatchSummary(List.of(row), 1.0, false), "t");
        assertTrue(html.contains("<th>what was said</th>"), html);
        assertTrue(html.contains("<span title=\"2.10 s, confidence 1.00\">kids</span>"), html);
        assertTrue(html.contains("<span class=\"unsure\" title=\"2.50 s, confidence 0.40\">&lt;b&gt;</span>"), html);
        assertTrue(html.contains("<td>sidecar</td><td>from the cue</td>"), html);
        assertEquals(2, html.split("<tr><td>0:").length - 1, "the segment without text is not listed: " + html);
    }

    /** Issue 15: a segment's own reason for having no text is listed where its words would be, escaped. */
    @Test
    void aSegmentsReasonForHavingNoTextIsListedInPlaceOfItsWordsAndEscaped() throws Exception {
        JsonNode result = new ObjectMapper().readTree("""
                {"classifier": {"classes": ["happy", "sad"]},
                 "timeline": {"segmentation": "vad", "durationSeconds": 60, "segments": [
                   {"start": 2, "end": 4, "status": "labelled", "label": "happy", "probabilities": {"happy": 1.0, "sad": 0.0},
                    "modalities": ["speech"],
                    "textMissing": "speech not recognised as English with enough confidence (mean word confidence 0.61 < 0.9 over 5 words)"},
                   {"start": 10, "end": 12, "status": "labelled", "label": "sad", "probabilities": {"happy": 0.0, "sad": 1.0},
                    "modalities": ["speech"], "textMissing": "nothing said in this segment's cues <i>"},
                   {"start": 20, "end": 22, "status": "labelled", "label": "sad", "probabilities": {"happy": 0.0, "sad": 1.0},
                    "modalities": ["speech"]}]},
                 "summary": {"dominant": "sad", "shareOfTime": {"happy": 0.5, "sad": 0.5}}}""");
        BatchRow row = new BatchRow("file:///a/long.mp4", "processed", "labelled", "sad", 3, "sad", null,
                "file:///a/long.mp4.emotion.json", 1.0, result);
        String html = new BatchReport().html(new BatchSummary(List.of(row), 1.0, false), "t");
        assertTrue(html.contains("<td>none</td><td><span class=\"missing\">no text: speech not recognised as English with "
                + "enough confidence (mean word confidence 0.61 &lt; 0.9 over 5 words)</span></td>"), html);
        assertTrue(html.contains("no text: nothing said in this segment's cues &lt;i&gt;</span>"), html);
        assertEquals(2, html.split("<tr><td>0:").length - 1, "a segment with neither text nor a reason is not listed: " + html);
    }

    @Test
    void aLabelKeepsItsColourWhicheverLabelsABatchContains() throws Exception {
        String classifier = "{\"classifier\": {\"classes\": [\"neutral\", \"happy\", \"sad\", \"angry\"]}}";
        JsonNode result = new ObjectMapper().readTree(classifier);
        BatchRow angry = new BatchRow("file:///a/1.wav", "processed", "labelled", "angry", null, null, null, null, 1.0, result);
        BatchRow happy = new BatchRow("file:///a/2.wav", "processed", "labelled", "happy", null, null, null, null, 1.0, result);
        String onlyHappy = new BatchReport().html(new BatchSummary(List.of(happy), 1.0, false), "t");
        String both = new BatchReport().html(new BatchSummary(List.of(happy, angry), 1.0, false), "t");
        assertEquals(legendColour(onlyHappy, "happy"), legendColour(both, "happy"));
        assertTrue(!legendColour(both, "angry").equals(legendColour(both, "happy")));
    }

    private static String legendColour(String html, String label) {
        Matcher m = Pattern.compile("background:(#[0-9a-f]+)\"></i>" + label + "<").matcher(html);
        assertTrue(m.find(), "no legend entry for " + label + " in " + html);
        return m.group(1);
    }

    /** Schema 2.3: the report says whether a timeline's speech was read over the recording, or why not (escaped). */
    @Test
    void theTimelineSaysHowItsSpeechWasRead() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String base = """
                {"classifier": {"classes": ["happy", "sad"]},
                 "timeline": {"segmentation": "vad", "durationSeconds": 60, "segments": [
                   {"start": 2, "end": 4, "status": "labelled", "label": "happy", "probabilities": {"happy": 1.0, "sad": 0.0}}]
                   %s},
                 "summary": {"dominant": "happy", "shareOfTime": {"happy": 1.0}}}""";
        java.util.function.Function<String, String> html = over -> {
            try {
                JsonNode result = json.readTree(base.formatted(over));
                return new BatchReport().html(new BatchSummary(List.of(new BatchRow("file:///a/long.mp4", "processed",
                        "labelled", "happy", 1, "happy", null, "file:///a/long.mp4.emotion.json", 1.0, result)), 1.0, false), "t");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertTrue(html.apply(", \"speechStandardisation\": {\"over\": \"recording\", \"segments\": 85, \"firstPassDominant\": \"happy\", \"firstPassDominantShare\": 0.34, \"reason\": null}")
                .contains("share of time: happy 100 %; speech read over the recording (85 segments)</p>"));
        String kept = html.apply(", \"speechStandardisation\": {\"over\": \"utterance\", \"segments\": 3, \"firstPassDominant\": \"happy\", \"firstPassDominantShare\": 1.0, \"reason\": \"3 <segment(s)>\"}");
        assertTrue(kept.contains("; speech read per utterance: 3 &lt;segment(s)&gt;</p>"), kept);
        String none = html.apply("");
        assertTrue(none.contains("share of time: happy 100 %</p>") && !none.contains("speech read"), none);
    }

    /**
     * A timeline of many segments draws its label band per pixel, not per segment: the page no longer grows with the
     * recording (found by a review: a rectangle per segment, about 130 MB of HTML for a million segments).
     */
    @Test
    void theLabelBandOfALongTimelineIsBoundedByItsWidthNotItsSegments() {
        for (int n : new int[]{1_001, 20_000, 200_000}) {
            ObjectMapper json = new ObjectMapper();
            var result = json.createObjectNode();
            result.putObject("classifier").putArray("classes").add("happy").add("sad");
            var timeline = result.putObject("timeline").put("segmentation", "fixed").put("durationSeconds", n * 0.5);
            var segments = timeline.putArray("segments");
            for (int k = 0; k < n; k++) {
                var seg = segments.addObject().put("start", 0.5 * k).put("end", 0.5 * k + 0.5);
                if (k == n / 4) seg.put("status", "error"); // one failed segment: too short to own a pixel
                else seg.put("status", "labelled").put("label", k < n / 2 ? "happy" : "sad")
                        .putObject("probabilities").put("happy", k < n / 2 ? 1.0 : 0.0).put("sad", k < n / 2 ? 0.0 : 1.0);
            }
            result.putObject("summary").put("dominant", "happy");
            BatchRow row = new BatchRow("file:///a/long.mp4", "processed", "labelled", "happy", n, "happy", null,
                    "file:///a/long.mp4.emotion.json", 1.0, result);
            String html = new BatchReport().html(new BatchSummary(List.of(row), 1.0, false), "t");
            assertTrue(html.length() < 200_000, n + " segments: " + html.length() + " characters");
            Matcher band = Pattern.compile("<rect x=\"([0-9.]+)\" y=\"204\" width=\"([0-9.]+)\" height=\"16\" fill=\"(#[0-9a-f]+)\"><title>([^<]*)</title>").matcher(html);
            List<String> runs = new java.util.ArrayList<>();
            while (band.find()) runs.add(band.group(4));
            // the failed segment owns a pixel only where a pixel is about as long as a segment (1,001 segments)
            assertEquals(n < 20_000 ? 4 : 2, runs.size(), n + " segments: " + runs);
            assertTrue(runs.get(0).startsWith("0.0–") && runs.get(0).endsWith(": happy"), runs.toString());
            assertTrue(runs.get(runs.size() - 1).endsWith(": sad"), runs.toString());
            if (n < 20_000) assertTrue(runs.get(1).endsWith(": error"), runs.toString());
        }
    }
}
