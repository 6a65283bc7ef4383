package dev.moodtag.batch;

import dev.moodtag.support.ChildJvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.tagging.EmotionResult;
import dev.moodtag.tagging.FunctionMetrics;
import dev.moodtag.tagging.LongTimelineStatusTest;
import dev.moodtag.tagging.ResultLocator;
import dev.moodtag.tagging.ResultReadBackGridTest;
import dev.moodtag.tagging.ResultWriter;
import dev.moodtag.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch's second pass ({@code tag --speech-over-batch}) rewrites a kept clip's result, which is outside input by
 * then: another run may have written it, or anyone. It was read whole into a tree, a timeline's segments and all.
 */
class SecondPassRewriteTest {

    private static final String MEDIA = "03a05Fc.wav";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EmotionResult.SpeechStandardisation SAID =
            new EmotionResult.SpeechStandardisation(EmotionResult.SpeechStandardisation.BATCH, 12, "sad", 0.5, null);

    /**
     * The million-segment result of {@link LongTimelineStatusTest} where the first pass's was, its requestId the first
     * pass's, rewritten in a child JVM of 300 MB of heap: it ran out of memory reading it; now it is left as it is,
     * said.
     */
    @Test
    void aMillionSegmentResultIsRefusedInWordsInASmallHeapAndLeftAsItIs() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "second-pass-long-result").toAbsolutePath());
        Files.copy(Fixtures.sample(MEDIA), dir.resolve(MEDIA), StandardCopyOption.REPLACE_EXISTING);
        Path result = dir.resolve(MEDIA + ".emotion.json");
        LongTimelineStatusTest.writeLongResult(result);
        long size = Files.size(result);
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(result);
        ChildJvm.Ran child = ChildJvm.run(SecondPassRewriteTest.class, List.of("-Xmx300m"), Duration.ofSeconds(300),
                dir.toString());
        String said = child.said();
        System.out.println("child second-pass rewrite of a " + size + "-byte result: exit " + child.exit() + "; " + said.strip());
        assertEquals(0, child.exit(), said);
        assertTrue(said.contains("not rewritten: its result has a timeline of " + LongTimelineStatusTest.SEGMENTS
                + " segment(s), which the first pass of a single utterance does not write"), said);
        assertEquals(size, Files.size(result), "left as it is");
        assertEquals(before, Files.getLastModifiedTime(result), "left as it is");
    }

    /**
     * A small grid of what may stand where the first pass's result was: its own (rewritten), one with a timeline of any
     * shape (left, said), another run's (left, said). Each refused one is left byte for byte.
     */
    @Test
    void whatStandsWhereTheFirstPassWroteDecidesTheRewrite() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "second-pass-rewrite-grid").toAbsolutePath());
        Files.copy(Fixtures.sample(MEDIA), dir.resolve(MEDIA), StandardCopyOption.REPLACE_EXISTING);
        LocalObjectStorage store = new LocalObjectStorage(List.of(dir), false);
        ObjectRef media = store.refFor(dir.resolve(MEDIA));
        ObjectInfo now = store.stat(media).orElseThrow();
        ResultLocator results = ResultReadBackGridTest.locator();
        ResultWriter writer = new ResultWriter(new FunctionMetrics(new SimpleMeterRegistry()));
        Path result = dir.resolve(MEDIA + ".emotion.json");
        ObjectNode firstPass = (ObjectNode) JSON.readTree(ResultReadBackGridTest.SEED.toFile());
        ObjectNode source = (ObjectNode) firstPass.get("source");
        source.put("size", now.size()).put("lastModified", now.lastModified().orElseThrow().toString());
        now.fileVersion().ifPresentOrElse(v -> source.put("fileVersion", v), () -> source.remove("fileVersion"));
        String requestId = firstPass.get("requestId").asText();
        String segment = "{\"start\":0,\"end\":0.5,\"status\":\"labelled\",\"label\":\"sad\",\"probabilities\":{\"sad\":1.0},\"modalities\":[\"speech\"]}";
        String[] timelines = {"{\"segments\":[]}", "{\"segments\":[" + segment + "]}",
                "{\"durationSeconds\":3,\"segments\":[" + segment + "," + segment + "," + segment + "]}",
                "{\"segments\":[" + segment + "],\"segments\":[]}", "{}", "[]", "[" + segment + "]", "\"x\"", "0", "false"};
        for (String timeline : timelines) {
            ObjectNode doc = firstPass.deepCopy();
            doc.set("timeline", JSON.readTree(timeline));
            byte[] bytes = JSON.writeValueAsBytes(doc);
            Files.write(result, bytes);
            Optional<String> why = BatchTagger.rewrite(results, writer, new BatchItem(media, store), requestId, null, SAID);
            assertTrue(why.orElse("").startsWith("its result has a timeline"), timeline + ": " + why);
            assertArrayEquals(bytes, Files.readAllBytes(result), timeline + ": left byte for byte");
        }
        Files.write(result, JSON.writeValueAsBytes(firstPass));
        Optional<String> other = BatchTagger.rewrite(results, writer, new BatchItem(media, store), "another-run-1", null, SAID);
        assertEquals(Optional.of("its result was replaced since the first pass (requestId " + requestId
                + ", not another-run-1)"), other);
        for (JsonNode timeline : new JsonNode[]{null, com.fasterxml.jackson.databind.node.NullNode.instance}) {
            ObjectNode doc = firstPass.deepCopy();
            if (timeline != null) doc.set("timeline", timeline);
            Files.write(result, JSON.writeValueAsBytes(doc));
            assertEquals(Optional.empty(), BatchTagger.rewrite(results, writer, new BatchItem(media, store), requestId, null, SAID));
            JsonNode rewritten = JSON.readTree(result.toFile());
            assertEquals("batch", rewritten.at("/speechStandardisation/over").asText(), rewritten.toString());
            assertEquals(firstPass.get("label"), rewritten.get("label"), "the guard kept the first pass's label");
        }
    }

    /** The child: the second pass's rewrite of the one object in {@code args[0]}; says what came of it and its peak RSS. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long t0 = System.nanoTime();
        try {
            LocalObjectStorage store = new LocalObjectStorage(List.of(dir), false);
            ObjectRef media = store.refFor(dir.resolve(MEDIA));
            ResultLocator results = ResultReadBackGridTest.locator();
            String requestId = JSON.readTree(ResultReadBackGridTest.SEED.toFile()).get("requestId").asText();
            Optional<String> why = BatchTagger.rewrite(results, new ResultWriter(new FunctionMetrics(new SimpleMeterRegistry())),
                    new BatchItem(media, store), requestId, null, SAID);
            System.out.println(why.map(w -> "not rewritten: " + w).orElse("rewritten"));
        } finally {
            // said on the way out of an OutOfMemoryError too
            String peak = ChildJvm.peak();
            System.out.printf(Locale.ROOT, "rewrite in %.1f s, %s%n", (System.nanoTime() - t0) / 1e9, peak);
        }
    }
}
