package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A timeline's segments are heard by one recogniser per recording (real Vosk model): a fresh one per segment spent
 * most of a short segment expanding the decoding graph (a 10-minute recording tagged at 8.6x real time, below the
 * 10x target), and the recording's words must still depend on the recording alone.
 */
class TranscriptionSessionTest {
    private static final FfmpegMediaDecoder DECODER = new FfmpegMediaDecoder(TestMediaConfig.defaults());
    private static AudioTrack english;
    private static AudioTrack german;

    @BeforeAll
    static void decode() {
        english = DECODER.decode(Fixtures.sample("01-01-01-01-01-01-01.mp4")).audioTrack().orElseThrow();
        german = DECODER.decode(Fixtures.shared("data/emodb/wav/03a01Nc.wav")).audioTrack().orElseThrow();
    }

    /** Three segments of a recording: the sample sentence at 10 s, German speech at 20 s, the sentence again at 30 s. */
    private static List<AudioTrack> segments() {
        return List.of(new AudioTrack(english.samples(), AudioTrack.RATE, 10),
                new AudioTrack(german.samples(), AudioTrack.RATE, 20),
                new AudioTrack(english.samples(), AudioTrack.RATE, 30));
    }

    private static List<String> exactly(RecognisedSpeech s) {
        return s.words().stream()
                .map(w -> w.text() + "@" + w.startSeconds() + "-" + w.endSeconds() + ":" + w.confidence()).toList();
    }

    private static List<List<String>> inOneSession(VoskTranscriber vosk) {
        List<List<String>> out = new ArrayList<>();
        try (TranscriptionSession session = vosk.session()) {
            for (AudioTrack t : segments()) {
                try (TranscriptionStream s = session.begin(t.startSeconds())) {
                    s.accept(t.samples());
                    out.add(exactly(s.finish()));
                }
            }
        }
        return out;
    }

    @Test
    void aSessionRecognisesItsSegmentsOnOneRecogniserAndClosesItAtTheEnd() {
        try (VoskTranscriber vosk = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 0)) {
            List<List<String>> first = inOneSession(vosk);
            assertEquals(1, vosk.recognisersCreated(), "one recogniser for the three segments");
            assertEquals(0, vosk.recognisersOpen(), "closed with the session");

            // words on the recording's clock: the sentence starts about 1.03 s into each English segment
            assertEquals("kids", first.get(0).get(0).split("@")[0]);
            assertEquals(11.03, Double.parseDouble(first.get(0).get(0).split("@")[1].split("-")[0]), 0.25);
            assertEquals(31.03, Double.parseDouble(first.get(2).get(0).split("@")[1].split("-")[0]), 0.25);

            // the same recording again: the same words, times and confidences to the last digit
            assertEquals(first, inOneSession(vosk));
            assertEquals(2, vosk.recognisersCreated());
        }
    }

    @Test
    void aSegmentLeftUnfinishedOrFinishedAfterTheSessionClosedIsReleased() {
        try (VoskTranscriber vosk = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 0)) {
            TranscriptionSession session = vosk.session();
            TranscriptionStream a = session.begin(0);
            assertThrows(IllegalStateException.class, () -> session.begin(5), "one stream at a time");
            a.accept(english.samples(), 0, AudioTrack.RATE);
            a.close(); // a decoding error mid-segment: its recogniser is closed, not kept for the next segment
            assertEquals(0, vosk.recognisersOpen());
            TranscriptionStream b = session.begin(5);
            session.close();
            b.finish(); // the recording ended (or failed) first: the recogniser is closed, not kept
            assertEquals(0, vosk.recognisersOpen());
            assertThrows(IllegalStateException.class, () -> session.begin(10));
            session.close();
        }
    }

    @Test
    void aRecordingsSegmentsAreHeardThroughOneSessionAndTheGateStillDecides() {
        try (VoskTranscriber vosk = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 0)) {
            RecognisedTranscripts heard = new RecognisedTranscripts(vosk, new TranscriptGate(0.885, 0.3), null);
            List<TranscriptResolution> out = new ArrayList<>();
            try (HeardTranscripts.Recording recording = heard.recording()) {
                for (AudioTrack t : segments()) out.add(recording.hear(t));
            }
            assertEquals(1, vosk.recognisersCreated());
            assertEquals(0, vosk.recognisersOpen());
            assertEquals("kids are talking by the door", out.get(0).transcript().text());
            assertNull(out.get(1).transcript(), "German speech after English on the same recogniser: still refused");
            assertTrue(out.get(1).whyMissing().startsWith("speech not recognised as English"), out.get(1).whyMissing());
            assertEquals("kids are talking by the door", out.get(2).transcript().text());
            assertEquals(31.03, out.get(2).transcript().words().get(0).startSeconds(), 0.25);
        }
    }

    /**
     * Segments that end at an endpoint (the RAVDESS ones here) left Vosk's feature pipeline running into the next
     * segment, whose words then depended on the one before (see {@code RepeatableRecognitionTest}); each segment must
     * get what a fresh recogniser gives it, on the recording's clock.
     */
    @Test
    void eachSegmentGetsWhatAFreshRecogniserGivesItWhateverEndedBeforeIt() {
        List<AudioTrack> segments = new ArrayList<>();
        String[] clips = {"data/ravdess/speech/Actor_10/03-01-06-02-01-01-10.flac", "data/emodb/wav/08a02Fe.wav",
                "data/ravdess/speech/Actor_13/03-01-04-01-01-01-13.flac", "data/emodb/wav/03a01Nc.wav"};
        for (int i = 0; i < clips.length; i++) {
            AudioTrack clip = DECODER.decode(Fixtures.shared(clips[i])).audioTrack().orElseThrow();
            segments.add(new AudioTrack(clip.samples(), AudioTrack.RATE, 10 * (i + 1)));
        }
        try (VoskTranscriber vosk = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 0)) {
            List<List<String>> fresh = new ArrayList<>();
            for (AudioTrack t : segments) {
                try (TranscriptionStream s = vosk.begin(t.startSeconds())) {
                    s.accept(t.samples());
                    fresh.add(exactly(s.finish()));
                }
            }
            try (TranscriptionSession session = vosk.session()) {
                for (int i = 0; i < segments.size(); i++) {
                    AudioTrack t = segments.get(i);
                    try (TranscriptionStream s = session.begin(t.startSeconds())) {
                        s.accept(t.samples());
                        assertEquals(fresh.get(i), exactly(s.finish()), "segment " + i);
                    }
                }
            }
        }
    }
}
