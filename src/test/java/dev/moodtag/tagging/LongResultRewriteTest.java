package dev.moodtag.tagging;

import dev.moodtag.support.ChildJvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readers of a whole result other than status's drawing: a result is outside input, so rewriting one must not
 * cost memory that grows with it. The million-segment result of {@link LongTimelineStatusTest}, in a child JVM of
 * 300 MB of heap.
 */
class LongResultRewriteTest {

    private static final String MEDIA = "03a05Fc.wav";

    /**
     * A result current by its file's hash gets the file's new time and version ({@link ResultLocator#recordFileVersion},
     * as tag, watch and the function do): it was read whole into a tree to be rewritten.
     */
    @Test
    void recordFileVersionRewritesAMillionSegmentResultInASmallHeap() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "long-result-rewrite").toAbsolutePath());
        Files.copy(Fixtures.sample(MEDIA), dir.resolve(MEDIA), StandardCopyOption.REPLACE_EXISTING);
        Path result = dir.resolve(MEDIA + ".emotion.json");
        LongTimelineStatusTest.writeLongResult(result);
        String said = child("record", dir);
        System.out.println("child recordFileVersion of a " + Files.size(result) + "-byte result: " + said.strip());
        assertTrue(said.contains("exit 0"), said);
        LocalObjectStorage store = new LocalObjectStorage(List.of(dir), false);
        ObjectInfo now = store.stat(store.refFor(dir.resolve(MEDIA))).orElseThrow();
        StoredResult read;
        try (InputStream in = Files.newInputStream(result)) {
            read = ResultLocator.parse(in, ResultLocator.Part.ALL_BUT_SEGMENTS).orElseThrow();
        }
        assertTrue(read.complete());
        assertEquals(LongTimelineStatusTest.SEGMENTS, read.segments());
        assertEquals(now.lastModified().orElseThrow().toString(), read.document().at("/source/lastModified").asText());
        assertEquals(now.fileVersion().orElseThrow(), read.document().at("/source/fileVersion").asText());
        assertEquals("happy", read.document().at("/summary/dominant").asText(), "the fields after the timeline are kept");
    }

    /**
     * A hostile result whose summary is 30 strings of 10,000,000 characters (each within what Jackson reads), as status
     * reads a result it does not draw ({@link ResultLocator#current} without a segment reader): the summary was kept
     * whole, 300 MB. Now the read stops at {@link ResultLocator#MAX_KEPT_BYTES}, and the result, current by its head,
     * is said incomplete (damaged).
     */
    @Test
    void statusReadsAResultWithAHugeSummaryInASmallHeap() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "huge-summary-status").toAbsolutePath());
        Files.copy(Fixtures.sample(MEDIA), dir.resolve(MEDIA), StandardCopyOption.REPLACE_EXISTING);
        Path result = dir.resolve(MEDIA + ".emotion.json");
        String seed = new ObjectMapper().writeValueAsString(new ObjectMapper().readTree(ResultReadBackGridTest.SEED.toFile()));
        String field = "x".repeat(10_000_000);
        try (java.io.Writer out = Files.newBufferedWriter(result, StandardCharsets.UTF_8)) {
            out.write(seed, 0, seed.length() - 1);
            out.write(",\"summary\":{");
            for (int k = 0; k < 30; k++) out.write((k > 0 ? "," : "") + "\"k" + k + "\":\"" + field + "\"");
            out.write("}}");
        }
        String said = child("current", dir);
        System.out.println("child status read of a " + Files.size(result) + "-byte result: " + said.strip());
        assertTrue(said.contains("exit 0"), said);
        assertTrue(said.contains("current, incomplete"), said);
    }

    /** Runs {@link #main} in a JVM of 300 MB of heap; what it said, with its exit status. */
    private static String child(String what, Path dir) throws Exception {
        ChildJvm.Ran child = ChildJvm.run(LongResultRewriteTest.class, List.of("-Xmx300m"), Duration.ofSeconds(300), what,
                dir.toString());
        return child.said() + " exit " + child.exit();
    }

    /** The child: {@code args[0]} done to the one object in {@code args[1]}; says how long it took and its peak RSS. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        long t0 = System.nanoTime();
        try {
            LocalObjectStorage store = new LocalObjectStorage(List.of(dir), false);
            ObjectRef media = store.refFor(dir.resolve(MEDIA));
            ResultLocator locator = ResultReadBackGridTest.locator();
            ObjectRef resultRef = locator.resultFor(media);
            if (args[0].equals("current")) {
                ResultLocator.Found found = locator.current(store, store.stat(media).orElseThrow(), null);
                System.out.println(found.current().map(r -> r.complete() ? "current, complete" : "current, incomplete")
                        .orElse(found.unreadable() ? "unreadable" : "none"));
                return;
            }
            JsonNode head = locator.readForSkip(store, resultRef).orElseThrow().document();
            locator.recordFileVersion(store, resultRef, head, store.stat(media).orElseThrow(),
                    new ResultWriter(new FunctionMetrics(new SimpleMeterRegistry())));
        } finally {
            // said on the way out of an OutOfMemoryError too
            String peak = ChildJvm.peak();
            System.out.printf(Locale.ROOT, "%s in %.1f s, %s%n", args[0], (System.nanoTime() - t0) / 1e9, peak);
        }
    }
}
