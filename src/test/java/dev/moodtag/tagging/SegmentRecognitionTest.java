package dev.moodtag.tagging;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.media.Modality;
import dev.moodtag.media.StreamInfo;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.transcribe.RecognisedTranscripts;
import dev.moodtag.transcribe.SpeechTranscriber;
import dev.moodtag.transcribe.SpeechTranscribers;
import dev.moodtag.transcribe.TranscribeConfig;
import dev.moodtag.transcribe.TranscriptGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long recording without a transcript: each timeline segment's own audio is recognised (real Vosk model), so each
 * segment gets its own words on the recording's clock, or its own reason.
 */
class SegmentRecognitionTest {
    private static SpeechTranscriber transcriber;
    private static HeardTranscripts heard;
    private static float[] said;

    @BeforeAll
    static void load() {
        transcriber = SpeechTranscribers.load(Fixtures.defaultPack(), new TranscribeConfig() {
            public boolean enabled() { return true; }
            public String language() { return "en"; }
            public dev.moodtag.transcribe.WarmUp warmUp() { return dev.moodtag.transcribe.WarmUp.PACK; }
            public Gate gate() { return null; }
        }).orElseThrow();
        heard = new RecognisedTranscripts(transcriber, new TranscriptGate(0.885, 0.3), null);
        said = new FfmpegMediaDecoder(TestMediaConfig.defaults()).decode(Fixtures.sample("01-01-01-01-01-01-01.mp4"))
                .audioTrack().orElseThrow().samples();
    }

    @AfterAll
    static void close() {
        if (transcriber != null) transcriber.close();
    }

    @Test
    void eachFixedWindowGetsItsOwnRecognisedWordsOrItsOwnReason() {
        // 48 s: the sample sentence at 2 s and at 14 s, a faint hum (a constant 0.001, heard as nothing) from 24 to 36 s,
        // digital silence elsewhere; 12 s windows without overlap. The last window, digital silence alone, is not
        // recognised and is no segment (before, it was recognised as sound and labelled by nothing).
        float[] recording = new float[48 * AudioTrack.RATE];
        System.arraycopy(said, 0, recording, 2 * AudioTrack.RATE, said.length);
        System.arraycopy(said, 0, recording, 14 * AudioTrack.RATE, said.length);
        java.util.Arrays.fill(recording, 24 * AudioTrack.RATE, 36 * AudioTrack.RATE, 0.001f);
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("long.wav", new SegmentingSinkTest.Config(12, 0),
                SegmentingSink.Method.FIXED, Optional.empty(), TranscriptResolution.missing("no transcript: none beside"),
                heard, TranscriptLimits.DEFAULTS, out::add);
        sink.start(new StreamInfo("long.wav", "wav", 48, true, 16000, 1, false, false, 0, 0, 0, 0, 0, 0));
        int chunk = AudioTrack.RATE / 10;
        for (int at = 0; at < recording.length; at += chunk) {
            float[] c = java.util.Arrays.copyOfRange(recording, at, Math.min(recording.length, at + chunk));
            sink.audio(new AudioTrack(c, AudioTrack.RATE, at / (double) AudioTrack.RATE));
        }
        sink.end();

        assertEquals(3, out.size(), out::toString);
        for (int i = 0; i < 2; i++) {
            Transcript t = out.get(i).utterance().transcriptText()
                    .orElseThrow(() -> new AssertionError(out.toString()));
            assertEquals("kids are talking by the door", t.text());
            assertEquals(Transcript.Source.RECOGNISED, t.source());
            // The sentence starts about 1.03 s into the clip, which starts at 2 s and at 14 s of the recording.
            assertEquals(3.03 + 12 * i, t.words().get(0).startSeconds(), 0.25, t::toString);
            // What the result's timeline records for this segment (schema 2.2): its own words, source and confidences
            EmotionResult.SegmentTranscript recorded = EmotionResult.SegmentTranscript.of(t);
            assertEquals("recognised", recorded.source());
            assertEquals(6, recorded.words().size());
            assertEquals(3.03 + 12 * i, recorded.words().get(0).start(), 0.25);
            assertTrue(recorded.words().stream().allMatch(w -> w.confidence() != null && w.confidence() > 0), recorded::toString);
            assertTrue(recorded.meanConfidence() >= 0.885, recorded::toString);
        }
        assertTrue(out.get(2).utterance().transcriptText().isEmpty());
        assertTrue(out.get(2).utterance().whyMissing(Modality.TEXT).orElseThrow().startsWith("no speech recognised in 12.0 s"),
                out.get(2).utterance().missing()::toString);
        assertTrue(out.get(2).utterance().audioTrack().isPresent(), "a faint hum is sound, heard and encoded");
        // Issue 15: the silent window's reason is its own, kept for the result's textMissing; the others have text.
        assertEquals(out.get(2).utterance().whyMissing(Modality.TEXT).orElseThrow(), out.get(2).textMissing());
        assertEquals(null, out.get(0).textMissing());
    }

    /**
     * Issue 15: German speech (EmoDB) in a recording of 12 s windows is heard by the English recogniser and refused by
     * the gate; each refused window keeps the gate's reason with its figure, so a reader can tell it from silence.
     */
    @Test
    void germanWindowsKeepTheGatesReasonWithItsFigure() {
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        float[] recording = new float[48 * AudioTrack.RATE];
        int k = 0;
        for (String clip : List.of("03a01Nc.wav", "03a01Wa.wav", "03a02Nc.wav")) {
            float[] pcm = decoder.decode(Fixtures.shared("data/emodb/wav/" + clip)).audioTrack().orElseThrow().samples();
            System.arraycopy(pcm, 0, recording, (1 + 12 * k++) * AudioTrack.RATE, Math.min(pcm.length, 10 * AudioTrack.RATE));
        }
        HeardTranscripts gated = new RecognisedTranscripts(transcriber, new TranscriptGate(0.9, 0.3), null);
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("german.wav", new SegmentingSinkTest.Config(12, 0),
                SegmentingSink.Method.FIXED, Optional.empty(), TranscriptResolution.missing("no transcript: none beside"),
                gated, TranscriptLimits.DEFAULTS, out::add);
        try (sink) {
            sink.start(new StreamInfo("german.wav", "wav", 48, true, 16000, 1, false, false, 0, 0, 0, 0, 0, 0));
            int chunk = AudioTrack.RATE / 10;
            for (int at = 0; at < recording.length; at += chunk)
                sink.audio(new AudioTrack(java.util.Arrays.copyOfRange(recording, at, Math.min(recording.length, at + chunk)),
                        AudioTrack.RATE, at / (double) AudioTrack.RATE));
            sink.end();
        }
        // the fourth window is digital silence: not recognised, and with nothing else no segment
        assertEquals(3, out.size(), out::toString);
        int refused = 0;
        for (SegmentingSink.Segment seg : out) {
            if (seg.utterance().transcriptText().isPresent()) {
                assertEquals(null, seg.textMissing());
                continue;
            }
            String why = seg.textMissing();
            assertEquals(seg.utterance().whyMissing(Modality.TEXT).orElseThrow(), why);
            if (why.matches("speech not recognised as English with enough confidence \\((mean word confidence 0\\.\\d\\d < 0\\.9 over \\d+ words"
                    + "|words account for \\d+ % of [\\d.]+ s of voiced audio < 30 %)\\)")) refused++;
            else assertTrue(why.startsWith("no speech recognised in"), why);
        }
        assertTrue(refused >= 2, "German refused by the gate: " + out.stream().map(SegmentingSink.Segment::textMissing).toList());
    }

    @Test
    void aRecordingWithATranscriptIsNotRecognised() {
        List<SegmentingSink.Segment> out = new ArrayList<>();
        HeardTranscripts never = new HeardTranscripts() {
            public boolean listens() { return true; }
            public Listening listen(double offsetSeconds) { throw new AssertionError("recognised despite a transcript"); }
        };
        SegmentingSink sink = new SegmentingSink("long.wav", new SegmentingSinkTest.Config(12, 0),
                SegmentingSink.Method.FIXED, Optional.empty(),
                TranscriptResolution.of(new Transcript("given", List.of(), "long.txt", Transcript.Source.SIDECAR, List.of(), null)),
                never, TranscriptLimits.DEFAULTS, out::add);
        SegmentingSinkTest.feed(sink, new StreamInfo("long.wav", "wav", 24, true, 16000, 1, false, false, 0, 0, 0, 0, 0, 0),
                24, t -> 0.1);
        assertEquals(2, out.size());
        assertTrue(out.get(0).utterance().whyMissing(Modality.TEXT).orElseThrow().contains("no timings"));
    }
}
