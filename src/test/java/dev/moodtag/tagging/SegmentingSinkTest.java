package dev.moodtag.tagging;

import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.media.Modality;
import dev.moodtag.media.StreamInfo;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.media.VideoFrame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segmentation of streamed media, fed synthetic chunks and frames the way the decoder delivers them. */
class SegmentingSinkTest {

    record Config(double windowSeconds, double overlapSeconds, int recordingMinSegments, double recordingMaxDominantShare)
            implements TimelineConfig {
        Config(double windowSeconds, double overlapSeconds) {
            this(windowSeconds, overlapSeconds, 10, 0.65);
        }

        public Duration segmentAbove() { return Duration.ofSeconds(30); }
        public String segmentation() { return "auto"; }
        public double mergeGapSeconds() { return 0.8; }
        public double maxSegmentSeconds() { return 15; }
        public double minSegmentSeconds() { return 1.0; }
        public double vadBlockSeconds() { return 30; }
        public double videoFps() { return 1; }
        public SpeechOverRecording speechOverRecording() { return SpeechOverRecording.AUTO; }
    }

    private static final Config CONFIG = new Config(10, 2);

    static final TranscriptResolution NO_TEXT = TranscriptResolution.missing("no timed transcript");

    static TranscriptResolution timed(List<Transcript.Segment> cues) {
        return TranscriptResolution.of(new Transcript("cues", cues, "t.srt", Transcript.Source.SIDECAR, List.of(), null));
    }

    static StreamInfo av(double seconds) {
        return new StreamInfo("t.mp4", "mp4", seconds, true, 16000, 1, true, false, 8, 8, 5, 8, 8, 5);
    }

    /** Feeds {@code seconds} of audio (0.1 s chunks, {@code level(t)} as amplitude) and 5 fps frames, interleaved. */
    static void feed(SegmentingSink sink, StreamInfo info, double seconds, java.util.function.DoubleUnaryOperator level) {
        feedWithVideoLag(sink, info, seconds, level, 0);
    }

    /** Counts what a timeline's segmenter asks of the recognition link. */
    static final class CountingHeard implements HeardTranscripts {
        int recordings, closed, heard;

        @Override
        public boolean listens() {
            return true;
        }

        @Override
        public Listening listen(double offsetSeconds) {
            throw new AssertionError("a timeline hears its segments through one recording");
        }

        @Override
        public Recording recording() {
            recordings++;
            return new Recording() {
                @Override
                public TranscriptResolution hear(AudioTrack track) {
                    heard++;
                    return TranscriptResolution.missing("not recognised in this test");
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }

    @Test
    void aRecordingsSegmentsAreHeardThroughOneRecordingClosedAtTheEnd() {
        CountingHeard heard = new CountingHeard();
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(), NO_TEXT,
                heard, TranscriptLimits.DEFAULTS, out::add);
        feed(sink, av(40), 40, t -> 0.1);
        assertEquals(5, out.size());
        assertEquals(5, heard.heard);
        assertEquals(1, heard.recordings, "one recording (one recogniser) for the whole file, not one per segment");
        assertEquals(1, heard.closed, "closed when the recording ends");
        sink.close();
        assertEquals(1, heard.closed, "closing again does nothing");
    }

    @Test
    void aRecordingThatFailsMidwayStillClosesItsRecogniser() {
        CountingHeard heard = new CountingHeard();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(), NO_TEXT,
                heard, TranscriptLimits.DEFAULTS, s -> { });
        sink.start(av(40));
        // sound, as digital silence is not recognised
        for (int c = 0; c < 150; c++) sink.audio(new AudioTrack(quiet(AudioTrack.RATE / 10), AudioTrack.RATE, c * 0.1));
        assertEquals(1, heard.recordings);
        assertEquals(0, heard.closed);
        sink.close(); // what TimelineTagger does when decoding throws before the end
        assertEquals(1, heard.closed);
    }

    @Test
    void fixedWindowsWithOverlapCoverTheWholeRecordingAndHoldOnlyAWindow() {
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(), NO_TEXT, out::add);
        feed(sink, av(95), 95, t -> 0.1);
        assertEquals(0, out.get(0).startSeconds(), 1e-9);
        for (int i = 1; i < out.size(); i++) {
            assertEquals(out.get(i - 1).endSeconds() - 2, out.get(i).startSeconds(), 1e-6, "8 s hop, 2 s overlap");
        }
        assertEquals(95, out.get(out.size() - 1).endSeconds(), 1e-6, "the last window reaches the end");
        for (SegmentingSink.Segment s : out) {
            AudioTrack a = s.utterance().audioTrack().orElseThrow();
            assertEquals(s.endSeconds() - s.startSeconds(), a.durationSeconds(), 1e-3);
            assertEquals(s.startSeconds(), a.startSeconds(), 1e-9);
            int frames = s.utterance().videoTrack().orElseThrow().frames().size();
            assertTrue(frames >= (int) (s.endSeconds() - s.startSeconds()) - 1 && frames <= 11, "about 1 frame per second: " + frames);
            assertEquals("no timed transcript", s.utterance().whyMissing(Modality.TEXT).orElseThrow());
        }
        assertTrue(sink.peakBufferedSeconds() <= 10 + SegmentingSink.MAX_VIDEO_LAG + 0.2,
                "holds about one window, not the recording: " + sink.peakBufferedSeconds());
    }

    @Test
    void transcriptCuesBecomeSegmentsWithTheirText() {
        List<Transcript.Segment> cues = List.of(new Transcript.Segment(2, 5, "hello there"),
                new Transcript.Segment(40, 44.5, "how are you"), new Transcript.Segment(58, 70, "past the end"),
                new Transcript.Segment(75, 80, "never reached"));
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.TRANSCRIPT, Optional.empty(), timed(cues), out::add);
        feed(sink, av(60), 60, t -> 0.1);
        assertEquals(3, out.size(), "a cue after the end is not a segment");
        assertEquals(2, out.get(0).startSeconds(), 1e-9);
        assertEquals(5, out.get(0).endSeconds(), 1e-9);
        assertEquals("hello there", out.get(0).utterance().transcriptText().orElseThrow().text());
        assertEquals(Transcript.Source.SIDECAR, out.get(0).utterance().transcript().source(), "a segment's text keeps its provenance");
        assertEquals("t.srt", out.get(0).utterance().transcript().origin());
        assertEquals(44.5, out.get(1).endSeconds(), 1e-9);
        assertEquals(60, out.get(2).endSeconds(), 0.2, "a cue past the end is cut at the end");
        assertTrue(sink.peakBufferedSeconds() < 13, "audio between cues is dropped: " + sink.peakBufferedSeconds());
        assertEquals(58, out.get(2).startSeconds(), 1e-9);
    }

    /**
     * README: "the utterance's text, and each cue's, is cut after max-text-chars"; a window over many cues is one
     * utterance too. Before, a 10 s window joined all 100 overlapping cues of 8,192 characters (819,299 characters).
     */
    @Test
    void aWindowOverManyCuesHasItsTextBoundedLikeAnyUtterance() {
        List<Transcript.Segment> cues = new ArrayList<>();
        for (int i = 0; i < 100; i++) cues.add(new Transcript.Segment(1, 5, "x".repeat(8192)));
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(),
                timed(cues), out::add);
        feed(sink, av(10), 10, t -> 0.1);
        Transcript said = out.get(0).utterance().transcriptText().orElseThrow();
        assertTrue(said.text().length() <= TranscriptLimits.DEFAULTS.maxTextChars(), said.text().length() + " characters");
        assertTrue(String.valueOf(said.note()).contains("moodtag.transcript.max-text-chars"), "noted like any cut: " + said.note());
    }

    /**
     * A cue that claims to last a billion hours (a fuzzed or hostile sidecar) is cut into pieces only as far as the
     * recording goes: before, every piece was made up front (OutOfMemoryError).
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void anAbsurdlyLongCueCostsOnlyTheRecordingsLength() {
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.TRANSCRIPT, Optional.empty(),
                timed(List.of(new Transcript.Segment(1, 999_999_999.0 * 3600, "forever"),
                        new Transcript.Segment(5, 8, "inside"), new Transcript.Segment(40, 45, "after the end"))), out::add);
        feed(sink, av(31), 31, t -> 0.1);
        List<String> said = out.stream().map(x -> x.utterance().transcriptText().map(Transcript::text).orElse("-")).toList();
        assertEquals(List.of("forever", "inside", "-"), said, "in the order they start, the long cue's text with its first piece");
        assertTrue(out.get(1).utterance().audioTrack().isPresent(), "the cue inside keeps its audio");
        List<SegmentingSink.Segment> pieces = out.stream().filter(x -> !said.get(out.indexOf(x)).equals("inside")).toList();
        assertTrue(pieces.size() <= 3 && pieces.stream().allMatch(p -> p.startSeconds() < 31.5
                && p.endSeconds() - p.startSeconds() <= 15 + 1e-6),
                "15 s pieces of the long cue up to the recording's end, no more: " + out);
        assertEquals(1, pieces.get(0).startSeconds(), 1e-9);
        assertEquals(16, pieces.get(1).startSeconds(), 1e-6);
    }

    @Test
    void withoutUsableCuesEverySegmentSaysWhyItsTextIsMissing() {
        String why = "transcript not used: talk.srt: not UTF-8 text";
        List<SegmentingSink.Segment> out = new ArrayList<>();
        feed(new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(),
                TranscriptResolution.missing(why), out::add), av(25), 25, t -> 0.1);
        assertFalse(out.isEmpty());
        for (SegmentingSink.Segment s : out) {
            assertEquals(why, s.utterance().whyMissing(Modality.TEXT).orElseThrow());
            assertTrue(s.utterance().audioTrack().isPresent());
        }
        List<SegmentingSink.Segment> plain = new ArrayList<>();
        feed(new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(),
                TranscriptResolution.of(new Transcript("Said once.", List.of(), "t.txt", Transcript.Source.SIDECAR, List.of(), null)),
                plain::add), av(25), 25, t -> 0.1);
        assertTrue(plain.get(0).utterance().whyMissing(Modality.TEXT).orElseThrow().contains("t.txt has no timings"));
    }

    /**
     * Issue 15: a segment's own reason for having no text travels with it (to the result's {@code textMissing}); a
     * reason that holds for the whole recording (no transcript and no recogniser, or an unusable transcript) does not,
     * since the recording's text reason already says it once.
     */
    @Test
    void aSegmentOutsideEveryCueSaysSoAndARecordingWithoutTextSourceLeavesItToTheRecording() {
        List<SegmentingSink.Segment> cued = new ArrayList<>();
        feed(new SegmentingSink("t.mp4", new Config(10, 0), SegmentingSink.Method.FIXED, Optional.empty(),
                timed(List.of(new Transcript.Segment(2, 5, "hello there"), new Transcript.Segment(22, 25, "goodbye"))),
                cued::add), av(30), 30, t -> 0.1);
        assertEquals(3, cued.size(), cued::toString);
        assertNull(cued.get(0).textMissing());
        assertEquals("nothing said in this segment's cues", cued.get(1).textMissing());
        assertEquals(cued.get(1).textMissing(), cued.get(1).utterance().whyMissing(Modality.TEXT).orElseThrow());
        assertNull(cued.get(2).textMissing());

        for (TranscriptResolution whole : List.of(TranscriptResolution.missing("no transcript: none given inline and no t.txt beside t.mp4"),
                TranscriptResolution.missing("transcript not used: t.srt: not UTF-8 text"),
                TranscriptResolution.of(new Transcript("Said once.", List.of(), "t.txt", Transcript.Source.SIDECAR, List.of(), null)))) {
            List<SegmentingSink.Segment> out = new ArrayList<>();
            feed(new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(), whole, out::add),
                    av(25), 25, t -> 0.1);
            assertFalse(out.isEmpty());
            for (SegmentingSink.Segment seg : out) {
                assertNull(seg.textMissing(), whole::toString);
                assertTrue(seg.utterance().whyMissing(Modality.TEXT).isPresent(), "the utterance still knows why");
            }
        }
    }

    /**
     * With a recogniser, a window past the end of the audio (the video goes on) has nothing to recognise: its own
     * reason, not the recording's "no transcript", which would read as though nobody had listened.
     */
    @Test
    void aWindowWithoutAudioToRecogniseSaysSo() {
        List<SegmentingSink.Segment> out = new ArrayList<>();
        feedAudioThatEndsEarly(new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(), NO_TEXT,
                new CountingHeard(), TranscriptLimits.DEFAULTS, out::add), 40);
        assertEquals("not recognised in this test", out.get(0).textMissing());
        SegmentingSink.Segment late = out.get(out.size() - 1);
        assertTrue(late.utterance().audioTrack().isEmpty(), late::toString);
        assertEquals("no audio in this segment to recognise", late.textMissing());
    }

    /** {@code n} samples of quiet sound at 0.01. */
    static float[] quiet(int n) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, 0.01f);
        return x;
    }

    /** A stand-in detector: speech wherever the amplitude is above 0.05, at 0.1 s resolution. */
    static final class LevelDetector implements SpeechActivityDetector {
        private final int step;

        /** Decides every 0.1 s. */
        LevelDetector() {
            this(AudioTrack.RATE / 10);
        }

        /** Decides every {@code step} samples, counted from the start of the audio it is given (Silero: 512). */
        LevelDetector(int step) {
            this.step = step;
        }

        @Override
        public List<Region> speechRegions(AudioTrack audio) {
            float[] x = audio.samples();
            return regions(x.length, step, i -> Math.abs(x[i]) > 0.05);
        }

        @Override
        public AudioTrack keepSpeech(AudioTrack audio) {
            return audio;
        }
    }

    /** The regions of {@code samples} where {@code speech} holds at the step that starts at each multiple of {@code step}. */
    static List<SpeechActivityDetector.Region> regions(int samples, int step, java.util.function.IntPredicate speech) {
        List<SpeechActivityDetector.Region> out = new ArrayList<>();
        double start = -1;
        for (int i = 0; i < samples; i += step) {
            boolean said = speech.test(i);
            double t = i / (double) AudioTrack.RATE;
            if (said && start < 0) start = t;
            if (!said && start >= 0) {
                out.add(new SpeechActivityDetector.Region(start, t));
                start = -1;
            }
        }
        if (start >= 0) out.add(new SpeechActivityDetector.Region(start, samples / (double) AudioTrack.RATE));
        return out;
    }

    /** Counts the samples it is given, and finds speech where 0.1 s of them have an RMS above 0.05. */
    static final class CountingDetector implements SpeechActivityDetector {
        long samples;

        @Override
        public List<Region> speechRegions(AudioTrack audio) {
            float[] x = audio.samples();
            samples += x.length;
            int step = AudioTrack.RATE / 10;
            return regions(x.length, step, i -> {
                double sum = 0;
                int n = Math.min(step, x.length - i);
                for (int k = i; k < i + n; k++) sum += x[k] * x[k];
                return Math.sqrt(sum / n) > 0.05;
            });
        }

        @Override
        public AudioTrack keepSpeech(AudioTrack audio) {
            return audio;
        }
    }

    /**
     * A recording paused twice for 59 minutes (three 2 s tones, a few kB): the audio missing from the file is silence on
     * its clock (FfmpegMediaDecoder), which buys no time budget, so neither the detector nor the encoders of a fixed
     * window may spend time on it. Before, the detector was run over all 7,086 s of it (12 s of Silero for each such
     * hour) and fixed windows made 886 segments of silence for the encoders and the recogniser (a 59-minute gap alone
     * spent the 60 s budget: limit_exceeded). The segments of the tones are where the file's clock says.
     */
    @Test
    void audioMissingFromTheFileIsNeitherDetectedNorSegmented(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path paused = dev.moodtag.media.HostileMedia.tonesBetweenGaps(dir, "paused.mka", 3, 2, 3540);
        dev.moodtag.media.FfmpegMediaDecoder decoder = new dev.moodtag.media.FfmpegMediaDecoder(
                dev.moodtag.media.TestMediaConfig.defaults());

        CountingDetector detector = new CountingDetector();
        List<SegmentingSink.Segment> voiced = new ArrayList<>();
        SegmentingSink vad = new SegmentingSink("paused.mka", CONFIG, SegmentingSink.Method.VAD, Optional.of(detector),
                NO_TEXT, voiced::add);
        decoder.stream(paused, vad);
        assertEquals(3 * 2 + 2 * 3540, vad.decodedSeconds(), 0.5, "the file's clock is kept");
        assertTrue(detector.samples <= 3 * 3 * AudioTrack.RATE, "the detector hears the tones, not the pauses: "
                + detector.samples / (double) AudioTrack.RATE + " s");
        assertEquals(List.of(0.0, 3542.0, 7084.0), voiced.stream().map(x -> (double) Math.round(x.startSeconds())).toList(),
                "each tone is a segment where the clock puts it");

        List<SegmentingSink.Segment> windows = new ArrayList<>();
        SegmentingSink fixed = new SegmentingSink("paused.mka", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(),
                NO_TEXT, windows::add);
        decoder.stream(paused, fixed);
        assertTrue(windows.size() <= 6, "the windows that hold a tone, not those of the pauses: " + windows.size());
        for (double tone : new double[]{0, 3542, 7084})
            assertTrue(windows.stream().anyMatch(w -> w.startSeconds() <= tone + 1 && w.endSeconds() >= tone + 1),
                    "a window over the tone at " + tone + " s: " + windows.stream().map(SegmentingSink.Segment::startSeconds).toList());
    }

    @Test
    void voiceActivitySegmentsFollowSpeechAcrossBlocksAndCutLongSpeech() {
        // speech 10-14 s, 28-33 s (across the first 30 s block), 50-50.5 s (too short), 60-100 s (long), 101-103
        java.util.function.DoubleUnaryOperator level = t -> (t >= 10 && t < 14) || (t >= 28 && t < 33)
                || (t >= 50 && t < 50.5) || (t >= 60 && t < 100) || (t >= 101 && t < 103) ? 0.3 : 0;
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.VAD, Optional.of(new LevelDetector()),
                NO_TEXT, out::add);
        feed(sink, av(120), 120, level);
        List<double[]> got = out.stream().map(s -> new double[]{s.startSeconds(), s.endSeconds()}).toList();
        assertEquals(10, got.get(0)[0], 0.11);
        assertEquals(14, got.get(0)[1], 0.11);
        assertEquals(28, got.get(1)[0], 0.11, "speech crossing a block boundary is one segment");
        assertEquals(33, got.get(1)[1], 0.11);
        for (double[] g : got) assertFalse(g[0] >= 49.9 && g[1] <= 50.6, "speech shorter than the minimum is not a segment");
        double covered = 0;
        for (double[] g : got) {
            assertTrue(g[1] - g[0] <= 15 + 1e-6, "no segment longer than the maximum");
            covered += Math.max(0, Math.min(g[1], 103) - Math.max(g[0], 60));
        }
        assertEquals(42, covered, 0.3, "60-100 s (in pieces of at most 15 s) and 101-103 s are covered");
        assertEquals(101, got.get(got.size() - 1)[0], 0.11, "a 1 s pause is longer than the 0.8 s merge gap: its own segment");
        assertTrue(sink.peakBufferedSeconds() <= 30 + 15 + 1, "a block plus a segment at most: " + sink.peakBufferedSeconds());
    }

    /**
     * 10 s of quiet sound (0.01: not digital silence, nor speech to {@link LevelDetector}), then video alone up to
     * {@code seconds} (an audio stream that ends early, or is nearly empty).
     */
    static void feedAudioThatEndsEarly(SegmentingSink sink, double seconds) {
        StreamInfo info = av(seconds);
        sink.start(info);
        double nextFrame = 0;
        for (int c = 0; c * 0.1 < seconds - 1e-9; c++) {
            if (c * 0.1 < 10) sink.audio(new AudioTrack(quiet(AudioTrack.RATE / 10), AudioTrack.RATE, c * 0.1));
            while (nextFrame <= c * 0.1) {
                sink.frame(new VideoFrame(nextFrame, 8, 8, new byte[8 * 8 * 3]));
                nextFrame += 0.2;
            }
        }
        sink.end();
    }

    /**
     * When the audio ends long before the video, the video is segmented (or, by voice activity, let go) as it comes.
     * Before, every later frame was held until the end: 600 frames for 10 min of video at the sampled 1 fps (2.5 GB
     * for a 640×360 hour), and fixed windows made the rest one segment of 592 s.
     */
    @Test
    void videoThatOutlastsItsAudioIsNotHeldUntilTheEnd() {
        for (SegmentingSink.Method method : List.of(SegmentingSink.Method.FIXED, SegmentingSink.Method.VAD,
                SegmentingSink.Method.TRANSCRIPT)) {
            List<SegmentingSink.Segment> out = new ArrayList<>();
            TranscriptResolution text = method == SegmentingSink.Method.TRANSCRIPT
                    ? timed(List.of(new Transcript.Segment(2, 5, "early"), new Transcript.Segment(300, 304, "later"),
                    new Transcript.Segment(580, 590, "near the end"))) : NO_TEXT;
            SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, method, Optional.of(new LevelDetector()), text,
                    out::add);
            feedAudioThatEndsEarly(sink, 600);
            assertTrue(sink.peakBufferedFrames() <= SegmentingSink.MAX_AUDIO_LAG + 10 + 15 + 2,
                    method + ": about the audio lag's worth of frames held, not the recording's: " + sink.peakBufferedFrames());
            for (SegmentingSink.Segment seg : out)
                assertTrue(seg.endSeconds() - seg.startSeconds() <= 15 + 1e-6, method + ": no giant segment: "
                        + seg.startSeconds() + "-" + seg.endSeconds());
            if (method == SegmentingSink.Method.FIXED) {
                assertEquals(600, out.get(out.size() - 1).endSeconds(), 0.3, "the video is segmented to its end");
                SegmentingSink.Segment late = out.get(out.size() - 1);
                assertEquals("no audio in this segment", late.utterance().whyMissing(Modality.SPEECH).orElseThrow());
                assertTrue(late.utterance().videoTrack().isPresent(), "its frames are there");
            }
            if (method == SegmentingSink.Method.TRANSCRIPT) {
                assertEquals(List.of("early", "later", "near the end"), out.stream()
                        .map(x -> x.utterance().transcriptText().orElseThrow().text()).toList());
                assertTrue(out.get(2).utterance().videoTrack().isPresent(), "a cue past the audio keeps its frames");
            }
        }
    }

    /**
     * A JSON sidecar may give a cue any finite end (1e300 s): its pieces are still those of the longest segment, up to
     * the recording's end. Before, the piece count saturated, the first piece was 1e281 s long and never ready, and the
     * whole recording was held and handed over as one segment at the end.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aCueEndingAtTheEdgeOfTheDoublesIsCutLikeAnyLongCue() {
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.TRANSCRIPT, Optional.empty(),
                timed(List.of(new Transcript.Segment(0, 1e300, "forever"))), out::add);
        feed(sink, av(120), 120, t -> 0.1);
        assertEquals(8, out.size(), () -> out.stream().map(x -> x.startSeconds() + "-" + x.endSeconds()).toList().toString());
        for (SegmentingSink.Segment seg : out) assertEquals(15, seg.endSeconds() - seg.startSeconds(), 1e-6);
        assertTrue(sink.peakBufferedSeconds() <= 15 + SegmentingSink.MAX_VIDEO_LAG + 1,
                "a piece at a time: " + sink.peakBufferedSeconds());
    }

    /**
     * What a timeline keeps of each segment until the recording ends is its times and results: the segment itself holds
     * its audio and decoded frames, and keeping it made memory grow with the recording (finding of a review).
     */
    @Test
    void aTimelineKeepsEachSegmentsTimesNotItsMedia() {
        var media = java.util.Set.of(SegmentingSink.Segment.class, dev.moodtag.media.Utterance.class, AudioTrack.class,
                dev.moodtag.media.VideoTrack.class, VideoFrame.class);
        for (var c : TimelineTagger.Pending.class.getRecordComponents())
            assertFalse(media.contains(c.getType()), "a kept segment holds media: " + c);
    }

    /**
     * Voice-activity segments wait for their frames when the video runs behind the audio (up to MAX_VIDEO_LAG), as
     * fixed windows and cues do. Before, speech ending near a block's end was handed over with the frames that had
     * arrived: 24-29.5 s got 2 frames instead of 5 with the video 3 s behind (found by a review).
     */
    @Test
    void voiceActivitySegmentsWaitForFramesOfAVideoRunningBehind() {
        java.util.function.DoubleUnaryOperator level = t -> (t >= 10 && t < 14) || (t >= 24 && t < 29.5)
                || (t >= 50 && t < 56) || (t >= 60 && t < 89.8) ? 0.3 : 0;
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.VAD, Optional.of(new LevelDetector()),
                NO_TEXT, out::add);
        StreamInfo info = av(100);
        sink.start(info);
        int chunk = AudioTrack.RATE / 10;
        double nextFrame = 0, lag = 3;
        for (int c = 0; c * 0.1 < 100 - 1e-9; c++) {
            float[] x = new float[chunk];
            for (int i = 0; i < chunk; i++) x[i] = (float) level.applyAsDouble(c * 0.1 + i / (double) AudioTrack.RATE);
            sink.audio(new AudioTrack(x, AudioTrack.RATE, c * 0.1));
            while (nextFrame <= c * 0.1 - lag) {
                sink.frame(new VideoFrame(nextFrame, 8, 8, new byte[8 * 8 * 3]));
                nextFrame += 0.2;
            }
        }
        while (nextFrame < 100) {
            sink.frame(new VideoFrame(nextFrame, 8, 8, new byte[8 * 8 * 3]));
            nextFrame += 0.2;
        }
        sink.end();
        assertTrue(out.size() >= 5, out.size() + " segments");
        for (SegmentingSink.Segment seg : out) {
            int frames = seg.utterance().videoTrack().map(v -> v.frames().size()).orElse(0);
            assertTrue(frames >= Math.floor(seg.endSeconds() - seg.startSeconds()) - 1, "about a frame per second in "
                    + seg.startSeconds() + "-" + seg.endSeconds() + ": " + frames);
        }
    }

    /**
     * A long cue over shorter ones (a "[music]" cue over the dialogue): every segment keeps its audio and frames.
     * Before, all pieces of the long cue went first and the media of the cues inside it was dropped with them: a 2-6 s
     * cue inside a 0-40 s one came out with no audio and no frame (found by a review).
     */
    @Test
    void cuesInsideALongCueKeepTheirMedia() {
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.TRANSCRIPT, Optional.empty(),
                timed(List.of(new Transcript.Segment(0, 40, "[music]"), new Transcript.Segment(2, 6, "hello"),
                        new Transcript.Segment(5, 12, "overlapping"), new Transcript.Segment(20, 22, "later"))), out::add);
        feed(sink, av(45), 45, t -> 0.1);
        assertEquals(List.of("[music]@0.0", "hello@2.0", "overlapping@5.0", "-@13.3", "later@20.0", "-@26.7"),
                out.stream().map(x -> x.utterance().transcriptText().map(Transcript::text).orElse("-") + "@"
                        + Math.round(x.startSeconds() * 10) / 10.0).toList());
        assertEquals("the cue's text is given once, with its first piece (0.00-13.33 s)", out.get(5).textMissing());
        for (SegmentingSink.Segment seg : out) {
            AudioTrack a = seg.utterance().audioTrack().orElseThrow(() -> new AssertionError("no audio in " + seg.startSeconds()));
            assertEquals(seg.endSeconds() - seg.startSeconds(), a.durationSeconds(), 1e-3);
            assertTrue(seg.utterance().videoTrack().isPresent(), "frames in " + seg.startSeconds());
        }
        assertTrue(sink.peakBufferedSeconds() <= 15 + SegmentingSink.MAX_VIDEO_LAG + 1, "" + sink.peakBufferedSeconds());
    }

    /**
     * A seeded fuzz grid over sidecar cues (overlapping, nested, identical, zero-length, reversed, very long, past the
     * end; the video up to 4 s behind the audio): every segment is at most the longest segment, starts inside the
     * recording, carries the audio of its whole span (cut at the end) and frames when a second long; segments come in
     * the order they start; every cue that starts inside the recording gets at least one segment; and no more than
     * one piece plus the lags is held.
     */
    @Test
    void aFuzzGridOfCuesKeepsEveryCuesMediaAndTheBound() {
        java.util.Random r = new java.util.Random(20261205);
        for (int round = 0; round < 300; round++) {
            double length = 20 + r.nextInt(100);
            List<Transcript.Segment> cues = new ArrayList<>();
            for (int k = r.nextInt(12); k >= 0; k--) {
                double start = r.nextDouble() * (length + 10);
                double span = switch (r.nextInt(6)) {
                    case 0 -> 0;                              // zero-length: no segment of its own
                    case 1 -> -r.nextDouble() * 3;            // reversed: no segment
                    case 2 -> 15 + r.nextDouble() * 60;       // longer than a segment: pieces
                    case 3 -> r.nextBoolean() ? 1e300 : 1e12; // absurdly long
                    default -> 0.3 + r.nextDouble() * 8;
                };
                cues.add(new Transcript.Segment(start, start + span, "cue" + k));
                if (r.nextInt(8) == 0) cues.add(new Transcript.Segment(start, start + span, "twin" + k));
            }
            double lag = r.nextInt(5);
            List<SegmentingSink.Segment> out = new ArrayList<>();
            SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.TRANSCRIPT, Optional.empty(),
                    timed(cues), out::add);
            StreamInfo info = av(length);
            sink.start(info);
            int chunk = AudioTrack.RATE / 10;
            double nextFrame = 0;
            float[] sound = new float[chunk];
            java.util.Arrays.fill(sound, 0.1f);
            for (int c = 0; c * 0.1 < length - 1e-9; c++) {
                sink.audio(new AudioTrack(sound.clone(), AudioTrack.RATE, c * 0.1));
                while (nextFrame <= c * 0.1 - lag) {
                    sink.frame(new VideoFrame(nextFrame, 8, 8, new byte[8 * 8 * 3]));
                    nextFrame += 0.2;
                }
            }
            while (nextFrame < length) {
                sink.frame(new VideoFrame(nextFrame, 8, 8, new byte[8 * 8 * 3]));
                nextFrame += 0.2;
            }
            sink.end();
            String where = "round " + round + ", " + cues.size() + " cues, lag " + lag + ": ";
            double previousStart = Double.NEGATIVE_INFINITY;
            for (SegmentingSink.Segment seg : out) {
                double span = seg.endSeconds() - seg.startSeconds();
                assertTrue(span > 0 && span <= 15 + 1e-6, where + "span " + span);
                // the recording lasts to its last sampled frame's end: up to one frame interval (1 s) past the audio
                assertTrue(seg.startSeconds() < length + 1 + 1e-6, where + "starts at " + seg.startSeconds());
                assertTrue(seg.startSeconds() >= previousStart, where + "in the order they start");
                previousStart = seg.startSeconds();
                double heard = Math.min(seg.endSeconds(), length) - seg.startSeconds();
                double got = seg.utterance().audioTrack().map(AudioTrack::durationSeconds).orElse(0.0);
                assertEquals(Math.max(0, heard), got, 0.002, where + "audio of " + seg.startSeconds() + "-" + seg.endSeconds());
                if (heard >= 1)
                    assertTrue(seg.utterance().videoTrack().isPresent(), where + "frames in " + seg.startSeconds());
            }
            for (Transcript.Segment c : cues) {
                if (c.endSeconds() - c.startSeconds() <= 0 || c.startSeconds() >= length - 0.01) continue;
                // its words, with those of any instants that joined it
                assertTrue(holding(out, c.text()).stream().anyMatch(x -> x.startSeconds() <= c.startSeconds() + 1e-6),
                        where + c.text() + " at " + c.startSeconds() + " got no segment");
            }
            assertTrue(sink.peakBufferedSeconds() <= 15 + SegmentingSink.MAX_VIDEO_LAG + 1,
                    where + "held " + sink.peakBufferedSeconds() + " s");
        }
    }

    /**
     * Cues of no length (start = end: auto-generated subtitles, word timings) alone, between cues, at a cue's end,
     * inside a cue and inside a long cue's later piece, at 0, 200 at one instant, at the recording's end and after it:
     * each one's words go to the earliest segment whose span holds it, else to the next segment after it, else (after
     * the last segment) to none, which the recording says. Before, every one of them was dropped without a word.
     */
    @Test
    void aCueOfNoLengthGivesItsWordsToTheSegmentOverItOrTheNext() {
        List<Transcript.Segment> cues = new ArrayList<>(List.of(new Transcript.Segment(2, 5, "alpha"),
                new Transcript.Segment(10, 14, "bravo"), new Transcript.Segment(20, 50, "charlie"),
                instant(0, "zero"), instant(5, "edge"), instant(7, "alone"), instant(30, "inside"), instant(40, "later"),
                instant(60, "end"), instant(75, "after")));
        for (int k = 0; k < 200; k++) cues.add(instant(17, "many" + k));
        // speech where VAD finds it: 1-6, 9-16, 19-52 s (cut into 15 s pieces); quiet sound elsewhere
        java.util.function.DoubleUnaryOperator level = t -> (t >= 1 && t < 6) || (t >= 9 && t < 16) || (t >= 19 && t < 52) ? 0.3 : 0.01;
        java.util.Map<SegmentingSink.Method, String> expected = java.util.Map.of(
                SegmentingSink.Method.TRANSCRIPT, "zero@2 edge@2 alone@10 many@20 inside@20 later@35 end@- after@-",
                SegmentingSink.Method.FIXED, "zero@0 edge@0 alone@0 many@8 inside@24 later@32 end@56 after@-",
                SegmentingSink.Method.VAD, "zero@1 edge@1 alone@9 many@19 inside@19 later@34 end@- after@-");
        for (SegmentingSink.Method method : SegmentingSink.Method.values()) {
            List<SegmentingSink.Segment> out = new ArrayList<>();
            SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, method, Optional.of(new LevelDetector()), timed(cues), out::add);
            feed(sink, av(60), 60, level);
            List<String> got = new ArrayList<>();
            for (String word : List.of("zero", "edge", "alone", "many", "inside", "later", "end", "after")) {
                List<SegmentingSink.Segment> with = holding(out, word.equals("many") ? "many0" : word);
                assertTrue(with.size() <= 1, method + ": " + word + " doubled in " + with);
                got.add(word + "@" + (with.isEmpty() ? "-" : Long.toString(Math.round(with.get(0).startSeconds()))));
            }
            assertEquals(expected.get(method), String.join(" ", got), method.toString());
            for (int k = 0; k < 200; k++)
                assertEquals(holding(out, "many0"), holding(out, "many" + k), method + ": the words of one instant stay together");
            String past = "1 cue (1 word) from 75.00 s on lies past the recording's end (60.00 s): its words are in no segment";
            assertEquals(method == SegmentingSink.Method.FIXED ? past
                    : "1 cue (1 word) from 60.00 s on is in no segment: none reaches it; " + past, sink.cuesInNoSegment());
            for (String word : List.of("alpha", "bravo", "charlie"))
                assertEquals(1, holding(out, word).size(), method + ": " + word + " once");
            for (SegmentingSink.Segment seg : out)
                if (seg.utterance().transcriptText().isPresent()) assertNull(seg.textMissing(), method + ": " + seg);
        }
    }

    /**
     * A seeded grid of recordings with cues and instants (at 0, at the recording's end, after it, several at one time,
     * inside long cues) under each method: every instant's words are in one segment, the first handed over that ends at
     * or after it, or, after every segment's end, in none and counted in the recording's note; none is doubled. Every
     * cue's words are in one segment too, under voice activity the first that ends after the cue starts (over it, or
     * after it where it lies in a pause), or, where every segment ends before it starts, in none and counted.
     */
    @Test
    void aFuzzGridOfCuesAndInstantsGivesEachOnesWordsOnceOrSaysSo() {
        java.util.Random r = new java.util.Random(20261206);
        int placed = 0, unplaced = 0, cuesUnplaced = 0;
        for (int round = 0; round < 120; round++) {
            double length = 20 + r.nextInt(80);
            List<Transcript.Segment> cues = new ArrayList<>();
            for (int k = r.nextInt(6); k > 0; k--) {
                double start = r.nextDouble() * length;
                cues.add(new Transcript.Segment(start, start + (r.nextBoolean() ? 0.3 + r.nextDouble() * 8 : 15 + r.nextDouble() * 40), "c" + k));
            }
            List<Transcript.Segment> instants = new ArrayList<>();
            for (int k = r.nextInt(16); k >= 0; k--) {
                double at = switch (r.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> length;
                    case 2 -> length + r.nextDouble() * 10;
                    case 3 -> cues.isEmpty() ? 1 : cues.get(r.nextInt(cues.size())).endSeconds();
                    default -> r.nextDouble() * length;
                };
                for (int twin = r.nextInt(4) == 0 ? 3 : 1; twin > 0; twin--) instants.add(instant(at, "i" + instants.size()));
            }
            cues.addAll(instants);
            double[] voiced = {r.nextDouble() * length, r.nextDouble() * length, r.nextDouble() * length, r.nextDouble() * length};
            java.util.Arrays.sort(voiced);
            java.util.function.DoubleUnaryOperator level = t -> (t >= voiced[0] && t < voiced[1]) || (t >= voiced[2] && t < voiced[3]) ? 0.3 : 0.01;
            for (SegmentingSink.Method method : SegmentingSink.Method.values()) {
                if (method == SegmentingSink.Method.TRANSCRIPT && cues.size() == instants.size()) continue;
                List<SegmentingSink.Segment> out = new ArrayList<>();
                SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, method, Optional.of(new LevelDetector()), timed(cues), out::add);
                feed(sink, av(length), length, level);
                String where = "round " + round + " by " + method + ": ";
                int none = 0;
                for (Transcript.Segment i : instants) {
                    List<SegmentingSink.Segment> with = holding(out, i.text());
                    assertTrue(with.size() <= 1, where + i + " doubled");
                    int first = 0;
                    while (first < out.size() && out.get(first).endSeconds() < i.startSeconds()) first++;
                    if (with.isEmpty()) {
                        assertEquals(out.size(), first, where + i + " lost, though " + (first < out.size() ? out.get(first) : null) + " ends after it");
                        none++;
                    } else assertEquals(out.get(first), with.get(0), where + i + ": the first segment to end at or after it");
                }
                for (Transcript.Segment c : cues) {
                    if (c.endSeconds() == c.startSeconds()) continue;
                    List<SegmentingSink.Segment> with = holding(out, c.text());
                    assertTrue(with.size() <= 1, where + c + " doubled");
                    int first = 0;
                    while (first < out.size() && out.get(first).endSeconds() <= c.startSeconds()) first++;
                    if (with.isEmpty()) {
                        assertEquals(out.size(), first, where + c + " lost, though the segment from " + (first < out.size()
                                ? out.get(first).startSeconds() : null) + " s ends after it starts");
                        none++;
                        cuesUnplaced++;
                    } else if (method == SegmentingSink.Method.VAD)
                        assertEquals(out.get(first), with.get(0), where + c + ": the first segment to end after it starts");
                }
                String note = sink.cuesInNoSegment();
                int named = note == null ? 0 : java.util.Arrays.stream(note.split("; ")).mapToInt(n -> Integer.parseInt(n.split(" ")[0])).sum();
                assertEquals(none, named, where + note);
                placed += cues.size() - none;
                unplaced += none;
            }
        }
        assertTrue(placed > 1000 && unplaced > 100 && cuesUnplaced > 10, placed + " placed, " + unplaced + " in no segment ("
                + cuesUnplaced + " with length): the grid reaches both");
    }

    /** A transcript of instants alone makes no segment; it gives its words to voiced segments or windows instead. */
    @Test
    void aTranscriptOfInstantsAloneDoesNotSegmentTheRecording() {
        assertFalse(SegmentingSink.hasCueWithLength(timed(List.of(instant(1, "a"), instant(4, "b")))));
        assertTrue(SegmentingSink.hasCueWithLength(timed(List.of(instant(1, "a"), new Transcript.Segment(4, 5, "b")))));
        assertFalse(SegmentingSink.hasCueWithLength(NO_TEXT));
        List<SegmentingSink.Segment> out = new ArrayList<>();
        feed(new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(),
                timed(List.of(instant(3, "early"), instant(21, "late"))), out::add), av(30), 30, t -> 0.1);
        assertEquals(List.of("0:early", "8:-", "16:late", "24:-"), out.stream().map(x -> Math.round(x.startSeconds()) + ":"
                + x.utterance().transcriptText().map(Transcript::text).orElse("-")).toList());
        assertEquals("nothing said in this segment's cues", out.get(1).textMissing());
    }

    private static Transcript.Segment instant(double at, String text) {
        return new Transcript.Segment(at, at, text);
    }

    /** The segments whose text holds {@code word} as a word. */
    private static List<SegmentingSink.Segment> holding(List<SegmentingSink.Segment> segments, String word) {
        return segments.stream().filter(s -> s.utterance().transcriptText()
                .map(t -> List.of(t.text().split(" ")).contains(word)).orElse(false)).toList();
    }

    /**
     * A long cue is cut into pieces, and its text votes once, with the first: before, each piece carried it, so a cue
     * over minutes was that many segments labelled by the same words. The later pieces say where the text went.
     */
    @Test
    void aLongCueIsCutIntoPiecesAndItsTextGoesWithTheFirst() {
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.TRANSCRIPT, Optional.empty(),
                timed(List.of(new Transcript.Segment(0, 40, "a monologue"))), out::add);
        feed(sink, av(40), 40, t -> 0.1);
        assertEquals(3, out.size());
        for (SegmentingSink.Segment s : out) {
            assertEquals(40 / 3.0, s.endSeconds() - s.startSeconds(), 1e-6);
            assertTrue(s.utterance().audioTrack().isPresent() && s.utterance().videoTrack().isPresent(), s::toString);
        }
        assertEquals("a monologue", out.get(0).utterance().transcriptText().orElseThrow().text());
        assertEquals(null, out.get(0).textMissing());
        for (SegmentingSink.Segment s : out.subList(1, 3)) {
            assertTrue(s.utterance().transcriptText().isEmpty(), s::toString);
            assertEquals("the cue's text is given once, with its first piece (0.00-13.33 s)", s.textMissing());
            assertEquals(s.textMissing(), s.utterance().whyMissing(Modality.TEXT).orElseThrow());
        }
    }

    /**
     * The pieces of a cue over a recording's silence: audio missing from the file (a gap) or digital silence in it is
     * no speech, said with its reason instead of being sent to the speech encoders, and a piece with neither speech,
     * frames nor text is no segment; a piece that holds any sound keeps all of its audio. Audio alone: 4 s of sound, a
     * 40 s gap, 20 s of digital silence, then 3 s of sound, under one cue over all of it.
     */
    @Test
    void piecesOfACueOverSilenceHaveNoSpeechAndNoSegmentWithoutAnything() {
        StreamInfo audioOnly = new StreamInfo("t.mka", "matroska", 67, true, 16000, 1, false, false, 0, 0, 0, 0, 0, 0);
        for (double level : new double[]{1e-3, 0.1}) {
            List<SegmentingSink.Segment> out = new ArrayList<>();
            SegmentingSink sink = new SegmentingSink("t.mka", CONFIG, SegmentingSink.Method.TRANSCRIPT, Optional.empty(),
                    timed(List.of(new Transcript.Segment(1, 67, "over it all"))), out::add);
            feedSoundGapSilenceSound(sink, audioOnly, level);
            // 66 s in five pieces of 13.2 s: 1-14.2 (sound, then the gap), 14.2-27.4 and 27.4-40.6 (the gap), 40.6-53.8
            // (the gap's end, then silence), 53.8-67 (silence, then sound)
            assertEquals(List.of(1.0, 53.8), out.stream().map(x -> Math.round(x.startSeconds() * 10) / 10.0).toList(),
                    "level " + level + ": " + out);
            assertEquals(13.2, out.get(0).utterance().audioTrack().orElseThrow().durationSeconds(), 1e-3);
            assertEquals(13.2, out.get(1).utterance().audioTrack().orElseThrow().durationSeconds(), 1e-3);

            List<String> reasons = new ArrayList<>();
            SegmentingSink withFrames = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.TRANSCRIPT, Optional.empty(),
                    timed(List.of(new Transcript.Segment(1, 67, "over it all"))),
                    s -> reasons.add(s.utterance().whyMissing(Modality.SPEECH).orElse("speech")));
            feedSoundGapSilenceSound(withFrames, av(67), level);
            assertEquals(List.of("speech", "the file has no audio from 14.20 to 27.40 s",
                    "the file has no audio from 27.40 to 40.60 s", "silent audio track", "speech"), reasons,
                    "with frames every piece is a segment, the silent ones without speech");
        }
    }

    /**
     * Fixed windows and voiced segments follow the cue rule: a cue's text votes once, with the fixed window over most of
     * it (here the first window inside it, 8-18 s, which holds only the file's gap) or the first voiced segment over it,
     * and a window over digital silence or audio missing from the file has no speech, is not recognised, and with
     * nothing else is no segment. Before, a cue over 66 s was copied into every window it overlapped (9 windows, and
     * both voiced segments, labelled by its words) and the gap's and the silence's windows went to the speech encoders
     * and the recogniser as sound (9 windows recognised, 6 of them without a sound in them).
     */
    @Test
    void windowsAndVoicedSegmentsGiveACuesTextOnceAndNothingToSilence() {
        StreamInfo audioOnly = new StreamInfo("t.mka", "matroska", 67, true, 16000, 1, false, false, 0, 0, 0, 0, 0, 0);
        for (SegmentingSink.Method method : List.of(SegmentingSink.Method.FIXED, SegmentingSink.Method.VAD)) {
            List<SegmentingSink.Segment> out = new ArrayList<>();
            feedSoundGapSilenceSound(new SegmentingSink("t.mka", CONFIG, method, Optional.of(new LevelDetector()),
                    timed(List.of(new Transcript.Segment(1, 67, "over it all"))), out::add), audioOnly, 0.1);
            List<String> said = out.stream().map(x -> Math.round(x.startSeconds()) + ":"
                    + x.utterance().transcriptText().map(Transcript::text).orElse("-")).toList();
            // windows of 10 s every 8 s: sound in 0-10, 56-66 and 64-67, the gap or silence alone in the six between
            boolean fixed = method == SegmentingSink.Method.FIXED;
            assertEquals(fixed ? List.of("0:-", "8:over it all", "56:-", "64:-")
                    : List.of("0:over it all", "64:-"), said, method.toString());
            List<SegmentingSink.Segment> withSound = new ArrayList<>();
            for (SegmentingSink.Segment seg : out) {
                if (seg.utterance().transcriptText().isPresent()) continue;
                assertEquals(fixed ? "its cues' text is given once, with the window over most of each (from 8.00 s)"
                        : "its cues' text is given once, with the first segment over them (from 0.00 s)", seg.textMissing());
                assertEquals(seg.textMissing(), seg.utterance().whyMissing(Modality.TEXT).orElseThrow());
                assertTrue(seg.utterance().audioTrack().isPresent(), seg::toString);
                withSound.add(seg);
            }
            assertEquals(fixed ? 3 : 1, withSound.size(), method.toString());

            CountingHeard heard = new CountingHeard();
            List<SegmentingSink.Segment> recognised = new ArrayList<>();
            feedSoundGapSilenceSound(new SegmentingSink("t.mka", CONFIG, method, Optional.of(new LevelDetector()), NO_TEXT,
                    heard, TranscriptLimits.DEFAULTS, recognised::add), audioOnly, 0.1);
            int sounding = fixed ? 3 : 2;
            assertEquals(sounding, heard.heard, method + ": only the segments with sound are recognised");
            assertEquals(sounding, recognised.size(), method.toString());

            List<String> reasons = new ArrayList<>();
            SegmentingSink withFrames = new SegmentingSink("t.mp4", CONFIG, method, Optional.of(new LevelDetector()),
                    timed(List.of(new Transcript.Segment(1, 67, "over it all"))),
                    seg -> reasons.add(Math.round(seg.startSeconds()) + ":" + seg.utterance().whyMissing(Modality.SPEECH).orElse("speech")));
            feedSoundGapSilenceSound(withFrames, av(67), 0.1);
            if (method == SegmentingSink.Method.FIXED)
                assertEquals(List.of("0:speech", "8:the file has no audio from 8.00 to 18.00 s", "16:the file has no audio from 16.00 to 26.00 s",
                        "24:the file has no audio from 24.00 to 34.00 s", "32:the file has no audio from 32.00 to 42.00 s",
                        "40:silent audio track", "48:silent audio track", "56:speech", "64:speech"), reasons,
                        "with frames every window is a segment, the silent ones without speech");
        }
    }

    /**
     * A cue that starts in the last 2 s of a fixed window and lies mostly in the next gives its words to the next: 1 s
     * of it is in the window 0-10 s, 6 s in the window 8-18 s. Before, the first window over it took them.
     */
    @Test
    void aCueStartingInAWindowsOverlapGoesToTheWindowOverMostOfIt() {
        assertEquals(List.of("0.00:-", "8.00:in the next", "16.00:-"), holders(CONFIG, 24, new Transcript.Segment(9, 15, "in the next")));
    }

    /**
     * Every cue position and length on a grid, for windows overlapping by less than, and by more than, half: the cue's
     * text is in exactly one window, the one a brute-force search finds over most of it (the earlier on a tie), or the
     * recording's last window when that one lies past the recording's end. Recordings of 60 s, whose last window is
     * cut short, and of 58 s, whose last window would lie inside the one before and is made only for such a cue.
     */
    @Test
    void aCuesTextGoesToTheWindowOverMostOfItOnAGrid() {
        double[] lengths = {0.25, 1, 2.5, 4, 7, 12, 30};
        int checked = 0;
        for (Config config : List.of(CONFIG, new Config(10, 7), new Config(6, 2.5)))
            for (double length : new double[]{58, 60})
                for (double start = 0; start < length; start += 1.25)
                    for (double cueLength : lengths) {
                        String text = "cue at " + start + " for " + cueLength;
                        List<String> held = holders(config, length, new Transcript.Segment(start, start + cueLength, text))
                                .stream().filter(h -> h.endsWith(":" + text)).toList();
                        double expected = windowOverMost(config, length, start, start + cueLength);
                        assertEquals(List.of(String.format(java.util.Locale.ROOT, "%.2f:%s", expected, text)), held,
                                config + ", " + length + " s: " + text);
                        checked++;
                    }
        assertEquals(3 * 7 * (47 + 48), checked, "the grid is walked whole");
    }

    /** The brute-force reference: the window start over most of [s, e), or the recording's last window start. */
    private static double windowOverMost(Config config, double length, double s, double e) {
        double w = config.windowSeconds(), hop = w - config.overlapSeconds();
        double best = Double.NaN, most = 0;
        for (int k = 0; k * hop < e; k++) {
            double over = Math.min(e, k * hop + w) - Math.max(s, k * hop);
            if (over > most) {
                most = over;
                best = k * hop;
            }
        }
        int last = 0;
        while (last * hop + w <= length) last++;
        return Math.min(best, last * hop);
    }

    /** "start:text" of each fixed window over {@code seconds} of sound (1 s chunks) under the one cue. */
    private static List<String> holders(Config config, double seconds, Transcript.Segment cue) {
        StreamInfo audioOnly = new StreamInfo("t.mka", "matroska", seconds, true, 16000, 1, false, false, 0, 0, 0, 0, 0, 0);
        List<String> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("t.mka", config, SegmentingSink.Method.FIXED, Optional.empty(),
                timed(List.of(cue)), seg -> out.add(String.format(java.util.Locale.ROOT, "%.2f:%s", seg.startSeconds(),
                seg.utterance().transcriptText().map(Transcript::text).orElse("-"))));
        sink.start(audioOnly);
        for (int c = 0; c < seconds; c++) {
            float[] x = new float[AudioTrack.RATE];
            java.util.Arrays.fill(x, 0.1f);
            sink.audio(new AudioTrack(x, AudioTrack.RATE, c));
        }
        sink.end();
        return out;
    }

    /**
     * 67 s: sound at {@code level} to 4 s, no audio in the file to 44 s, digital silence to 64 s, then sound again; 0.1 s
     * chunks, and 5 fps frames when {@code info} has video.
     */
    private static void feedSoundGapSilenceSound(SegmentingSink sink, StreamInfo info, double level) {
        sink.start(info);
        for (int c = 0; c < 670; c++) {
            float[] x = new float[AudioTrack.RATE / 10];
            double t = c * 0.1;
            if (t < 4 || t >= 64) java.util.Arrays.fill(x, (float) level);
            if (t >= 4 && t < 44) sink.silence(new AudioTrack(x, AudioTrack.RATE, t));
            else sink.audio(new AudioTrack(x, AudioTrack.RATE, t));
            if (info.hasVideo() && c % 2 == 0) sink.frame(new VideoFrame(t, 8, 8, new byte[8 * 8 * 3]));
        }
        sink.end();
    }

    /**
     * A film whose sound starts 50 or 61 minutes into its picture (one frame a second): the decoder gives the silence
     * before the sound when the sound's first packet comes, after the frames of that hour. Every method holds a block
     * or a segment, not the hour, and the sound gets its segment. Before, fixed windows had gone on with the picture
     * alone and kept all of that silence behind their next window: 2,970 s of audio held (190 MB) for sound from 50
     * minutes, 3,634 s for 61 (for sound from 23 hours that is 5.3 GB of samples).
     */
    @Test
    void soundStartingAnHourIntoThePictureIsNotHeldWhole(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        dev.moodtag.media.FfmpegMediaDecoder decoder = new dev.moodtag.media.FfmpegMediaDecoder(
                dev.moodtag.media.TestMediaConfig.defaults());
        for (double offset : new double[]{3000, 3660}) {
            String name = "sound-from-" + (long) offset + ".mkv";
            dev.moodtag.media.TestMediaWriter.ffmpegAt(dir, "-f", "lavfi", "-i", "testsrc=size=160x120:rate=1:duration="
                            + (offset + 20), "-itsoffset", Double.toString(offset), "-f", "lavfi", "-i",
                    "sine=f=440:duration=4:sample_rate=16000", "-c:v", "mpeg4", "-c:a", "pcm_s16le", name);
            for (SegmentingSink.Method m : SegmentingSink.Method.values()) {
                List<SegmentingSink.Segment> out = new ArrayList<>();
                SegmentingSink sink = new SegmentingSink(name, CONFIG, m, Optional.of(new CountingDetector()),
                        timed(List.of(new Transcript.Segment(10, 12, "early"), new Transcript.Segment(offset, offset + 3, "late"))),
                        out::add);
                decoder.stream(dir.resolve(name), sink);
                String where = name + " by " + m + ": ";
                System.out.printf("%s%d segments, at most %.1f s of audio held%n", where, out.size(), sink.peakBufferedSeconds());
                assertEquals(offset + 20, sink.decodedSeconds(), 1, where + "the file's clock");
                assertTrue(sink.peakBufferedSeconds() <= 30 + 15 + SegmentingSink.MAX_AUDIO_LAG, where + "held "
                        + sink.peakBufferedSeconds() + " s of audio");
                assertTrue(out.stream().anyMatch(x -> x.startSeconds() <= offset + 1 && x.endSeconds() >= offset + 2
                                && x.utterance().audioTrack().isPresent()),
                        where + "a segment with the sound: " + out.stream().map(x -> x.startSeconds() + "-" + x.endSeconds()).toList());
            }
        }
    }

    @Test
    void methodChoice() {
        assertEquals(SegmentingSink.Method.TRANSCRIPT, SegmentingSink.choose("auto", true, true, true));
        assertEquals(SegmentingSink.Method.VAD, SegmentingSink.choose("auto", false, true, true));
        assertEquals(SegmentingSink.Method.FIXED, SegmentingSink.choose("auto", false, false, true), "no audio: windows");
        assertEquals(SegmentingSink.Method.FIXED, SegmentingSink.choose("auto", false, true, false), "no detector: windows");
        assertThrows(IllegalArgumentException.class, () -> SegmentingSink.choose("vad", false, true, false));
        assertThrows(IllegalArgumentException.class, () -> SegmentingSink.choose("sometimes", false, true, true));
    }

    /**
     * The second pass's guard is operator input: out of range, start-up refuses it naming the key at fault, with its
     * range and value; the refusal named both keys whichever was wrong.
     */
    @Test
    void aGuardOutOfRangeIsRefusedNamingTheKeyAtFault() {
        assertEquals(new dev.moodtag.label.RecordingGuard(10, 0.65), TimelineTagger.guardOf(CONFIG));
        String min = "moodtag.timeline.recording-min-segments", share = "moodtag.timeline.recording-max-dominant-share";
        List<String> wrong = new ArrayList<>();
        for (int m : new int[]{Integer.MIN_VALUE, -5, 0, 1, 2, 10, Integer.MAX_VALUE}) {
            for (double d : new double[]{Double.NEGATIVE_INFINITY, -0.1, -0.0, 0, Double.MIN_VALUE, 0.65, 1, 1.0000001, 1.5,
                    Double.NaN, Double.POSITIVE_INFINITY}) {
                boolean minBad = m < 2, shareBad = !(d > 0 && d <= 1);
                String said;
                try {
                    TimelineTagger.guardOf(guard(m, d));
                    said = "accepted";
                } catch (dev.moodtag.support.SettingOutOfRange e) {
                    said = e.getMessage();
                }
                boolean right = minBad || shareBad
                        ? said.contains(min) == minBad && said.contains(share) == shareBad && !said.contains("\n")
                        && (!minBad || said.contains(min + " must be at least 2") && said.contains("not " + m))
                        && (!shareBad || said.contains(share + " must be in (0, 1], not " + d))
                        : said.equals("accepted");
                if (!right) wrong.add(m + ", " + d + ": " + said);
            }
        }
        assertEquals(List.of(), wrong, "guards refused naming a key not at fault, or not refused");
    }

    private static Config guard(int minSegments, double maxDominantShare) {
        return new Config(10, 2, minSegments, maxDominantShare);
    }

    /** Training's guarded evaluation uses RecordingGuard.DEFAULT: it must be what a timeline gets by default. */
    @Test
    void theGuardTrainingMeasuresIsTheTimelinesDefault() throws NoSuchMethodException {
        java.util.function.Function<String, String> defaultOf = m -> {
            try {
                return TimelineConfig.class.getMethod(m).getAnnotation(io.smallrye.config.WithDefault.class).value();
            } catch (NoSuchMethodException e) {
                throw new AssertionError(e);
            }
        };
        assertEquals(dev.moodtag.label.RecordingGuard.DEFAULT, new dev.moodtag.label.RecordingGuard(
                Integer.parseInt(defaultOf.apply("recordingMinSegments")),
                Double.parseDouble(defaultOf.apply("recordingMaxDominantShare"))));
        assertEquals("auto", defaultOf.apply("speechOverRecording"));
    }
    @Test
    void aJumpInFrameTimestampsIsSkippedNotWalkedOneEmptyWindowAtATime() {
        // A video-only recording with frames at 0 s, 1 s and 10^7 s (a 950-byte Matroska file does it). The fixed
        // windows walked the gap one 8 s hop at a time, 1.25 million empty windows, for 10 s; 10^9 s took 272 s.
        StreamInfo videoOnly = new StreamInfo("jump.mkv", "matroska", 2, false, 0, 0, true, false, 8, 8, 1, 8, 8, 1);
        List<SegmentingSink.Segment> out = new ArrayList<>();
        SegmentingSink sink = new SegmentingSink("jump.mkv", CONFIG, SegmentingSink.Method.FIXED, Optional.empty(), NO_TEXT, out::add);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            sink.start(videoOnly);
            for (double t : new double[]{0, 1, 1e7, 1e9}) sink.frame(new VideoFrame(t, 8, 8, new byte[8 * 8 * 3]));
            sink.end();
        });
        // The windows that hold a frame, as walking every window gave them (two overlapping windows hold 10^7 s)
        assertEquals(List.of("0.0-10.0", "9999992.0-1.0000002E7", "1.0E7-1.000001E7", "9.99999992E8-1.000000001E9"),
                out.stream().map(seg -> seg.startSeconds() + "-" + seg.endSeconds()).toList());
        assertEquals(2, out.get(0).utterance().videoTrack().orElseThrow().frames().size());
    }

    /** As {@link #feed}, with every frame arriving {@code lag} seconds after the audio of its time (the rest at the end). */
    static void feedWithVideoLag(SegmentingSink sink, StreamInfo info, double seconds, java.util.function.DoubleUnaryOperator level,
                                 double lag) {
        sink.start(info);
        int chunk = AudioTrack.RATE / 10;
        double nextFrame = 0;
        for (int c = 0; c * 0.1 < seconds - 1e-9; c++) {
            float[] s = new float[chunk];
            for (int i = 0; i < chunk; i++) s[i] = (float) level.applyAsDouble(c * 0.1 + i / (double) AudioTrack.RATE);
            sink.audio(new AudioTrack(s, AudioTrack.RATE, c * 0.1));
            while (info.hasVideo() && nextFrame <= c * 0.1 - lag) {
                sink.frame(new VideoFrame(nextFrame, 8, 8, new byte[8 * 8 * 3]));
                nextFrame += 0.2;
            }
        }
        for (; info.hasVideo() && lag > 0 && nextFrame < seconds; nextFrame += 0.2)
            sink.frame(new VideoFrame(nextFrame, 8, 8, new byte[8 * 8 * 3]));
        sink.end();
    }

    /**
     * The same recording gives the same segments however far its video has been decoded when its audio is (FFmpeg
     * decodes video on as many threads as there are cores, and frames then come out a few late). Before, a voiced region
     * whose frames had not arrived was held and the next voice-activity pass started at it instead of where the audio
     * alone says, so the detector's 32 ms grid moved and so did every later boundary (10-66 ms on real recordings).
     */
    @Test
    void segmentsDoNotDependOnHowLateTheVideoArrives() {
        double[][] voiced = {{1.03, 4.97}, {7.11, 12.4}, {20.0, 28.2}, {31.37, 35.81}, {40.05, 44.9}, {50.3, 58.77},
                {62.21, 66.6}, {71.4, 79.13}, {83.3, 88.0}};
        java.util.function.DoubleUnaryOperator level = t -> {
            for (double[] v : voiced) if (t >= v[0] && t < v[1]) return 0.5;
            return 0;
        };
        List<String> reference = null;
        for (double lag : new double[]{0, 0.6, 1.5, 3, 4.5}) {
            List<SegmentingSink.Segment> out = new ArrayList<>();
            SegmentingSink sink = new SegmentingSink("t.mp4", CONFIG, SegmentingSink.Method.VAD,
                    Optional.of(new LevelDetector(512)), NO_TEXT, out::add); // Silero's 32 ms grid
            feedWithVideoLag(sink, av(90), 90, level, lag);
            List<String> bounds = out.stream().map(x -> String.format(java.util.Locale.ROOT, "%.6f-%.6f (%d frames)",
                    x.startSeconds(), x.endSeconds(), x.utterance().video() == null ? 0 : x.utterance().video().frames().size())).toList();
            if (reference == null) reference = bounds;
            else assertEquals(reference, bounds, "video " + lag + " s late");
        }
        assertEquals(voiced.length, reference.size(), reference.toString());
    }
}
