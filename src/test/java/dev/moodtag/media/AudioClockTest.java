package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audio keeps the file's clock, as video does: a stretch of audio missing from the file (packets dropped in a live
 * capture, a recording paused and resumed, a splice) is silence there, not the next sound moved early, and audio whose
 * time goes back is CORRUPT as video's is. Generated with the ffmpeg program JavaCV carries.
 */
class AudioClockTest {

    /** A 440 Hz tone over 0-7 s whose audio from 2 to 5 s is not in the file; {@code video}: with 7 s of picture. */
    private static Path withGap(String name, boolean video) throws Exception {
        String[] v = video ? new String[]{"-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=7"} : new String[0];
        String[] a = {"-f", "lavfi", "-i", "sine=f=440:duration=7:sample_rate=16000",
                "-af", "aselect='lt(t\\,2)+gte(t\\,5)'", "-c:a", "pcm_s16le"};
        String[] c = video ? new String[]{"-c:v", "mpeg4"} : new String[0];
        String[] args = concat(v, a, c, new String[]{name});
        TestMediaWriter.ffmpeg(args);
        return TestMediaWriter.DIR.resolve(name);
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }

    /** The RMS of {@code audio} between {@code from} and {@code to} seconds of its own clock. */
    private static double rms(float[] samples, double from, double to) {
        int a = (int) (from * 16_000), b = Math.min(samples.length, (int) (to * 16_000));
        double sum = 0;
        for (int i = a; i < b; i++) sum += samples[i] * samples[i];
        return b > a ? Math.sqrt(sum / (b - a)) : 0;
    }

    private static void assertOnTheClock(float[] samples, String what) {
        assertEquals(7.0, samples.length / 16_000.0, 0.1, what + ": the audio lasts as long as the file's clock");
        assertTrue(rms(samples, 3.0, 4.5) < 1e-3, what + String.format(Locale.ROOT,
                ": silence where the file has no audio (2-5 s), not the sound after it: RMS %.4f", rms(samples, 3.0, 4.5)));
        assertTrue(rms(samples, 0.5, 1.5) > 0.05 && rms(samples, 5.5, 6.5) > 0.05, what + ": the tone before and after");
    }

    /**
     * Before, the audio after the gap was placed by its sample count, 3 s early: a 7 s film decoded as 4 s of tone and
     * 7 s of frames, so a timeline segment's speech met the frames of 3 s later and its times were 3 s off.
     */
    @Test
    void audioMissingPartWayIsSilenceOnTheFilesClock() throws Exception {
        Path film = withGap("audio-gap.mkv", true);
        float[] onePass = null;
        for (boolean inParts : new boolean[]{false, true}) {
            FfmpegMediaDecoder d = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(inParts));
            Utterance u = d.decode(film);
            float[] samples = u.audio().samples();
            assertOnTheClock(samples, inParts ? "in parts" : "in one pass");
            VideoTrack video = u.videoTrack().orElseThrow();
            assertEquals(6.8, video.frames().get(video.frames().size() - 1).timestampSeconds(), 0.1);
            if (onePass == null) onePass = samples;
            else assertArrayEquals(onePass, samples, "the same samples in one pass and in parts");
        }
        StreamingTest.CountingSink streamed = new StreamingTest.CountingSink(Double.MAX_VALUE);
        new FfmpegMediaDecoder(TestMediaConfig.defaults()).stream(film, streamed);
        assertEquals(onePass.length, streamed.samples, "streamed, chunk after chunk on the same clock");
        assertTrue(streamed.largestChunk <= 16_000, "the silence comes in chunks of at most a second: " + streamed.largestChunk);

        // audio alone: its sidecar transcript's cues and its timeline's segments are on the same clock
        Path mka = withGap("audio-gap.mka", false);
        assertOnTheClock(new FfmpegMediaDecoder(TestMediaConfig.defaults()).decode(mka).audio().samples(), "audio alone");
    }

    /**
     * Audio whose time goes back, as video's may not: an MKA shifted 2 s before zero (Matroska cannot store the negative
     * times) reads 0-2 s and then starts again at 0. Placed by its samples it decoded as 6 s of sound, the last 4 s of it
     * 2 s late against the clock. CORRUPT on every path, as the same film's video is. Audio that overlaps by less than
     * video's tolerance keeps the clock: the overlap is dropped.
     */
    @Test
    void audioWhoseTimeGoesBackIsCorruptAndAnOverlapIsDropped() throws Exception {
        Path back = TestMediaWriter.format("matroska").seconds(6)
                .audio(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC, 48_000, 2)
                .muxerOption("output_ts_offset", "-2").muxerOption("avoid_negative_ts", "disabled")
                .write("audio-goes-back.mka");
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        MediaException e = BadInputTest.assertKind(MediaException.Kind.CORRUPT, "audio-goes-back.mka", () -> decoder.decode(back));
        assertTrue(e.getMessage().contains("its audio timestamps go back from 1.9"), e.getMessage());
        BadInputTest.assertKind(MediaException.Kind.CORRUPT, "audio-goes-back.mka",
                () -> decoder.stream(back, new StreamingTest.CountingSink(Double.MAX_VALUE)));

        // the second half stamped 0.3 s early: the ffmpeg program keeps its stamps from going back, so they overlap
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "sine=f=440:duration=6:sample_rate=16000",
                "-af", "asetpts=PTS-gte(T\\,2)*0.3/TB", "-c:a", "pcm_s16le", "audio-overlaps.mka");
        AudioTrack overlapped = decoder.decode(TestMediaWriter.DIR.resolve("audio-overlaps.mka")).audio();
        assertEquals(5.7, overlapped.durationSeconds(), 0.1, "the overlap is dropped, the rest on the clock");
    }

    /** Counts what a stream gives: the silence of gaps apart from the sound. */
    private static class GapSink implements MediaSink {
        long sound, silence;
        int silentChunks, frames;
        double firstSoundAt = Double.NaN;

        @Override
        public boolean audio(AudioTrack chunk) {
            if (sound == 0) firstSoundAt = chunk.startSeconds();
            sound += chunk.samples().length;
            return true;
        }

        @Override
        public boolean silence(AudioTrack chunk) {
            silence += chunk.samples().length;
            silentChunks++;
            return true;
        }

        @Override
        public boolean frame(VideoFrame frame) {
            frames++;
            return true;
        }
    }

    /**
     * A film whose sound starts long after its picture (a capture that began the video before the sound, an edit whose
     * audio comes in late): the picture from 0, a frame every 10 minutes, and 2 s of tone from {@code offset}. The
     * stretch before the sound is silence, as a gap part-way is, however late the sound starts within the silence a file
     * may hold (24 hours in all); beyond that the file is refused for that bound, which no setting and no retry moves,
     * and never as damaged. Before, sound starting more than an hour in was CORRUPT ("its audio timestamps jump forward
     * from 0.00 s to 3660.00 s"), where picture starting as late decoded.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "sound from {0} s")
    @org.junit.jupiter.params.provider.ValueSource(doubles = {0, 1, 3540, 3660, 5 * 3600, 23 * 3600, 25 * 3600})
    void soundStartingLateAfterThePictureIsSilenceBeforeIt(double offset) throws Exception {
        String name = String.format(Locale.ROOT, "sound-from-%.0f.mkv", offset);
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=1/600:duration=" + (offset + 4),
                "-itsoffset", Double.toString(offset), "-f", "lavfi", "-i", "sine=f=440:duration=2:sample_rate=16000",
                "-c:v", "mpeg4", "-c:a", "pcm_s16le", name);
        Path film = TestMediaWriter.DIR.resolve(name);
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        GapSink sink = new GapSink();
        int frames = (int) Math.floor((offset + 4) / 600 - 1e-9) + 1;
        if (offset <= FfmpegMediaDecoder.MAX_SILENCE_SECONDS) {
            decoder.stream(film, sink);
            assertEquals(offset, sink.silence / 16_000.0, 0.1, name + ": silence up to the sound");
            assertEquals(offset, sink.firstSoundAt, 0.1, name + ": the sound where its timestamps put it");
            assertEquals(2.0, sink.sound / 16_000.0, 0.1, name + ": all of the sound");
            assertEquals(frames, sink.frames, name + ": every frame");
            if (offset <= 1) {
                Utterance u = decoder.decode(film);
                assertEquals(offset + 2, u.audio().durationSeconds(), 0.1, name + ": as one utterance");
                assertTrue(rms(u.audio().samples(), offset + 0.5, offset + 1.5) > 0.05, name + ": the tone after the start");
            }
            return;
        }
        MediaException e = BadInputTest.assertKind(MediaException.Kind.UNSUPPORTED, name, () -> decoder.stream(film, sink));
        assertTrue(e.kind().ofTheFile(), "the same file is refused the same way on every run");
        assertTrue(e.getMessage().contains("25.0 hours without sound") && e.getMessage().contains("a fixed bound")
                && e.getMessage().contains("24.0 hours"), e.getMessage());
        assertTrue(sink.silence / 16_000.0 <= FfmpegMediaDecoder.MAX_SILENCE_SECONDS, name
                + ": no more silence than allowed is given: " + sink.silence / 16_000.0 + " s");
    }

    /**
     * Gaps of under an hour each, as many as a small file holds: each is silence given to the sink a second at a time,
     * which buys no time budget. Before, nothing bounded their sum: 199 gaps of 59.8 minutes in 655 kB of PCM gave a
     * timeline 714,430 s (8.3 days) of silence to walk, 5.9 s of one thread; a file of tiny packets makes that the whole
     * budget (limit_exceeded after 60 s) or, unbudgeted, days. The silence of a file may come to 24 hours in all (or as
     * much as its sound, for a longer one): more is UNSUPPORTED (a fixed bound, not damage), naming the figures, at the
     * gap that crosses it, and the sink is given no more than that. A grid of gap lengths and counts on either side of the line.
     */
    @Test
    void silenceOfGapsInAllIsBounded(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        double[][] grid = {{3590, 24}, {3590, 25}, {1790, 48}, {1790, 49}, {610, 140}, {610, 150}};
        for (double[] g : grid) {
            double gapSeconds = g[0];
            int gaps = (int) g[1];
            String name = String.format(Locale.ROOT, "gaps-%d-of-%.0f.mka", gaps, gapSeconds);
            Path file = HostileMedia.tonesBetweenGaps(dir, name, gaps + 1, 0.1, gapSeconds);
            GapSink sink = new GapSink();
            double total = gaps * gapSeconds;
            if (total <= 24 * 3600) {
                decoder.stream(file, sink);
                assertEquals(total, sink.silence / 16_000.0, 1, name + ": every gap is kept on the clock");
                continue;
            }
            MediaException e = BadInputTest.assertKind(MediaException.Kind.UNSUPPORTED, name,
                    () -> decoder.stream(file, sink, TimeBudget.start(java.time.Duration.ofSeconds(600), 0.5)));
            assertTrue(sink.silence / 16_000.0 <= 24 * 3600, name + ": no more silence than allowed is given: "
                    + sink.silence / 16_000.0 + " s");
            int crossing = (int) Math.floor(24 * 3600 / gapSeconds) + 1;
            assertTrue(e.getMessage().contains(String.format(Locale.ROOT, "%.1f hours without sound in %d gaps",
                    crossing * gapSeconds / 3600, crossing)) && e.getMessage().contains("24.0 hours"), e.getMessage());
        }
    }

    /**
     * An interrupted decoding thread (a request cancelled, a pool shut down) stops inside a gap, as it stops at FFmpeg's
     * next read: before, the rest of the 59-minute gap was given to the sink first, and the stream went on to its end.
     */
    @Test
    void anInterruptStopsTheSilenceOfAGap(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = HostileMedia.tonesBetweenGaps(dir, "interrupted-gap.mka", 2, 0.5, 3540);
        GapSink sink = new GapSink() {
            @Override
            public boolean silence(AudioTrack chunk) {
                if (silentChunks == 0) Thread.currentThread().interrupt();
                return super.silence(chunk);
            }
        };
        try {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> new FfmpegMediaDecoder(TestMediaConfig.defaults()).stream(file, sink));
            assertTrue(dev.moodtag.support.Stopped.explains(e), "stopped, to be retried: " + e);
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, sink.silentChunks, "no second of the gap after the interrupt");
    }
}
