package dev.moodtag.train;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text rows through the real bge-small encoder, cached: the second run encodes nothing. */
class FeatureExtractorTest {

    private static final dev.moodtag.media.FfmpegMediaDecoder DECODER =
            new dev.moodtag.media.FfmpegMediaDecoder(dev.moodtag.media.TestMediaConfig.defaults());

    @Test
    void encodesTextRowsOnceAndServesTheRerunFromTheCache(@TempDir Path dir) throws Exception {
        ModelPack textOnly = Fixtures.textOnlyPack();
        Path m = dir.resolve("m.csv");
        Files.copy(Fixtures.sample("03a05Fc.wav"), dir.resolve("e.wav"));
        Files.writeString(m, """
                id,transcript,label,split,audio
                a,I am so happy today!,joy,train,
                b,This is terrible news.,sadness,train,
                c,I am so happy today!,joy,test,
                d,,neutral,test,
                e,,neutral,test,e.wav
                """);
        DatasetManifest manifest = DatasetManifest.read(m);
        Path cacheDir = dir.resolve("cache");
        FeatureExtractor.Result first, second;
        dev.moodtag.fuse.FeatureLayout layout;
        try (EmbeddingEngine engine = new EmbeddingEngine(textOnly, Fixtures.onnxCpu(), dev.moodtag.encode.EncoderKinds.BUILT_IN, false);
             FeatureCache cache = new FeatureCache(cacheDir)) {
            FeatureExtractor fx = new FeatureExtractor(engine, DECODER, cache, 2);
            layout = fx.layout();
            assertEquals(384, layout.block(0).dim());
            first = fx.extract(manifest.rows());
        }
        assertEquals(4, first.vectors().size(), () -> "row d has nothing to encode; failed: " + first.failed());
        assertEquals(4, first.computed() + first.cached());
        // Row e has audio but no transcript: the text encoder says why it gave no vector, and the report says it too.
        assertTrue(first.empty().get("e").startsWith("text-bge-small: "), first.empty().toString());
        assertArrayEquals(first.vectors().get("a")[0], first.vectors().get("c")[0], "same text, same vector");
        try (EmbeddingEngine engine = new EmbeddingEngine(textOnly, Fixtures.onnxCpu(), dev.moodtag.encode.EncoderKinds.BUILT_IN, false);
             FeatureCache cache = new FeatureCache(cacheDir)) {
            second = new FeatureExtractor(engine, DECODER, cache, 1).extract(manifest.rows());
        }
        assertEquals(0, second.computed());
        assertEquals(4, second.cached());
        assertEquals(first.empty(), second.empty(), "the reason comes from the cache as well");
        assertArrayEquals(first.vectors().get("b")[0], second.vectors().get("b")[0]);
        FeatureTable t = FeatureTable.build(manifest, LabelMap.parse("identity"), layout, second.vectors(), second.failed(), false);
        assertEquals(3, t.size());
        assertEquals(5, FeatureTable.build(manifest, LabelMap.parse("identity"), layout, second.vectors(), second.failed(), true).size(),
                "scored, the featureless rows stay in the table");
        assertTrue(t.skippedRows().containsKey("d"), "a row without any features is reported: " + t.skippedRows());
        FeatureTable named = FeatureTable.build(manifest, LabelMap.parse("identity"), layout, second.vectors(),
                second.whyWithoutFeatures(), false);
        assertEquals(first.empty().get("e"), named.skippedRows().get("e"), "with the encoder's reason");
    }
    /**
     * Before, a manifest row naming a FIFO was opened to hash its bytes, and extraction waited for a writer forever.
     * Now the row fails with why, as an undecodable file does, and the other rows are encoded.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aRowNamingAFifoFailsWithWhyAndIsNotWaitedOn(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("clip.wav");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            made = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(made, "mkfifo is available");
        ModelPack textOnly = Fixtures.textOnlyPack();
        Path m = dir.resolve("m.csv");
        Files.writeString(m, """
                id,transcript,label,audio
                a,I am so happy today!,joy,
                f,I am so happy today!,joy,clip.wav
                """);
        DatasetManifest manifest = DatasetManifest.read(m);
        FeatureExtractor.Result r;
        try (EmbeddingEngine engine = new EmbeddingEngine(textOnly, Fixtures.onnxCpu(), dev.moodtag.encode.EncoderKinds.BUILT_IN, false);
             FeatureCache cache = new FeatureCache(dir.resolve("cache"))) {
            r = new FeatureExtractor(engine, DECODER, cache, 2).extract(manifest.rows());
        }
        assertEquals(java.util.Set.of("a"), r.vectors().keySet(), "the other row is encoded");
        assertEquals(java.util.Set.of("f"), r.failed().keySet());
        assertTrue(r.failed().get("f").contains("clip.wav") && r.failed().get("f").contains("the manifest's audio is "
                + dev.moodtag.support.NotARegularFile.OTHER),
                r.failed().get("f"));
    }

    @Test
    void aPictureDecodedWithOtherFrameSettingsIsEncodedAgainNotServedFromTheCache(@TempDir Path dir) throws Exception {
        ModelPack videoOnly = Fixtures.defaultPackWithOnly("video-face-expression");
        Files.copy(Fixtures.sample("Cole_Chapman_0001.jpg"), dir.resolve("face.jpg"));
        Path m = dir.resolve("m.csv");
        Files.writeString(m, """
                id,image,label
                face,face.jpg,neutral
                """);
        DatasetManifest manifest = DatasetManifest.read(m);
        Path cacheDir = dir.resolve("cache");
        var small = new dev.moodtag.media.FfmpegMediaDecoder(dev.moodtag.media.TestMediaConfig.defaults().withMaxFrameSide(96));
        FeatureExtractor.Result asConfigured, smaller, again;
        try (EmbeddingEngine engine = new EmbeddingEngine(videoOnly, Fixtures.onnxCpu(), dev.moodtag.encode.EncoderKinds.BUILT_IN, false);
             FeatureCache cache = new FeatureCache(cacheDir)) {
            asConfigured = new FeatureExtractor(engine, DECODER, cache, 1).extract(manifest.rows());
            // Frames scaled to 96 px are other pixels for the face detector and the expression net. Before, the
            // cache key was the file's bytes alone, and the 640 px features came back.
            smaller = new FeatureExtractor(engine, small, cache, 1).extract(manifest.rows());
            again = new FeatureExtractor(engine, DECODER, cache, 1).extract(manifest.rows());
        }
        assertEquals(1, asConfigured.computed());
        assertEquals(1, smaller.computed(), "decoded at another frame size, the picture is encoded again");
        assertTrue(!java.util.Arrays.equals(asConfigured.vectors().get("face")[0], smaller.vectors().get("face")[0]),
                "and gives other features");
        assertEquals(1, again.cached(), "the first setting's features are still cached");
        assertArrayEquals(asConfigured.vectors().get("face")[0], again.vectors().get("face")[0]);
    }
}
