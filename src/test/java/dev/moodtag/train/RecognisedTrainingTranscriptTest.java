package dev.moodtag.train;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.Modality;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.transcribe.RecognisedTranscripts;
import dev.moodtag.transcribe.SpeechTranscriber;
import dev.moodtag.transcribe.SpeechTranscribers;
import dev.moodtag.transcribe.TranscribeConfig;
import dev.moodtag.transcribe.TranscriptGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code moodtag train --transcripts recognised}: a corpus with audio and no text is trained on the text the serving
 * chain recognises (real Vosk model, real gate), and the recogniser is part of the feature cache's key.
 */
class RecognisedTrainingTranscriptTest {
    @TempDir
    static Path dir;
    private static EmbeddingEngine engine;
    private static FeatureCache cache;
    private static SpeechTranscriber transcriber;
    private static TranscriptChain recognising;
    private static TranscriptChain given;

    @BeforeAll
    static void load() throws Exception {
        ModelPack full = Fixtures.defaultPack();
        ModelPack textOnly = Fixtures.textOnlyPack();
        engine = new EmbeddingEngine(textOnly, Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
        cache = new FeatureCache(dir.resolve("cache"));
        transcriber = SpeechTranscribers.load(full, new TranscribeConfig() {
            public boolean enabled() { return true; }
            public String language() { return "en"; }
            public dev.moodtag.transcribe.WarmUp warmUp() { return dev.moodtag.transcribe.WarmUp.PACK; }
            public Gate gate() { return null; }
        }).orElseThrow();
        recognising = TranscriptChain.standard(TranscriptLimits.DEFAULTS,
                new RecognisedTranscripts(transcriber, new TranscriptGate(0.885, 0.3), null));
        given = recognising.withoutRecognition();
    }

    @AfterAll
    static void close() throws Exception {
        engine.close();
        cache.close();
        if (transcriber != null) transcriber.close();
    }

    private static FeatureExtractor extractor(TranscriptChain chain) {
        return new FeatureExtractor(engine, new FfmpegMediaDecoder(TestMediaConfig.defaults(), chain), cache, 1, chain,
                chain.recognition());
    }

    private static ManifestRow row(String id, Path media) {
        return new ManifestRow(id, Map.of("media", media), null, null, "neutral", "", "", Map.of());
    }

    @Test
    void aClipWithoutTextIsTrainedOnWhatServingRecognises() throws Exception {
        Path film = Files.copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"),
                Files.createDirectories(dir.resolve("no-sidecar")).resolve("film.mp4"));
        Utterance u = extractor(recognising).utterance(row("film", film));
        Transcript t = u.transcriptText().orElseThrow(() -> new AssertionError(u.missing().toString()));
        assertEquals("kids are talking by the door", t.text());
        assertEquals(Transcript.Source.RECOGNISED, t.source());
        assertFalse(t.words().isEmpty(), "word timings kept");

        Utterance without = extractor(given).utterance(row("film", film));
        assertTrue(without.transcriptText().isEmpty(), "by default training does not recognise");
        assertTrue(without.whyMissing(Modality.TEXT).isPresent());
    }

    @Test
    void theRecogniserAndItsGateArePartOfTheCacheKeyOfRowsWithoutText() throws Exception {
        Path film = Files.copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"),
                Files.createDirectories(dir.resolve("keyed")).resolve("film.mp4"));
        String recognised = extractor(recognising).contentHash(row("f", film));
        String none = extractor(given).contentHash(row("f", film));
        TranscriptChain stricter = TranscriptChain.standard(TranscriptLimits.DEFAULTS,
                new RecognisedTranscripts(transcriber, new TranscriptGate(0.99, 0.3), null));
        String strict = extractor(stricter).contentHash(row("f", film));
        assertNotEquals(none, recognised, "features from recognised text are not those without text");
        assertNotEquals(recognised, strict, "another gate may accept other clips");
        assertEquals(recognised, extractor(recognising).contentHash(row("f", film)), "deterministic");

        // A row with its own text is keyed by that text alone, whichever chain reads it
        Files.writeString(dir.resolve("keyed").resolve("film.txt"), "Dogs are sitting by the door.");
        assertEquals(extractor(given).contentHash(row("f", film)), extractor(recognising).contentHash(row("f", film)));
    }

    @Test
    void germanSpeechIsRefusedByTheGateAsInServing() {
        Utterance u = extractor(recognising).utterance(row("de", Fixtures.shared("data/emodb/wav/03a01Nc.wav")));
        assertTrue(u.transcriptText().isEmpty(), () -> "accepted: " + u.transcript());
        assertTrue(u.whyMissing(Modality.TEXT).orElseThrow().startsWith("speech not recognised as English"),
                u.missing()::toString);
    }
}
