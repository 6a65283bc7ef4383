package dev.moodtag.train;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.media.Modality;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.transcribe.RecognisedTranscripts;
import dev.moodtag.transcribe.RecordingGate;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code moodtag train --transcripts recognised}: a corpus with audio and no text is trained on the text the serving
 * chain recognises (real Vosk model, real gate), and the recogniser is part of the feature cache's key; the
 * recording-level rule R1 decides nothing training caches, so it is not.
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
        return extractor(chain, cache);
    }

    private static FeatureExtractor extractor(TranscriptChain chain, FeatureCache through) {
        return new FeatureExtractor(engine, new FfmpegMediaDecoder(TestMediaConfig.defaults(), chain), through, 1, chain,
                chain.recognition());
    }

    private static ManifestRow row(String id, Path media) {
        return row(id, media, "");
    }

    private static ManifestRow row(String id, Path media, String group) {
        return new ManifestRow(id, Map.of("media", media), null, null, "neutral", group, "", Map.of());
    }

    private static TranscriptChain recognisingWith(RecordingGate recordingGate) {
        return TranscriptChain.standard(TranscriptLimits.DEFAULTS,
                new RecognisedTranscripts(transcriber, new TranscriptGate(0.885, 0.3), recordingGate, null));
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

    /**
     * R1 ({@link RecordingGate}) judges the segments of one timeline together; a training row is decoded and heard as
     * one utterance, on which R1 cannot act (a lone segment the gate accepted has all its words accepted), so its
     * settings are no part of the cache key: changing them must not encode every corpus again. Pinned over rows R1
     * would refuse if they were judged as one recording (one speaker's clips, as TRAINING.md's measurement of R1
     * treats them): each setting gives the same key, and features read back from a cache another setting filled are
     * the ones a fresh extraction gives. If training ever judges rows together, the cache read fails here until R1's
     * settings join {@link RecognisedTranscripts#identity()} (and the key assertion then turns around).
     */
    @Test
    void theRecordingLevelRuleDecidesNothingTrainingCachesSoItIsNoPartOfTheKey() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("one-speaker"));
        Path english = Files.copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"), folder.resolve("en.mp4"));
        Path german = Files.copy(Fixtures.shared("data/emodb/wav/03a01Nc.wav"), folder.resolve("de.wav"));
        List<ManifestRow> rows = List.of(row("de", german, "speaker-03"), row("en", english, "speaker-03"));
        RecordingGate strictest = new RecordingGate(1, 1), served = new RecordingGate(0.5, 3);

        // The input is one R1 acts on when its clips are judged as one recording: the English clip's text would go
        RecognisedTranscripts judge = new RecognisedTranscripts(transcriber, new TranscriptGate(0.885, 0.3), strictest, null);
        FfmpegMediaDecoder plain = new FfmpegMediaDecoder(TestMediaConfig.defaults(), given);
        List<TranscriptResolution> heard;
        try (HeardTranscripts.Recording recording = judge.recording()) { // as a timeline hears its segments
            heard = rows.stream()
                    .map(r -> recording.hear(plain.decode(r.media().get("media"), null).audioTrack().orElseThrow())).toList();
        }
        assertNull(heard.get(0).transcript(), "the gate refuses the German clip");
        assertTrue(heard.get(0).heardWords() > 0, "with words heard, which R1 counts");
        assertNotNull(heard.get(1).transcript(), heard.get(1).whyMissing());
        assertTrue(judge.refuseRecording(heard).isPresent(), "R1 refuses the two as one recording");

        List<RecordingGate> settings = List.of(RecordingGate.OFF, served, strictest);
        for (ManifestRow r : rows) {
            List<String> keys = settings.stream().map(g -> extractor(recognisingWith(g)).contentHash(r)).distinct().toList();
            assertEquals(1, keys.size(), r.id() + ": R1's settings changed the cache key " + keys);
        }

        // Filled under one setting, read under another: what a fresh extraction under the second gives, both ways
        for (RecordingGate[] pair : new RecordingGate[][]{{strictest, RecordingGate.OFF}, {RecordingGate.OFF, strictest}}) {
            String cells = "r1-" + pair[0].minAcceptedShare() + "-then-" + pair[1].minAcceptedShare();
            try (FeatureCache shared = new FeatureCache(dir.resolve(cells).resolve("shared"));
                 FeatureCache fresh = new FeatureCache(dir.resolve(cells).resolve("fresh"))) {
                FeatureExtractor.Result filled = extractor(recognisingWith(pair[0]), shared).extract(rows);
                FeatureExtractor.Result reread = extractor(recognisingWith(pair[1]), shared).extract(rows);
                FeatureExtractor.Result truth = extractor(recognisingWith(pair[1]), fresh).extract(rows);
                assertEquals(2, filled.computed(), cells);
                assertEquals(2, reread.cached(), cells + ": the second setting read the cache");
                assertEquals(2, truth.computed(), cells);
                for (ManifestRow r : rows) {
                    assertArrayEquals(truth.vectors().get(r.id())[0], reread.vectors().get(r.id())[0],
                            cells + ", row " + r.id() + ": the cache served features a fresh extraction does not give");
                }
                assertEquals(truth.whyWithoutFeatures(), reread.whyWithoutFeatures(), cells);
                assertNotNull(truth.vectors().get("en")[0], cells + ": the English clip has its text's embedding");
            }
        }
    }
}
