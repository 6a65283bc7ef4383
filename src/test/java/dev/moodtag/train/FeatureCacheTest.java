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

    /**
     * A damaged cache file (a foreign file, a bit flipped, a disk that lost a block) is never served as features:
     * whatever follows the last sound entry is dropped and encoded again. Found by a review: an entry of another
     * length than its block was served as that block's vector, one holding NaN was trained on, and a reason in no valid
     * UTF-8 made opening the cache fail, ending the training.
     */
    @Test
    void aDamagedEntryIsNeverServedAndEndsTheReadablePart(@TempDir Path dir) throws Exception {
        java.util.Map<String, byte[]> damages = new java.util.LinkedHashMap<>();
        damages.put("a vector of another length", entry(d -> {
            d.writeInt(3);
            for (int i = 0; i < 3; i++) d.writeFloat(1);
        }));
        damages.put("a NaN", entry(d -> {
            d.writeInt(2);
            d.writeFloat(Float.NaN);
            d.writeFloat(1);
        }));
        damages.put("an infinity", entry(d -> {
            d.writeInt(2);
            d.writeFloat(1);
            d.writeFloat(Float.NEGATIVE_INFINITY);
        }));
        damages.put("a reason in no UTF-8", entry(d -> {
            d.writeInt(-1);
            d.writeShort(2);
            d.write(new byte[]{(byte) 0xC0, 0x00});
        }));
        java.util.Random random = new java.util.Random(7);
        for (int k = 0; k < 20; k++) {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            damages.put("random bytes " + k, noise);
        }
        for (var damage : damages.entrySet()) {
            Path cache = Files.createDirectories(dir.resolve("case" + damages.keySet().stream().toList().indexOf(damage.getKey())));
            try (FeatureCache c = new FeatureCache(cache)) {
                c.put(TEXT_V1, H1, new FeatureCache.Entry(new float[]{1, 2}, null));
            }
            Path textFile = cache.resolve("text").resolve("1111111111111111.bin");
            long good = Files.size(textFile);
            Files.write(textFile, damage.getValue(), StandardOpenOption.APPEND);
            try (FeatureCache c = new FeatureCache(cache)) {
                assertArrayEquals(new float[]{1, 2}, c.get(TEXT_V1, H1).orElseThrow().vector(), damage.getKey());
                assertTrue(c.get(TEXT_V1, H2).isEmpty(), damage.getKey() + ": the damaged entry is not served");
                assertEquals(1, c.size(TEXT_V1), damage.getKey() + ": nothing of the damage is held");
            }
            assertEquals(good, Files.size(textFile), damage.getKey() + ": cut back to the last sound entry");
        }
    }

    private interface EntryBody {
        void write(java.io.DataOutputStream d) throws java.io.IOException;
    }

    /** An entry for H2 with the given body (length and vector, or -1 and a reason). */
    private static byte[] entry(EntryBody body) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream d = new java.io.DataOutputStream(bytes)) {
            d.write(java.util.HexFormat.of().parseHex(H2));
            body.write(d);
        }
        return bytes.toByteArray();
    }
}
