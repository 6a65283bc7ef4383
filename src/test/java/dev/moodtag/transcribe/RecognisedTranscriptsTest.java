package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.DecodeBounds;
import dev.moodtag.media.DecodeListener;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.media.LongerThanUtterance;
import dev.moodtag.media.Modality;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.media.Utterance;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Recognition as the last link of the transcript chain, with the real decoder and the real Vosk model: a recording
 * without a transcript gets recognised text (or the gate's reason), recognition runs only where no earlier link
 * answered, and the recogniser is released however decoding ends.
 */
class RecognisedTranscriptsTest {
    private static final String FILM = "01-01-01-01-01-01-01";
    private static SpeechTranscriber transcriber;
    private static CountingHeard heard;
    private static FfmpegMediaDecoder decoder;

    @BeforeAll
    static void load() {
        transcriber = SpeechTranscribers.load(Fixtures.defaultPack(), TestTranscribeConfig.defaults()).orElseThrow();
        heard = new CountingHeard(new RecognisedTranscripts(transcriber, new TranscriptGate(0.885, 0.3), null));
        decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults(),
                TranscriptChain.standard(TranscriptLimits.DEFAULTS, heard));
    }

    @AfterAll
    static void close() {
        if (transcriber != null) transcriber.close();
    }

    @Test
    void theSampleFilmWithoutItsSidecarIsRecognisedWithWordTimingsWhileItsAudioDecodes(@TempDir Path dir) throws Exception {
        Path film = copy(FILM + ".mp4", dir);
        AtomicReference<Utterance> early = new AtomicReference<>();
        int listened = heard.listened.get(), closed = heard.closed.get();

        Utterance u = decoder.decode(film, null, new DecodeListener() {
            @Override
            public void audioAndText(Utterance withoutVideo) {
                early.set(withoutVideo);
            }
        });

        Transcript t = u.transcriptText().orElseThrow(() -> new AssertionError(u.whyMissing(Modality.TEXT)));
        assertEquals("kids are talking by the door", t.text());
        assertEquals(Transcript.Source.RECOGNISED, t.source());
        assertEquals("vosk 0.3.45", t.origin());
        assertEquals("vosk 0.3.45", t.recogniser().engine());
        assertEquals(transcriber.modelSha256(), t.recogniser().modelSha256());
        assertEquals("en", t.recogniser().language());
        assertTrue(t.recogniser().meanConfidence() >= 0.885, t::toString);
        assertEquals(List.of("kids", "are", "talking", "by", "the", "door"), t.words().stream().map(Transcript.Word::text).toList());
        double previousEnd = 0;
        for (Transcript.Word w : t.words()) {
            assertTrue(w.startSeconds() >= previousEnd - 1e-9 && w.endSeconds() > w.startSeconds(), w::toString);
            assertTrue(w.confidence() > 0 && w.confidence() <= 1, w::toString);
            previousEnd = w.endSeconds();
        }
        // WhisperX puts the speech at 1.03-2.20 s: the words are on the recording's clock.
        assertEquals(1.03, t.words().get(0).startSeconds(), 0.25);
        assertEquals(2.20, t.words().get(5).endSeconds(), 0.25);
        assertTrue(u.whyMissing(Modality.TEXT).isEmpty());
        // The text encoder hears of the transcript with the audio, before the video is complete.
        assertEquals(t, early.get().transcriptText().orElseThrow());
        assertEquals(listened + 1, heard.listened.get());
        assertEquals(closed + 1, heard.closed.get(), "the recogniser is released");
    }

    @Test
    void theSameFileGetsTheSameTranscriptWhateverRecognisedBeforeAndBesideIt(@TempDir Path dir) throws Exception {
        // Recognisers are kept from one file to the next: what one heard before, and how many files are recognised at
        // once, must not change a file's text (what the text encoder reads) nor its words beyond Vosk's own jitter
        Path film = copy(FILM + ".mp4", dir);
        Path german = Fixtures.shared("data/emodb/wav/03a01Nc.wav");
        Transcript first = decoder.decode(film).transcriptText().orElseThrow();
        List<Transcript> again = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean filmThread = i % 2 == 0;
            Thread t = new Thread(() -> {
                for (int k = 0; k < 2; k++) {
                    if (filmThread) again.add(decoder.decode(film).transcriptText().orElseThrow());
                    else decoder.decode(german);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join(300_000);
        assertEquals(4, again.size());
        for (Transcript t : again) {
            assertEquals(first.text(), t.text());
            assertEquals(first.words().size(), t.words().size());
            for (int i = 0; i < first.words().size(); i++) {
                Transcript.Word e = first.words().get(i), a = t.words().get(i);
                assertEquals(e.startSeconds(), a.startSeconds(), 0.05, a::toString);
                assertEquals(e.endSeconds(), a.endSeconds(), 0.05, a::toString);
                assertEquals(e.confidence(), a.confidence(), 0.05, a::toString);
            }
        }
    }

    @Test
    void aSidecarOrAnInlineTranscriptWinsAndNothingIsRecognised(@TempDir Path dir) throws Exception {
        Path film = copy(FILM + ".mp4", dir);
        copy(FILM + ".txt", dir);
        int listened = heard.listened.get();

        Transcript sidecar = decoder.decode(film).transcriptText().orElseThrow();
        Transcript inline = decoder.decode(film, Transcript.inline("given words")).transcriptText().orElseThrow();

        assertEquals(Transcript.Source.SIDECAR, sidecar.source());
        assertNull(sidecar.recogniser());
        assertEquals("given words", inline.text());
        assertEquals(listened, heard.listened.get(), "no recogniser ran");
    }

    @Test
    void anUnusableSidecarIsNotGuessedOver(@TempDir Path dir) throws Exception {
        Path film = copy(FILM + ".mp4", dir);
        Files.write(dir.resolve(FILM + ".txt"), new byte[]{0, 1, 2, (byte) 0xff, (byte) 0xfe, 0});
        int listened = heard.listened.get();

        Utterance u = decoder.decode(film);

        assertTrue(u.transcriptText().isEmpty());
        assertTrue(u.whyMissing(Modality.TEXT).orElseThrow().startsWith("transcript not used"), u.missing()::toString);
        assertEquals(listened, heard.listened.get(), "the provided transcript's reason stands; nothing recognised");
    }

    @Test
    void germanSpeechLeavesTextMissingWithTheGatesReason() {
        Utterance u = decoder.decode(Fixtures.shared("data/emodb/wav/03a01Nc.wav"));

        assertTrue(u.transcriptText().isEmpty(), () -> "accepted German as " + u.transcript());
        String why = u.whyMissing(Modality.TEXT).orElseThrow();
        assertTrue(why.matches("speech not recognised as English with enough confidence \\(mean word confidence 0\\.\\d\\d < 0\\.885 over \\d+ words\\)"), why);
        assertTrue(u.audioTrack().isPresent(), "the speech is still used");
    }

    @Test
    void silenceAndExtremesLeaveTextMissing(@TempDir Path dir) throws Exception {
        int n = 3 * AudioTrack.RATE;
        float[] square = new float[n];
        float[] clicks = new float[n];
        for (int i = 0; i < n; i++) {
            square[i] = (i / 40) % 2 == 0 ? 1f : -1f;
            clicks[i] = i % 4000 == 0 ? 1f : 0f;
        }
        for (var signal : List.of(new float[n], square, clicks, new float[1])) {
            Path wav = VoskTranscriberTest.writeWav(dir.resolve("signal.wav"), signal);
            Utterance u = decoder.decode(wav);
            assertTrue(u.transcriptText().isEmpty(), () -> "recognised " + u.transcript());
            assertFalse(u.whyMissing(Modality.TEXT).orElseThrow().isBlank());
        }
        Utterance silent = decoder.decode(VoskTranscriberTest.writeWav(dir.resolve("silence.wav"), new float[n]));
        assertTrue(silent.whyMissing(Modality.TEXT).orElseThrow().startsWith("no speech recognised in 3.0 s of audio"),
                silent.missing()::toString);
    }

    @Test
    void withRecognitionOffTextIsMissingAsBefore(@TempDir Path dir) throws Exception {
        Path film = copy(FILM + ".mp4", dir);
        FfmpegMediaDecoder off = decoder.withTranscripts(TranscriptChain.standard(TranscriptLimits.DEFAULTS));
        int listened = heard.listened.get();

        Utterance u = off.decode(film);

        assertTrue(u.transcriptText().isEmpty());
        assertTrue(u.whyMissing(Modality.TEXT).orElseThrow().startsWith("no transcript: none given inline and no "
                + FILM + ".txt"), u.missing()::toString);
        assertEquals(listened, heard.listened.get());
        assertSame(HeardTranscripts.NONE, TranscriptChain.standard(TranscriptLimits.DEFAULTS, heard).withoutRecognition()
                .listenFor(TranscriptResolution.missing("no transcript: none given inline")));
    }

    @Test
    void theRecogniserIsReleasedWhenDecodingFails(@TempDir Path dir) throws Exception {
        Path film = copy(FILM + ".mp4", dir);
        int listened = heard.listened.get(), closed = heard.closed.get();

        assertThrows(LongerThanUtterance.class,
                () -> decoder.decode(film, null, DecodeListener.NONE, new DecodeBounds(1.0, dev.moodtag.media.TimeBudget.UNLIMITED)));

        assertEquals(heard.listened.get() - listened, heard.closed.get() - closed, "every recogniser started is closed");
    }

    @Test
    void closingTheLinkReleasesTheRecogniserAndTheVoicedTimeMeasureItOwns() {
        AtomicInteger transcriberClosed = new AtomicInteger(), voicedClosed = new AtomicInteger();
        SpeechTranscriber owned = new SpeechTranscriber() {
            @Override
            public String engine() {
                return transcriber.engine();
            }

            @Override
            public String modelSha256() {
                return transcriber.modelSha256();
            }

            @Override
            public String language() {
                return transcriber.language();
            }

            @Override
            public TranscriptionStream begin(double offsetSeconds) {
                return transcriber.begin(offsetSeconds);
            }

            @Override
            public void close() {
                transcriberClosed.incrementAndGet();
            }
        };
        VoicedTime voiced = new VoicedTime() {
            @Override
            public double seconds(AudioTrack track) {
                return track.durationSeconds();
            }

            @Override
            public void close() {
                voicedClosed.incrementAndGet();
            }
        };
        RecognisedTranscripts link = new RecognisedTranscripts(owned, new TranscriptGate(0.885, 0.3), voiced);
        assertTrue(link.identity().endsWith(" vad"), link.identity());
        assertTrue(link.hear(new AudioTrack(new float[16_000])).present().isEmpty());

        link.close();
        assertEquals(1, transcriberClosed.get());
        assertEquals(1, voicedClosed.get());
    }

    private static Path copy(String sample, Path dir) throws Exception {
        return Files.copy(Fixtures.sample(sample), dir.resolve(sample), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The real link, counting the recognitions it starts and closes. */
    static final class CountingHeard implements HeardTranscripts {
        final HeardTranscripts real;
        final AtomicInteger listened = new AtomicInteger(), closed = new AtomicInteger();

        CountingHeard(HeardTranscripts real) {
            this.real = real;
        }

        @Override
        public boolean listens() {
            return true;
        }

        @Override
        public Listening listen(double offsetSeconds) {
            Listening l = real.listen(offsetSeconds);
            listened.incrementAndGet();
            AtomicInteger once = new AtomicInteger();
            return new Listening() {
                @Override
                public void accept(float[] samples) {
                    l.accept(samples);
                }

                @Override
                public TranscriptResolution finish() {
                    return l.finish();
                }

                @Override
                public void close() {
                    l.close();
                    if (once.getAndIncrement() == 0) closed.incrementAndGet();
                }
            };
        }
    }
}
