package dev.moodtag.train;

import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.media.Modality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureCacheTest {

    private static final FeatureBlock TEXT_V1 = new FeatureBlock("text", Modality.TEXT, 2, "1111111111111111");
    private static final FeatureBlock TEXT_V2 = new FeatureBlock("text", Modality.TEXT, 2, "2222222222222222");
    private static final FeatureBlock VIDEO = new FeatureBlock("video", Modality.VIDEO, 2, "3333333333333333");
    private static final String H1 = "a".repeat(64), H2 = "b".repeat(64);

    @Test
    void resumesAfterReopeningDropsAHalfWrittenEntryAndKeysByEncoderFingerprint(@TempDir Path dir) throws Exception {
        try (FeatureCache c = new FeatureCache(dir)) {
            c.put(TEXT_V1, H1, new FeatureCache.Entry(new float[]{1, 2}, null));
            c.put(VIDEO, H1, new FeatureCache.Entry(null, "no face in any frame"));
            c.put(TEXT_V1, H2, new FeatureCache.Entry(new float[]{3, 4}, null));
        }
        Path textFile = dir.resolve("text").resolve("1111111111111111.bin");
        Files.write(textFile, new byte[]{7, 7, 7}, StandardOpenOption.APPEND); // killed mid-write
        long before = Files.size(textFile);
        try (FeatureCache c = new FeatureCache(dir)) {
            assertArrayEquals(new float[]{1, 2}, c.get(TEXT_V1, H1).orElseThrow().vector());
            assertArrayEquals(new float[]{3, 4}, c.get(TEXT_V1, H2).orElseThrow().vector());
            assertEquals("no face in any frame", c.get(VIDEO, H1).orElseThrow().missingReason());
            assertEquals(before - 3, Files.size(textFile), "the torn tail is cut off");
            // a changed text encoder misses, the video block stays cached
            assertTrue(c.get(TEXT_V2, H1).isEmpty());
            assertTrue(c.get(VIDEO, H1).isPresent());
            c.put(TEXT_V1, H2, new FeatureCache.Entry(new float[]{9, 9}, null)); // already there: not rewritten
        }
        try (FeatureCache c = new FeatureCache(dir)) {
            assertEquals(2, c.size(TEXT_V1));
            assertArrayEquals(new float[]{3, 4}, c.get(TEXT_V1, H2).orElseThrow().vector());
        }
    }

    @Test
    void aSecondCacheOnTheSameFolderNeitherCutsNorAppendsWhileTheFirstWrites(@TempDir Path dir) throws Exception {
        Path textFile = dir.resolve("text").resolve("1111111111111111.bin");
        try (FeatureCache first = new FeatureCache(dir)) {
            first.put(TEXT_V1, H1, new FeatureCache.Entry(new float[]{1, 2}, null));
            // the first writer is in the middle of its next entry: its bytes are only partly on disk
            Files.write(textFile, new byte[]{7, 7, 7}, StandardOpenOption.APPEND);
            byte[] during = Files.readAllBytes(textFile);
            try (FeatureCache second = new FeatureCache(dir)) {
                assertArrayEquals(new float[]{1, 2}, second.get(TEXT_V1, H1).orElseThrow().vector());
                second.put(TEXT_V1, H2, new FeatureCache.Entry(new float[]{3, 4}, null));
                assertArrayEquals(new float[]{3, 4}, second.get(TEXT_V1, H2).orElseThrow().vector(),
                        "the second run still uses what it computed");
            }
            assertArrayEquals(during, Files.readAllBytes(textFile), "the file the first one writes is untouched");
        }
    }

    @Test
    void anImpossibleEntryLengthEndsTheReadablePartInsteadOfAllocatingIt(@TempDir Path dir) throws Exception {
        try (FeatureCache c = new FeatureCache(dir)) {
            c.put(TEXT_V1, H1, new FeatureCache.Entry(new float[]{1, 2}, null));
        }
        Path textFile = dir.resolve("text").resolve("1111111111111111.bin");
        long good = Files.size(textFile);
        java.io.ByteArrayOutputStream garbage = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream d = new java.io.DataOutputStream(garbage)) {
            d.write(new byte[32]);
            d.writeInt(Integer.MAX_VALUE); // a misaligned length: 8 GB of floats
            d.write(new byte[64]);
        }
        Files.write(textFile, garbage.toByteArray(), StandardOpenOption.APPEND);
        try (FeatureCache c = new FeatureCache(dir)) {
            assertArrayEquals(new float[]{1, 2}, c.get(TEXT_V1, H1).orElseThrow().vector());
            assertEquals(1, c.size(TEXT_V1));
        }
        assertEquals(good, Files.size(textFile), "cut back to the last complete entry");
    }
}
