package dev.moodtag.tagging;

import dev.moodtag.support.ChildJvm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchReport;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.support.Sha256;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.time.Duration;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag status} draws the timelines of results from storage ({@link ArchiveStatus}, {@link BatchReport}):
 * a result is outside input, so what drawing one costs must not grow with it. Seeded by the product's own result
 * ({@link ResultReadBackGridTest#SEED}) beside a copy of the sample it describes, with a timeline added.
 */
public class LongTimelineStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEDIA = "03a05Fc.wav";
    private static final String[] CLASSES = {"neutral", "happy", "sad", "angry"};
    /** About 129 MB of result: the size that ran status out of a 300 MB heap. */
    public static final int SEGMENTS = 1 << 20;

    @TempDir
    Path tmp;

    /**
     * A result of a million segments is drawn in a JVM of 300 MB of heap, in seconds: status read every segment of
     * each drawn result into a tree (out of memory at -Xmx300m; about 1 GB resident with the default heap).
     */
    @Test
    void statusDrawsAMillionSegmentResultInASmallHeap() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "long-timeline-status").toAbsolutePath());
        Files.copy(Fixtures.sample(MEDIA), dir.resolve(MEDIA), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path result = dir.resolve(MEDIA + ".emotion.json");
        writeLongResult(result);
        long t0 = System.nanoTime();
        ChildJvm.Ran child = ChildJvm.run(LongTimelineStatusTest.class, List.of("-Xmx300m"), Duration.ofSeconds(300),
                dir.toString());
        String said = child.said();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "child status of a %d-byte result: exit %d in %.1f s; %s%n", Files.size(result),
                child.exit(), seconds, said.strip());
        assertEquals(0, child.exit(), said);
        assertTrue(said.contains(SEGMENTS + " segments by vad"), said);
        assertTrue(said.contains("merged"), "the band says its segments were merged to fit: " + said);
        assertTrue(seconds < 60, seconds + " s");
    }

    /** The seed result with a timeline of {@link #SEGMENTS} segments as the product writes them, at {@code result}. */
    public static void writeLongResult(Path result) throws IOException {
        Random random = new Random(7);
        try (Writer out = Files.newBufferedWriter(result, StandardCharsets.UTF_8)) {
            write(out, SEGMENTS, 0.5 * SEGMENTS, k -> {
                double[] p = probabilities(random);
                // as the product writes one; concatenated, as formatting a million took most of a minute
                return "{\"start\":" + 0.5 * k + ",\"end\":" + (0.5 * k + 0.45) + ",\"status\":\"labelled\",\"label\":\""
                        + CLASSES[random.nextInt(4)] + "\",\"probabilities\":{\"neutral\":" + round(p[0]) + ",\"happy\":" + round(p[1])
                        + ",\"sad\":" + round(p[2]) + ",\"angry\":" + round(p[3]) + "},\"modalities\":[\"speech\"]}";
            }, "");
        }
        assertTrue(Files.size(result) > 120_000_000, "size " + Files.size(result));
    }

    /** The child: status of the one object in {@code args[0]}, its report written there; says what it drew. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long t0 = System.nanoTime();
        String timelines = timelines(dir);
        int at = timelines.indexOf(" segments by ");
        int legend = timelines.indexOf("band: ");
        String peak = ChildJvm.peak();
        System.out.printf(Locale.ROOT, "%s; %s; drawn in %.1f s, %s%n",
                timelines.substring(Math.max(0, timelines.lastIndexOf("<p>", at) + 3), at + 20),
                timelines.substring(legend, Math.min(timelines.length(), legend + 90)), (System.nanoTime() - t0) / 1e9, peak);
    }

    /** The timelines of status's report of the object in {@code dir} (its one media file), as drawn there. */
    private static String timelines(Path dir) throws IOException {
        LocalObjectStorage store = new LocalObjectStorage(List.of(dir), false);
        ArchiveStatus status = new ArchiveStatus(ResultReadBackGridTest.locator(), new ObjectFilter(ResultReadBackGridTest.config()));
        BatchSummary summary = status.scan(List.of(new BatchItem(store.refFor(dir.resolve(MEDIA)), store)));
        Path report = new BatchReport().write(summary, dir.resolve("report"), "status");
        String html = Files.readString(report);
        int from = html.indexOf("<h2>Emotion over time"), to = html.indexOf("<h2>Failures");
        return from < 0 ? "" : html.substring(from, to);
    }

    private static double round(double p) {
        return Math.round(p * 1e6) / 1e6;
    }

    private static double[] probabilities(Random random) {
        double[] p = new double[4];
        double sum = 0;
        for (int i = 0; i < 4; i++) sum += p[i] = random.nextDouble();
        for (int i = 0; i < 4; i++) p[i] /= sum;
        return p;
    }

    /** The seed with a timeline of {@code n} segments ({@code segment(k)}'s JSON) and {@code extra} timeline fields. */
    private static void write(Writer out, int n, double duration, IntFunction<String> segment, String extra) throws IOException {
        ObjectNode seed = (ObjectNode) JSON.readTree(ResultReadBackGridTest.SEED.toFile());
        String head = JSON.writeValueAsString(seed);
        out.write(head, 0, head.length() - 1);
        out.write(String.format(Locale.ROOT, ",\"timeline\":{\"segmentation\":\"vad\",\"durationSeconds\":%s,\"segments\":[",
                Double.toString(duration)));
        for (int k = 0; k < n; k++) {
            if (k > 0) out.write(',');
            out.write(segment.apply(k));
        }
        out.write("]" + extra + "},\"summary\":{\"dominant\":\"happy\",\"shareOfTime\":{\"happy\":0.5,\"sad\":0.25,\"angry\":0.25}}}");
    }

    /** The timeline sections of the report of one result, as status draws them. */
    private String drawn(String name, String resultJson) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(Fixtures.sample(MEDIA), dir.resolve(MEDIA));
        Files.writeString(dir.resolve(MEDIA + ".emotion.json"), resultJson);
        return timelines(dir);
    }

    private static String result(int n, double duration, IntFunction<String> segment, String extra) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        write(out, n, duration, segment, extra);
        return out.toString();
    }

    /** A segment as the product writes one, with a transcript of {@code words} words on every third. */
    private static String productSegment(Random random, int k, int words) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "{\"start\":%s,\"end\":%s,\"status\":\"%s\"",
                3.0 * k, 3.0 * k + 2 + random.nextDouble(), k % 97 == 5 ? "error" : "labelled"));
        if (k % 97 != 5) s.append(",\"label\":\"").append(CLASSES[random.nextInt(4)]).append('"');
        double[] p = probabilities(random);
        s.append(String.format(Locale.ROOT, ",\"probabilities\":{\"neutral\":%s,\"happy\":%s,\"sad\":%s,\"angry\":%s}",
                p[0], p[1], p[2], p[3]));
        if (k % 3 == 0) {
            s.append(",\"transcript\":{\"source\":\"asr\",\"text\":\"t").append(k).append("\",\"words\":[");
            for (int w = 0; w < words; w++)
                s.append(w > 0 ? "," : "").append(String.format(Locale.ROOT, "{\"word\":\"w%d\",\"start\":%s,\"confidence\":%s}",
                        w, 3.0 * k + w * 0.01, random.nextDouble()));
            s.append("]}");
        } else if (k % 5 == 1) {
            s.append(",\"textMissing\":\"no speech <here> & there\"");
        }
        return s.append('}').toString();
    }

    /**
     * The drawing of ordinary and odd results is what it was when status read every segment into a tree (sha256 of
     * each case's timeline section, taken on that code): streaming the segments changes no pixel, word or caption.
     */
    @Test
    void theDrawingOfEachResultIsTheOneDrawnFromTheWholeTree() throws IOException {
        Map<String, String> results = new LinkedHashMap<>();
        for (int n : new int[]{0, 1, 40, 1_000, 1_001, 5_000}) {
            Random random = new Random(n);
            results.put("product " + n, result(n, 3.0 * n + 1, k -> productSegment(random, k, 12), ""));
        }
        Random random = new Random(1);
        results.put("400 words", result(3, 10, k -> productSegment(random, k, 400), ""));
        results.put("odd segments", result(9, 20, k -> switch (k) {
            case 0 -> "3";
            case 1 -> "\"a segment\"";
            case 2 -> "[1,2]";
            case 3 -> "null";
            case 4 -> "{\"start\":\"4.5\",\"end\":6,\"label\":7,\"status\":{\"x\":1},\"probabilities\":[0.5]}";
            case 5 -> "{\"start\":6,\"end\":8,\"label\":null,\"status\":null,\"probabilities\":{\"happy\":\"0.5\",\"sad\":null,\"angry\":{\"v\":1}},"
                    + "\"transcript\":\"text\",\"textMissing\":{\"why\":1}}";
            case 6 -> "{\"start\":8,\"end\":9,\"label\":{\"x\":1},\"transcript\":{\"text\":[1],\"source\":7,\"words\":\"none\"},\"textMissing\":\"gate\"}";
            case 7 -> "{\"start\":9,\"end\":12,\"label\":\"happy\",\"transcript\":{\"words\":[1,\"w\",null,{\"word\":{\"a\":1},\"start\":\"1\",\"confidence\":0.2},"
                    + "{\"word\":\"x\",\"start\":9.5,\"confidence\":\"0.1\"}],\"source\":\"sidecar\"}}";
            default -> "{\"end\":30,\"start\":-5,\"label\":\"sad\",\"probabilities\":{\"sad\":2,\"happy\":-1}}";
        }, ""));
        StringBuilder many = new StringBuilder("{\"start\":0,\"end\":10,\"label\":\"neutral\",\"probabilities\":{");
        for (int i = 0; i < 100; i++) many.append(i > 0 ? "," : "").append("\"c").append(i).append("\":").append(i / 100.0);
        results.put("100 probability keys", result(2, 10, k -> many + "}}", ""));
        results.put("200 labels", result(1_500, 1_500, k -> "{\"start\":" + k + ",\"end\":" + (k + 1) + ",\"label\":\"l" + (k % 200)
                + "\",\"status\":\"s" + (k % 150) + "\"}", ""));
        results.put("duration after the segments", result(5, 0, k -> "{\"start\":" + k + ",\"end\":" + (k + 0.5)
                + ",\"label\":\"happy\",\"probabilities\":{\"happy\":0.7,\"sad\":0.3}}", ",\"durationSeconds\":7.5")
                .replace("\"durationSeconds\":0.0,", ""));
        results.put("no duration", result(5, 0, k -> "{\"start\":" + k + ",\"end\":" + (k + 0.5) + ",\"label\":\"happy\"}", "")
                .replace("\"durationSeconds\":0.0,", ""));
        results.put("repeated fields", result(4, 8, k -> "{\"start\":" + k + ",\"end\":" + (k + 0.5) + ",\"label\":\"happy\",\"label\":\"sad\","
                + "\"probabilities\":{\"happy\":0.9},\"probabilities\":{\"sad\":0.4,\"sad\":0.6,\"happy\":0.1},"
                + "\"transcript\":{\"text\":\"first\",\"words\":[{\"word\":\"a\"}]},\"transcript\":{\"text\":\"second\",\"words\":[],\"text\":\"third\"}}",
                ",\"segments\":[{\"start\":0,\"end\":8,\"label\":\"angry\"}]"));
        results.put("speech standardisation", result(3, 9, k -> "{\"start\":" + 3 * k + ",\"end\":" + (3 * k + 2) + ",\"label\":\"sad\"}",
                ",\"speechStandardisation\":{\"over\":\"recording\",\"segments\":3}"));
        results.put("300 segments with text", result(300, 900, k -> "{\"start\":" + 3 * k + ",\"end\":" + (3 * k + 2)
                + ",\"label\":\"sad\",\"textMissing\":\"gate " + k + "\"}", ""));

        Map<String, String> drawn = new LinkedHashMap<>();
        Set<String> merged = new java.util.TreeSet<>();
        for (var r : results.entrySet()) {
            assertTrue(JSON.readTree(r.getValue()).isObject(), r.getKey());
            String html = drawn(r.getKey().replace(' ', '-'), r.getValue());
            // The one change: a band of more than 1,000 segments, drawn per pixel, says they were merged to fit
            String said = html.replaceAll("band: label over most of each pixel \\(\\d+ segments merged to fit\\)", "band: label per segment");
            if (!said.equals(html)) merged.add(r.getKey());
            // from the drawing on: the heading names the object, in a folder of this run
            html = said.substring(said.indexOf("<svg"));
            drawn.put(r.getKey(), Sha256.of(html).substring(0, 16)
                    + " " + html.length());
        }
        System.out.println(drawn);
        assertEquals(DRAWN_FROM_THE_TREE, drawn);
        assertEquals(Set.of("200 labels", "product 1001", "product 5000"), merged, "the bands that say they were merged");
    }

    /** Each case's timeline section as the tree-reading status drew it (main at d227c13): sha256 prefix and length. */
    private static final Map<String, String> DRAWN_FROM_THE_TREE = new LinkedHashMap<>();

    static {
        DRAWN_FROM_THE_TREE.put("product 0", "607e01ab1bf102ec 979");
        DRAWN_FROM_THE_TREE.put("product 1", "6085a34ece77ff38 2510");
        DRAWN_FROM_THE_TREE.put("product 40", "ae70e1ce4e93a0c8 33769");
        DRAWN_FROM_THE_TREE.put("product 1000", "c2b8aa94da878cff 278095");
        DRAWN_FROM_THE_TREE.put("product 1001", "3192e858798676db 239489");
        DRAWN_FROM_THE_TREE.put("product 5000", "cbbae4176b82b068 237545");
        DRAWN_FROM_THE_TREE.put("400 words", "bde8804c1d03a9ce 21148");
        DRAWN_FROM_THE_TREE.put("odd segments", "9699435547b40e91 2931");
        DRAWN_FROM_THE_TREE.put("100 probability keys", "46edd809bc851a32 1189");
        DRAWN_FROM_THE_TREE.put("200 labels", "a96b98d74dc35e8a 28229");
        DRAWN_FROM_THE_TREE.put("duration after the segments", "4e389b52f536d437 1910");
        DRAWN_FROM_THE_TREE.put("no duration", "1a77c61c1b207348 1550");
        DRAWN_FROM_THE_TREE.put("repeated fields", "23ae90592f2652ce 2000");
        DRAWN_FROM_THE_TREE.put("speech standardisation", "4011f194c12ec925 1326");
        DRAWN_FROM_THE_TREE.put("300 segments with text", "a5ba6565740f22bb 53248");
    }
}
