package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JSON sidecar under the 16 MiB limit costs its bounds in memory, not a tree of its size: read as a tree, a file of
 * one segment with a million small word entries took about 20 times its size (out of memory at -Xmx256m; 16.7 MB
 * loaded at 512m). Loaded in a JVM of 128 MiB of heap, as a small edge box or a busy function would have to spare.
 */
class JsonSidecarMemoryTest {

    static final int WORD_ENTRIES = 1_290_000;

    @Test
    void aSidecarOfAMillionWordEntriesLoadsInASmallHeap(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("talk.json");
        try (BufferedWriter out = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
            out.write("{\"segments\":[{\"start\":0,\"end\":1,\"text\":\"a\",\"words\":[");
            for (int i = 0; i < WORD_ENTRIES; i++) out.write(i == 0 ? "{\"word\":\"a\"}" : ",{\"word\":\"a\"}");
            out.write("]}]}");
        }
        assertTrue(Files.size(json) < TranscriptLimits.DEFAULTS.maxSidecarBytes(), "size " + Files.size(json));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), JsonSidecarMemoryTest.class.getName(), json.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("words " + TranscriptLimits.DEFAULTS.maxWords() + ", note "), out);
        assertTrue(out.contains("moodtag.transcript.max-words"), out);
    }

    /** The child: loads the sidecar and says what it kept. */
    public static void main(String[] args) {
        Transcript t = new TranscriptLoader().load(Path.of(args[0]));
        System.out.println("words " + t.words().size() + ", note " + t.note());
    }
}
