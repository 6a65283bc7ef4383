package dev.moodtag.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A batch keeps result documents only for the timelines its report draws, whatever the order rows finish in. */
class DrawnTimelinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode result(boolean timeline, String... classes) {
        ObjectNode r = JSON.createObjectNode().put("status", "labelled");
        var list = r.putObject("classifier").putArray("classes");
        for (String c : classes) list.add(c);
        if (timeline) r.putObject("timeline").putArray("segments").addObject().put("start", 0).put("end", 1);
        return r;
    }

    private static BatchRow row(String object, JsonNode result) {
        return BatchRow.of(object, "processed", "labelled", "sad", null, object + ".emotion.json", 1.0, result);
    }

    @Test
    void onlyTheFirstTimelinesByNameKeepTheirResultsWhateverTheOrderTheyFinishIn() throws InterruptedException {
        for (int seed = 0; seed < 20; seed++) {
            int n = 300, max = 20;
            List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
            Collections.shuffle(order, new Random(seed));
            DrawnTimelines rows = new DrawnTimelines(n, max);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int i : order)
                pool.submit(() -> rows.place(i, row(String.format("file:///a/%03d.mp4", i),
                        // every third object is an utterance without a timeline, the rest are long recordings
                        result(i % 3 != 0, "neutral", "happy", "sad", "angry"))));
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            List<BatchRow> placed = rows.rows();
            assertEquals(n, placed.size());
            List<String> kept = placed.stream().filter(r -> r.drawing() != null).map(BatchRow::object).toList();
            List<String> firstTimelines = IntStream.range(0, n).filter(i -> i % 3 != 0).limit(max)
                    .mapToObj(i -> String.format("file:///a/%03d.mp4", i)).toList();
            assertEquals(firstTimelines, kept, "seed " + seed + ": the report's timelines, and no other result");
            assertEquals(1, placed.get(n - 1).segments(), "what the index says of a row let go stays");
            assertEquals(List.of("neutral", "happy", "sad", "angry"), rows.classes());
        }
    }

    @Test
    void classesFollowTheFirstObjectOfEachListAndANotRunRowHasNoResult() {
        DrawnTimelines rows = new DrawnTimelines(3, 2);
        rows.place(2, row("file:///a/c.wav", result(false, "calm", "sad")));
        rows.place(0, row("file:///a/a.wav", result(false, "neutral", "sad")));
        rows.place(1, new BatchRow("file:///a/b.wav", BatchTagger.NOT_RUN, null, null, null, null, "stopped", null, 0, null));
        assertEquals(List.of("neutral", "sad", "calm"), rows.classes());
        assertNull(rows.rows().get(1).result());
        assertEquals(new BatchSummary(rows.rows(), 1, false, rows.classes()).classes(), rows.classes());
    }

    /** A long recording's timeline: {@code n} segments, each with its probabilities and a transcript of 30 words. */
    static JsonNode longTimeline(int n, String... classes) {
        ObjectNode r = (ObjectNode) result(false, classes);
        ObjectNode timeline = r.putObject("timeline").put("segmentation", "vad").put("durationSeconds", 3.0 * n);
        var segments = timeline.putArray("segments");
        Random random = new Random(n);
        for (int k = 0; k < n; k++) {
            String label = classes[random.nextInt(classes.length)];
            ObjectNode seg = segments.addObject().put("start", 3.0 * k).put("end", 3.0 * k + 2 + random.nextDouble())
                    .put("status", k % 97 == 5 ? "error" : "labelled");
            if (k % 97 != 5) seg.put("label", label);
            ObjectNode p = seg.putObject("probabilities");
            for (String c : classes) p.put(c, random.nextDouble() / classes.length);
            var words = seg.putObject("transcript").put("source", "asr").put("text", "w".repeat(30)).putArray("words");
            for (int w = 0; w < 30; w++)
                words.addObject().put("word", "word" + w).put("start", 3.0 * k + w * 0.06).put("confidence", random.nextDouble());
        }
        r.putObject("summary").put("dominant", classes[0]).putObject("shareOfTime").put(classes[0], 1.0);
        return r;
    }

    /**
     * What a batch keeps for its report does not grow with its recordings: a timeline drawn holds no more than the
     * drawing needs (found by a review: the 20 drawn results were held whole, every segment and word of a 10-hour
     * recording each), and the report is the one drawn from the whole results.
     */
    @Test
    void aDrawnTimelineHoldsBoundedDataWhateverItsLength() {
        String[] classes = {"neutral", "happy", "sad", "angry"};
        List<BatchRow> whole = new ArrayList<>();
        DrawnTimelines rows = new DrawnTimelines(3, 3);
        for (int i = 0; i < 3; i++) {
            BatchRow r = row("file:///a/long" + i + ".mp4", longTimeline(new int[]{40, 1_000, 20_000}[i], classes));
            whole.add(r);
            rows.place(i, r);
        }
        for (BatchRow r : rows.rows()) {
            int held = r.result() == null ? 0 : r.result().path("timeline").path("segments").size();
            assertTrue(held <= BatchReport.MAX_BAND_RECTS, r.object() + " holds " + held + " segments");
        }
        BatchReport report = new BatchReport();
        assertEquals(report.html(new BatchSummary(whole, 1, false, rows.classes()), "t"),
                report.html(new BatchSummary(rows.rows(), 1, false, rows.classes()), "t"));
        assertTrue(report.html(new BatchSummary(rows.rows(), 1, false, rows.classes()), "t").contains("20000 segments by vad"));
    }

    @Test
    void noTimelinesDrawnKeepsNoResults() {
        DrawnTimelines rows = new DrawnTimelines(2, 0);
        rows.place(0, row("file:///a/a.mp4", result(true, "sad")));
        rows.place(1, row("file:///a/b.mp4", result(true, "sad")));
        assertTrue(rows.rows().stream().allMatch(r -> r.result() == null && r.drawing() == null));
    }
}
