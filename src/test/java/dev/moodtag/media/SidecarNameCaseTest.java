package dev.moodtag.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A sidecar's extension in another case ({@code clip.TXT} beside {@code clip.wav}) is the media's sidecar, as the
 * folder walk already takes it (and so does not tag it).
 */
class SidecarNameCaseTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void caseSensitive() throws Exception {
        Path probe = Files.writeString(tmp.resolve("probe.txt"), "");
        assumeTrue(!Files.exists(tmp.resolve("PROBE.TXT")), "needs a case-sensitive file system");
        Files.delete(probe);
    }

    private static Path folder(String name, String... sidecars) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String s : sidecars) Files.writeString(dir.resolve(s), s);
        return Files.writeString(dir.resolve("clip.wav"), "");
    }

    /** Every extension in several cases, alone beside its media: each is found, and read as the same format. */
    @Test
    void aSidecarInAnyCaseIsFoundAndReadByItsFormat() throws Exception {
        Map<String, String> bodies = Map.of("txt", "Hello there.", "srt", "1\n00:00:00,000 --> 00:00:01,000\nHello there.\n",
                "vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello there.\n", "json", "{\"text\": \"Hello there.\"}");
        int n = 0, missed = 0;
        List<String> missing = new ArrayList<>();
        for (String ext : TranscriptLoader.SIDECAR_EXTENSIONS) {
            for (String cased : List.of(ext.toUpperCase(), ext.substring(0, 1).toUpperCase() + ext.substring(1),
                    ext.substring(0, ext.length() - 1) + ext.substring(ext.length() - 1).toUpperCase(), ext)) {
                Path dir = Files.createDirectories(tmp.resolve("one-" + n++));
                Path media = Files.writeString(dir.resolve("clip.wav"), "");
                Files.writeString(dir.resolve("clip." + cased), bodies.get(ext));
                Optional<Path> found = TranscriptLoader.sidecarOf(media);
                if (found.isEmpty() || !found.get().getFileName().toString().equals("clip." + cased)) {
                    missed++;
                    missing.add("clip." + cased);
                    continue;
                }
                Transcript t = new TranscriptLoader().load(found.get());
                assertEquals("Hello there.", t.text(), cased);
                assertEquals("clip." + cased, t.origin());
                assertEquals(!ext.equals("txt") && !ext.equals("json"), !t.segments().isEmpty(), cased);
            }
        }
        assertEquals(0, missed, missed + " of " + n + " sidecars not found: " + missing);
    }

    /** The lower-case name wins over its other cases, then the others by code point, each extension before the next. */
    @Test
    void severalCasesChooseByOneRule() throws Exception {
        assertEquals("clip.txt", found(folder("both", "clip.TXT", "clip.txt", "clip.Txt")));
        assertEquals("clip.TXT", found(folder("upper", "clip.Txt", "clip.TXT", "clip.tXt")));
        assertEquals("clip.TXT", found(folder("order", "clip.TXT", "clip.vtt", "clip.srt")));
        assertEquals("clip.Vtt", found(folder("vtt", "clip.Vtt", "clip.SRT", "clip.json")));
        // a file named like a sidecar is not its own (named as media, its twin in another case is)
        Path dir = Files.createDirectories(tmp.resolve("self"));
        assertEquals(Optional.empty(), TranscriptLoader.sidecarOf(Files.writeString(dir.resolve("clip.txt"), "")));
        Files.writeString(dir.resolve("clip.TXT"), "");
        assertEquals("clip.TXT", found(dir.resolve("clip.txt")));
        assertFalse(TranscriptLoader.sidecarNames("clip.TXT").contains("clip.TXT"));
    }

    /**
     * A grid of random sets of names beside one media: the chosen one is the one an independent statement of the rule
     * picks, and a base in another case is never taken (the walk compares the base with case).
     */
    @Test
    void randomSetsOfNamesFollowTheRule() throws Exception {
        Random random = new Random(11);
        List<String> pool = new ArrayList<>();
        for (String ext : TranscriptLoader.SIDECAR_EXTENSIONS) {
            for (String b : List.of("clip", "CLIP", "Clip")) {
                pool.add(b + "." + ext);
                pool.add(b + "." + ext.toUpperCase());
                pool.add(b + "." + ext.charAt(0) + ext.substring(1).toUpperCase());
            }
        }
        pool.addAll(List.of("clip.txt.bak", "clip.wav.txt", "clip..txt", "clip.tx", "clip.TXTX", "clip.SRT.bak"));
        for (int i = 0; i < 200; i++) {
            List<String> names = new ArrayList<>();
            for (String p : pool) if (random.nextInt(8) == 0) names.add(p);
            Path media = folder("grid-" + i, names.toArray(String[]::new));
            String expected = null;
            for (String ext : TranscriptLoader.SIDECAR_EXTENSIONS) {
                List<String> same = names.stream().filter(s -> s.startsWith("clip.") && s.substring(5).equalsIgnoreCase(ext))
                        .sorted().toList();
                if (same.contains("clip." + ext)) expected = "clip." + ext;
                else if (!same.isEmpty()) expected = same.get(0);
                if (expected != null) break;
            }
            assertEquals(Optional.ofNullable(expected), TranscriptLoader.sidecarOf(media).map(p -> p.getFileName().toString()),
                    names.toString());
        }
    }

    private static String found(Path media) {
        return TranscriptLoader.sidecarOf(media).orElseThrow().getFileName().toString();
    }
}
