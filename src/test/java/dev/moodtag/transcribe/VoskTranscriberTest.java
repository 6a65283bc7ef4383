package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The real Vosk model from the default pack on real and generated audio, decoded by the product's FFmpeg decoder. */
class VoskTranscriberTest {
    private static final FfmpegMediaDecoder DECODER = new FfmpegMediaDecoder(TestMediaConfig.defaults());
    private static final TranscriptGate GATE = new TranscriptGate(0.885, 0.3);
    private static SpeechTranscriber transcriber;
    private static AudioTrack sample;

    @BeforeAll
    static void load() {
        ModelPack pack = Fixtures.defaultPack();
        transcriber = SpeechTranscribers.load(pack, TestTranscribeConfig.defaults()).orElseThrow();
        sample = DECODER.decode(Fixtures.sample("01-01-01-01-01-01-01.mp4")).audioTrack().orElseThrow();
    }

    @AfterAll
    static void close() {
        if (transcriber != null) transcriber.close();
    }

    @Test
    void sampleFilmIsRecognisedWithWordTimings() {
        RecognisedSpeech speech = transcriber.transcribe(sample);

        assertEquals("kids are talking by the door", speech.text());
        assertEquals(List.of("kids", "are", "talking", "by", "the", "door"),
                speech.words().stream().map(RecognisedWord::text).toList());
        // WhisperX (../shared/data/ravdess/audio/01-01-01-01-01-01-01.whisperx.json) puts the speech at 1.03-2.20 s
        assertEquals(1.03, speech.words().get(0).startSeconds(), 0.25);
        assertEquals(2.20, speech.words().get(5).endSeconds(), 0.25);
        double previousEnd = 0;
        for (RecognisedWord w : speech.words()) {
            assertTrue(w.startSeconds() >= previousEnd - 1e-9 && w.endSeconds() > w.startSeconds(), w::toString);
            assertTrue(w.confidence() > 0.5 && w.confidence() <= 1, w::toString);
            previousEnd = w.endSeconds();
        }
        assertEquals(sample.durationSeconds(), speech.audioSeconds(), 1e-9);
        assertEquals("vosk 0.3.45", speech.engine());
        assertEquals("en", speech.language());
        assertTrue(speech.modelSha256().matches("[0-9a-f]{64}"), speech.modelSha256());
        assertTrue(GATE.decide(speech.withVoicedSeconds(1.4)).accepted());
    }

    @Test
    void streamingWhileDecodingGivesTheSameWordsAndMeasuresVoicedTimeInBoundedBlocks() {
        RecognisedSpeech whole = transcriber.transcribe(sample);
        List<Integer> blocks = new java.util.ArrayList<>();
        RecognisedSpeech streamed;
        try (TranscribingSink sink = new TranscribingSink(transcriber.begin(0), a -> {
            blocks.add(a.samples().length);
            return a.durationSeconds() / 2;
        }, 1.0)) {
            DECODER.stream(Fixtures.sample("01-01-01-01-01-01-01.mp4"), sink);
            streamed = sink.finish();
        }
        assertSameWords(whole, streamed, "streamed while decoded");
        assertEquals(sample.durationSeconds(), streamed.audioSeconds(), 1e-9);
        assertEquals(sample.durationSeconds() / 2, streamed.voicedSeconds(), 1e-9);
        assertEquals(4, blocks.size(), blocks::toString); // 3.3 s in blocks of at most 1 s
        assertTrue(blocks.stream().allMatch(n -> n <= AudioTrack.RATE), blocks::toString);
    }

    /**
     * Same words; times and confidences within what Vosk moves between runs (measured here: the same samples fed the
     * same way gave "door" ending at 2.37 s in one run and 2.40 s in another; 1-sample chunks moved a word edge by
     * 30 ms, three 10 ms frames).
     */
    static void assertSameWords(RecognisedSpeech expected, RecognisedSpeech actual, String what) {
        assertEquals(expected.text(), actual.text(), what);
        for (int i = 0; i < expected.words().size(); i++) {
            RecognisedWord e = expected.words().get(i), a = actual.words().get(i);
            assertEquals(e.startSeconds(), a.startSeconds(), 0.05, what + ": " + a);
            assertEquals(e.endSeconds(), a.endSeconds(), 0.05, what + ": " + a);
            assertEquals(e.confidence(), a.confidence(), 0.05, what + ": " + a);
        }
    }

    @Test
    void aKeptRecogniserHearsAsAFreshOneWithTimesFromItsStreamsStart() {
        // what the recogniser decoded before (German speech, noise, a region) must not show in the next stream's words
        // or times: its clock has run on by 5.5 s of audio, and its expanded graph holds other words
        try (VoskTranscriber fresh = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 0);
             VoskTranscriber kept = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 1)) {
            RecognisedSpeech expected = fresh.transcribe(sample);
            assertEquals(0, fresh.idleRecognisers());
            AudioTrack german = DECODER.decode(Fixtures.shared("data/emodb/wav/03a01Nc.wav")).audioTrack().orElseThrow();
            kept.transcribe(german);
            assertEquals(1, kept.idleRecognisers());
            kept.transcribe(new AudioTrack(new float[AudioTrack.RATE / 2]));
            kept.transcribe(new AudioTrack(sample.samples(), AudioTrack.RATE, 600), 0.8, 2.6);
            assertEquals(1, kept.idleRecognisers());

            RecognisedSpeech reused = kept.transcribe(sample);
            assertSameWords(expected, reused, "on a kept recogniser");
            assertEquals(1.03, reused.words().get(0).startSeconds(), 0.25);
            assertEquals(sample.durationSeconds(), reused.audioSeconds(), 1e-9);
            for (RecognisedWord w : reused.words()) {
                assertEquals(w.startSeconds(), Math.round(w.startSeconds() * 10_000) / 10_000.0, 0, w::toString);
            }
            // the same file on the same kept recogniser again: the same words
            assertSameWords(reused, kept.transcribe(sample), "twice on a kept recogniser");
        }
    }

    @Test
    void onlyRecognisersThatFinishedAreKeptAndAtMostTheLimit() {
        try (VoskTranscriber kept = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 2)) {
            TranscriptionStream a = kept.begin(0), b = kept.begin(0), c = kept.begin(0);
            a.accept(sample.samples(), 0, AudioTrack.RATE);
            a.close(); // abandoned mid-utterance (a decoding error): its recogniser is closed, not kept
            assertEquals(0, kept.idleRecognisers());
            b.finish();
            c.finish();
            assertEquals(2, kept.idleRecognisers());
            TranscriptionStream d = kept.begin(0), e = kept.begin(0), f = kept.begin(0);
            assertEquals(0, kept.idleRecognisers());
            d.finish();
            e.finish();
            f.finish();
            assertEquals(2, kept.idleRecognisers());
            TranscriptionStream late = kept.begin(0);
            kept.close();
            assertEquals(0, kept.idleRecognisers());
            late.finish(); // finishing after the transcriber closed closes the recogniser instead of keeping it
            assertEquals(0, kept.idleRecognisers());
        }
    }

    /**
     * At shutdown the model is closed while a timeline may still be running: its next segment must be refused as work
     * stopped (retryable), not given a recogniser on the freed model, which crashed the process with SIGSEGV (checked
     * on the Vosk jar by a review). Sessions and single streams alike; a stream already running finishes.
     */
    @Test
    void aClosedModelRefusesNewRecognisersAsStoppedWork() {
        VoskTranscriber vosk = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 0);
        TranscriptionSession session = vosk.session();
        TranscriptionStream running = vosk.begin(0);
        vosk.close();
        dev.moodtag.support.Stopped s = assertThrows(dev.moodtag.support.Stopped.class, () -> vosk.begin(0));
        assertTrue(s.getMessage().contains("closed"), s.getMessage());
        assertThrows(dev.moodtag.support.Stopped.class, () -> session.begin(0));
        running.accept(sample.samples(), 0, 16_000);
        running.finish();
        session.close();
        assertEquals(0, vosk.recognisersOpen(), "the running stream's recogniser was released when it finished");
    }

    @Test
    void keptRecognisersIsAPackParameterDefaultingToNone() {
        assertEquals(0, new VoskParams(null, "asr/", null, null, null).keptRecognisers());
        assertEquals(0, new VoskParams(null, "asr/", 0, null, null).keptRecognisers());
        assertThrows(IllegalArgumentException.class, () -> new VoskParams(null, "asr/", -1, null, null));
    }

    @Test
    void theWarmUpAndTheRecognisersReadyAreCheckedPackParameters() {
        VoskParams none = new VoskParams(null, "asr/", null, " ", null);
        assertNull(none.warmUp(), "a blank warm-up is none");
        assertEquals(1, none.readyRecognisers());
        assertEquals(0, new VoskParams(null, "asr/", null, null, 0).readyRecognisers());
        for (int bad : new int[]{-1, 65, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> new VoskParams(null, "asr/", null, null, bad), "" + bad);
        }
        VoskParams shipped = dev.moodtag.pack.EncoderParameters.bind(Fixtures.defaultPack().transcriber().orElseThrow(),
                VoskParams.class);
        assertEquals("moodtag/warm-up-en-us.s16le", shipped.warmUp());
        assertEquals(1, shipped.readyRecognisers());
    }

    /** Warm-up files that are not what the recogniser can decode are refused when the pack loads, naming the file. */
    @Test
    void aWarmUpFileThatIsNotShortPcmIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        var spec = Fixtures.defaultPack().transcriber().orElseThrow();
        long max = (long) (VoskParams.MAX_WARM_UP_SECONDS * SpeechTranscriber.SAMPLE_RATE) * 2;
        for (long size : new long[]{0, 1, 3, 32_001, max + 2, max + 1}) {
            Path f = dir.resolve("warm-" + size + ".s16le");
            try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                if (size > 0) ch.write(ByteBuffer.allocate(1), size - 1);
            }
            var files = new java.util.LinkedHashMap<>(spec.files());
            files.put("w", new dev.moodtag.pack.ModelFile("w", "asr/w", f, "0".repeat(64), null));
            var withFile = new dev.moodtag.pack.EncoderSpec(spec.id(), spec.modality(), spec.kind(), files, spec.inputs(),
                    spec.outputs(), spec.params(), spec.dim(), spec.precision(), spec.licence(), spec.source());
            var e = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> VoskTranscriber.warmUpAudio(withFile, "w"),
                    size + " bytes");
            assertTrue(e.getMessage().contains("warmUp w") && e.getMessage().contains(size + " bytes"), e.getMessage());
        }
        var e = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> VoskTranscriber.warmUpAudio(spec, "nope"));
        assertTrue(e.getMessage().contains("warmUp nope is not one of the entry's files"), e.getMessage());
        float[] shipped = VoskTranscriber.warmUpAudio(spec, "moodtag/warm-up-en-us.s16le");
        assertEquals(38_281, shipped.length, "2.39 s");

        Path wav = dir.resolve("warm.wav");
        java.nio.file.Files.write(wav, "RIFF\0\0\0\0WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        var wavFiles = new java.util.LinkedHashMap<>(spec.files());
        wavFiles.put("w", new dev.moodtag.pack.ModelFile("w", "asr/w", wav, "0".repeat(64), null));
        var withWav = withFiles(spec, wavFiles, spec.params());
        e = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> VoskTranscriber.warmUpAudio(withWav, "w"));
        assertTrue(e.getMessage().contains("RIFF (WAV)"), e.getMessage());

        // a pack's mistake shows whatever the setting, before the model is loaded
        var params = new java.util.LinkedHashMap<String, Object>(spec.params());
        params.put("warmUp", "moodtag/typo.s16le");
        var typo = withFiles(spec, spec.files(), params);
        for (WarmUp setting : WarmUp.values()) {
            e = assertThrows(dev.moodtag.pack.ModelPackException.class, () -> VoskTranscriber.load(typo, 0, setting, 0));
            assertTrue(e.getMessage().contains("warmUp moodtag/typo.s16le is not one of the entry's files"), e.getMessage());
        }
    }

    private static dev.moodtag.pack.EncoderSpec withFiles(dev.moodtag.pack.EncoderSpec s,
                                                          java.util.Map<String, dev.moodtag.pack.ModelFile> files,
                                                          java.util.Map<String, Object> params) {
        return new dev.moodtag.pack.EncoderSpec(s.id(), s.modality(), s.kind(), files, s.inputs(), s.outputs(), params,
                s.dim(), s.precision(), s.licence(), s.source());
    }

    /**
     * The warm-up counts in the recogniser's fingerprint by its content: renaming its key keeps the fingerprint, and
     * pointing the key at another of the entry's files changes it (a review found the key hashed instead, which two
     * packs with their files' roles swapped would have shared).
     */
    @Test
    void theWarmUpCountsInTheFingerprintByItsContentNotItsKey() {
        var spec = Fixtures.defaultPack().transcriber().orElseThrow();
        String shipped = VoskTranscriber.fingerprint(spec, WarmUp.PACK);
        var renamed = new java.util.LinkedHashMap<String, dev.moodtag.pack.ModelFile>();
        spec.files().forEach((k, f) -> renamed.put(k.equals("moodtag/warm-up-en-us.s16le") ? "moodtag/other-name" : k, f));
        var params = new java.util.LinkedHashMap<String, Object>(spec.params());
        params.put("warmUp", "moodtag/other-name");
        assertEquals(shipped, VoskTranscriber.fingerprint(withFiles(spec, renamed, params), WarmUp.PACK));
        params.put("warmUp", "uuid");
        assertNotEquals(shipped, VoskTranscriber.fingerprint(withFiles(spec, spec.files(), params), WarmUp.PACK));
        assertEquals(3, java.util.Set.of(shipped, VoskTranscriber.fingerprint(spec, WarmUp.SILENCE),
                VoskTranscriber.fingerprint(spec, WarmUp.NONE)).size());
        assertEquals(ModelFingerprint.of(spec.files().values()), VoskTranscriber.fingerprint(spec, WarmUp.NONE));
    }

    @Test
    void chunkSizesDoNotChangeTheResult() {
        RecognisedSpeech whole = transcriber.transcribe(sample);
        for (int chunk : new int[]{1, 7, 160, 333, 4_000, 16_001, 100_000}) {
            try (TranscriptionStream stream = transcriber.begin(0)) {
                float[] s = sample.samples();
                for (int at = 0; at < s.length; at += chunk) stream.accept(s, at, Math.min(chunk, s.length - at));
                RecognisedSpeech chunked = stream.finish();
                assertSameWords(whole, chunked, "chunks of " + chunk + " samples");
            }
        }
    }

    @Test
    void aRegionGetsItsOwnWordsOnTheRecordingsClock() {
        // The sample as the segment of a long recording that starts at 600 s
        AudioTrack segment = new AudioTrack(sample.samples(), AudioTrack.RATE, 600);
        RecognisedSpeech whole = transcriber.transcribe(sample);
        RecognisedSpeech region = transcriber.transcribe(segment, 0.8, 2.6);

        assertEquals("kids are talking by the door", region.text());
        assertEquals(1.8, region.audioSeconds(), 1e-3);
        for (int i = 0; i < whole.words().size(); i++) {
            assertEquals(600 + whole.words().get(i).startSeconds(), region.words().get(i).startSeconds(), 0.1);
            assertEquals(600 + whole.words().get(i).endSeconds(), region.words().get(i).endSeconds(), 0.1);
        }
        // Regions outside the track are clamped, never an error
        assertEquals(0, transcriber.transcribe(segment, 10, 20).audioSeconds());
        assertEquals(0, transcriber.transcribe(segment, -5, -1).words().size());
        assertEquals(sample.durationSeconds(), transcriber.transcribe(segment, -5, 99).audioSeconds(), 1e-9);
    }

    @Test
    void germanSpeechIsRejectedByTheGateWithItsReason() {
        // EmoDB speaker 03 (a tuning speaker of the gate, see TRAINING.md): "Der Lappen liegt auf dem Eisschrank."
        Path wav = Fixtures.shared("data/emodb/wav/03a01Nc.wav");
        RecognisedSpeech speech = transcriber.transcribe(DECODER.decode(wav).audioTrack().orElseThrow());
        GateDecision d = GATE.decide(speech);

        assertFalse(d.accepted(), () -> "accepted German as '" + speech.text() + "'");
        assertTrue(d.reason().startsWith("speech not recognised as English with enough confidence (mean word confidence 0."),
                d.reason());
        assertTrue(d.figure() < 0.885, d::toString);
    }

    @Test
    void silentFileHasNoSpeech(@TempDir Path dir) throws Exception {
        Path wav = writeWav(dir.resolve("silence.wav"), new float[3 * AudioTrack.RATE]);
        RecognisedSpeech speech = transcriber.transcribe(DECODER.decode(wav).audioTrack().orElseThrow());
        GateDecision d = GATE.decide(speech);

        assertEquals("", speech.text());
        assertFalse(d.accepted());
        assertEquals("no speech recognised in 3.0 s of audio", d.reason());
    }

    @Test
    void noiseTonesAndExtremeSamplesAreNeverAcceptedAsText() {
        Random random = new Random(15);
        int n = 2 * AudioTrack.RATE;
        float[][] signals = new float[6][n];
        for (int i = 0; i < n; i++) {
            signals[0][i] = (float) (random.nextGaussian() * 0.001); // -60 dBFS noise
            signals[1][i] = (float) (random.nextGaussian() * 0.3);   // loud noise
            signals[2][i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / AudioTrack.RATE));
            signals[3][i] = (i / 40) % 2 == 0 ? 1f : -1f;            // full-scale 200 Hz square wave
            signals[4][i] = i % 3 == 0 ? Float.NaN : i % 3 == 1 ? Float.POSITIVE_INFINITY : -1e9f;
            signals[5][i] = Float.MIN_VALUE;
        }
        for (float[] s : signals) {
            RecognisedSpeech speech = transcriber.transcribe(new AudioTrack(s));
            assertEquals(2.0, speech.audioSeconds(), 1e-9);
            GateDecision d = GATE.decide(speech);
            assertFalse(d.accepted(), () -> "accepted '" + speech.text() + "' " + d);
        }
    }

    @Test
    void streamMisuseIsAClearError() {
        TranscriptionStream stream = transcriber.begin(0);
        assertThrows(IndexOutOfBoundsException.class, () -> stream.accept(new float[10], 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> stream.accept(new float[10], -1, 2));
        RecognisedSpeech empty = stream.finish();
        assertEquals(0, empty.words().size());
        assertEquals(0, empty.audioSeconds());
        assertThrows(IllegalStateException.class, () -> stream.accept(new float[10]));
        assertThrows(IllegalStateException.class, stream::finish);
        stream.close();
        stream.close();
        assertThrows(IllegalArgumentException.class,
                () -> transcriber.transcribe(new AudioTrack(new float[100], 8000, 0)));
    }

    @Test
    void streamsRunConcurrentlyOnOneModel() throws Exception {
        RecognisedSpeech expected = transcriber.transcribe(sample);
        List<Thread> threads = new java.util.ArrayList<>();
        List<RecognisedSpeech> results = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int t = 0; t < 3; t++) {
            Thread thread = new Thread(() -> results.add(transcriber.transcribe(sample)));
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) t.join(120_000);
        assertEquals(3, results.size());
        for (RecognisedSpeech r : results) assertSameWords(expected, r, "concurrent stream");
    }

    static Path writeWav(Path file, float[] samples) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : samples) bytes.putShort((short) Math.round(Math.max(-1, Math.min(1, s)) * 32767));
        AudioFormat format = new AudioFormat(AudioTrack.RATE, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes.array()), format, samples.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }
}
