package dev.moodtag.train;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13: training reads a transcript exactly as serving does (same chain, same parsing and normalisation), so a
 * classifier is trained on the text it will be served; a transcript that cannot be read loses only the text.
 */
class TrainingTranscriptTest {
    static final String SRT = "1\n00:00:00,100 --> 00:00:01,300\n<i>Kids are talking</i>\n\n2\n00:00:01,300 --> 00:00:02,000\nby the door.\n";
    @TempDir
    static Path dir;
    private static EmbeddingEngine engine;
    private static FeatureCache cache;
    private static FfmpegMediaDecoder decoder;

    @BeforeAll
    static void engine() throws Exception {
        ModelPack textOnly = Fixtures.textOnlyPack();
        engine = new EmbeddingEngine(textOnly, Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
        cache = new FeatureCache(dir.resolve("cache"));
        decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
    }

    @AfterAll
    static void close() throws Exception {
        engine.close();
        cache.close();
    }

    private static ManifestRow row(String id, Map<String, Path> media, Path transcriptFile) {
        return new ManifestRow(id, media, null, transcriptFile, "joy", "", "", Map.of());
    }

    private FeatureExtractor extractor() {
        return new FeatureExtractor(engine, decoder, cache, 1);
    }

    @Test
    void aSubtitleTranscriptFileIsTheTextServingReadsNotItsTimings() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Path media = Files.copy(Fixtures.sample("03b01Wa.wav"), served.resolve("clip.wav"));
        Files.writeString(served.resolve("clip.srt"), SRT);
        Path file = Files.writeString(dir.resolve("row.srt"), SRT);

        Utterance training = extractor().utterance(row("a", Map.of("media", media), file));
        Utterance serving = decoder.decode(media);
        assertEquals("Kids are talking by the door.", training.transcriptText().orElseThrow().text(),
                "no cue numbers, timings or tags in the training text");
        assertEquals(serving.transcriptText().orElseThrow().text(), training.transcriptText().orElseThrow().text());
        assertEquals(Transcript.Source.SIDECAR, training.transcript().source());
        assertArrayEquals(engine.embed(serving).results().get(0).vector(), engine.embed(training).results().get(0).vector(),
                "the text encoder sees the same thing in training and serving");
    }

    @Test
    void anUnreadableTranscriptFileLosesOnlyTheText() throws Exception {
        Path latin1 = Files.write(dir.resolve("latin1.txt"), "d\u00f6or".getBytes(StandardCharsets.ISO_8859_1));
        Utterance u = extractor().utterance(row("m", Map.of("media", Fixtures.sample("03b01Wa.wav")), latin1));
        assertTrue(u.audioTrack().isPresent(), "the audio is still used");
        assertTrue(u.whyMissing(Modality.TEXT).orElseThrow().contains("latin1.txt: not UTF-8"), u.missing()::toString);

        FeatureExtractor.Result r = extractor().extract(List.of(row("t", Map.of(), latin1)));
        assertTrue(r.failed().get("t").contains("latin1.txt: not UTF-8"), "a text-only row has nothing left: " + r.failed());
    }

    @Test
    void theCacheKeyFollowsTheSidecarBesideTheMedia() throws Exception {
        Path own = Files.createDirectories(dir.resolve("keyed"));
        Path media = Files.copy(Fixtures.sample("03b01Wa.wav"), own.resolve("clip.wav"));
        Files.writeString(own.resolve("clip.txt"), "I am so happy.");
        ManifestRow row = row("k", Map.of("media", media), null);
        String before = extractor().contentHash(row);
        assertEquals("I am so happy.", extractor().utterance(row).transcriptText().orElseThrow().text());
        Files.writeString(own.resolve("clip.txt"), "This is terrible news.");
        assertNotEquals(before, extractor().contentHash(row), "a changed transcript is not served from the cache");
    }
}
