package dev.moodtag.media;

import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The real files shipped in ../shared/samples, decoded by the real FFmpeg. */
class SamplesDecodeTest {
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    @Test
    void sampleMp4HasAudioVideoAndSidecarTranscript() {
        Path mp4 = Fixtures.sample("01-01-01-01-01-01-01.mp4");
        decoder.decode(mp4); // warm-up: native library loading is not decoding time
        long t0 = System.nanoTime();
        Utterance u = decoder.decode(mp4);
        System.out.printf("decoded %s in %.0f ms%n", mp4.getFileName(), (System.nanoTime() - t0) / 1e6);

        assertEquals("01-01-01-01-01-01-01.mp4", u.source());
        assertTrue(u.missing().isEmpty(), () -> "missing: " + u.missing());
        AudioTrack audio = u.audioTrack().orElseThrow();
        assertEquals(16_000, audio.sampleRate());
        assertEquals(52_800, audio.samples().length, 800, "3.30 s at 16 kHz");
        VideoTrack video = u.videoTrack().orElseThrow();
        // 3.3 s at 5 fps, plus one where the second part of the video starts (each part is sampled from its first frame)
        assertTrue(video.frames().size() >= 16 && video.frames().size() <= 16 + video.partStarts().size(),
                "frames: " + video.frames().size());
        assertEquals(5, video.sampledFps());
        assertEquals(29.97, video.sourceFps(), 0.01);
        VideoFrame first = video.frames().get(0);
        assertEquals(640, first.width());
        assertEquals(360, first.height());
        assertEquals(0, first.timestampSeconds(), 0.05);
        for (int i = 1; i < video.frames().size(); i++) {
            double gap = video.frames().get(i).timestampSeconds() - video.frames().get(i - 1).timestampSeconds();
            // A part is sampled from its own first frame, which can fall between two 0.2 s instants: the gaps on either
            // side of it are then shorter.
            if (video.partStarts().contains(i) || video.partStarts().contains(i - 1))
                assertTrue(gap > 0 && gap < 0.27, "gap at a part start: " + gap);
            // B-frames are skipped by default, so a sample may land up to two source frames (67 ms) late.
            else assertEquals(0.2, gap, 0.07);
        }
        assertEquals("Kids are talking by the door.", u.transcriptText().orElseThrow().text());
        assertEquals("01-01-01-01-01-01-01.txt", u.transcript().origin());
        assertAudioInRange(audio);
    }

    @Test
    void emoDbWavDecodesToTheSameSamplesAsItsPcm() {
        Path wav = Fixtures.sample("03b01Wa.wav");
        Utterance u = decoder.decode(wav);
        float[] expected = Fixtures.readWav16k(wav).samples();
        float[] actual = u.audioTrack().orElseThrow().samples();
        assertEquals(expected.length, actual.length, "16 kHz mono needs no resampling: every sample survives");
        assertEquals(2.18, actual.length / 16_000.0, 0.01);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-6f, "sample " + i);
        assertTrue(u.whyMissing(Modality.VIDEO).orElseThrow().contains("no video stream in 03b01Wa.wav"));
        assertTrue(u.whyMissing(Modality.TEXT).orElseThrow().contains("03b01Wa.txt"));
    }

    @Test
    void jpgIsOneGreyFrameWithSpeechMissing() {
        for (String name : new String[]{"Cole_Chapman_0001.jpg", "Junichi_Inamoto_0001.jpg", "John_Brady_0002.jpg"}) {
            Utterance u = decoder.decode(Fixtures.sample(name));
            VideoTrack video = u.videoTrack().orElseThrow();
            assertEquals(1, video.frames().size(), name);
            assertEquals(0, video.sampledFps());
            VideoFrame f = video.frames().get(0);
            assertEquals(350, f.width());
            assertEquals(350, f.height());
            assertEquals(f.channel(175, 175, 0), f.channel(175, 175, 1), 2, "greyscale: R = G");
            assertEquals(f.channel(175, 175, 1), f.channel(175, 175, 2), 2, "greyscale: G = B");
            assertTrue(u.whyMissing(Modality.SPEECH).orElseThrow().contains(name));
            assertTrue(u.audioTrack().isEmpty());
        }
    }

    @Test
    void decodingTwiceGivesIdenticalArrays() {
        Path mp4 = Fixtures.sample("01-01-01-01-01-01-01.mp4");
        Utterance a = decoder.decode(mp4);
        Utterance b = decoder.decode(mp4);
        assertArrayEquals(a.audio().samples(), b.audio().samples());
        assertEquals(a.video().frames().size(), b.video().frames().size());
        for (int i = 0; i < a.video().frames().size(); i++) {
            assertArrayEquals(a.video().frames().get(i).rgb(), b.video().frames().get(i).rgb(), "frame " + i);
            assertEquals(a.video().frames().get(i).timestampSeconds(), b.video().frames().get(i).timestampSeconds());
        }
    }

    /**
     * The sample film decoded on three threads: the audio, and the video in two parts split at the keyframe nearest
     * its middle. The samples are exactly those of one pass, and so are the frames, but for one more at the start of
     * the second part (it is sampled from its own first frame).
     */
    @Test
    void theSampleFilmDecodedInParallelPartsGivesWhatOnePassGives() {
        Path mp4 = Fixtures.sample("01-01-01-01-01-01-01.mp4");
        assertEquals(2.0, decoder.splitSeconds(mp4).orElseThrow(), 0.1, "split at the keyframe nearest the middle");
        Utterance parallel = decoder.decode(mp4);
        Utterance onePass = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(false)).decode(mp4);
        assertArrayEquals(onePass.audio().samples(), parallel.audio().samples());
        assertEquals(2, parallel.video().partStarts().size(), "decoded in two parts");
        assertEquals(java.util.List.of(0), onePass.video().partStarts());
        assertSameFramesButAtPartStarts(onePass.video(), parallel.video());
    }

    /** Every frame of one pass is in {@code parts}, identical; any other frame of {@code parts} starts a part. */
    static void assertSameFramesButAtPartStarts(VideoTrack onePass, VideoTrack parts) {
        java.util.Map<Double, VideoFrame> byTime = new java.util.HashMap<>();
        for (VideoFrame f : parts.frames()) byTime.put(f.timestampSeconds(), f);
        for (VideoFrame f : onePass.frames()) {
            VideoFrame same = byTime.get(f.timestampSeconds());
            assertNotNull(same, "the frame at " + f.timestampSeconds() + " s is decoded in parts too");
            assertArrayEquals(f.rgb(), same.rgb(), "pixels of the frame at " + f.timestampSeconds() + " s");
        }
        java.util.Set<Double> onePassTimes = new java.util.HashSet<>();
        onePass.frames().forEach(f -> onePassTimes.add(f.timestampSeconds()));
        for (int i = 0; i < parts.frames().size(); i++) {
            if (onePassTimes.contains(parts.frames().get(i).timestampSeconds())) continue;
            assertTrue(parts.partStarts().contains(i), "frame " + i + " is new but does not start a part");
        }
    }

    static void assertAudioInRange(AudioTrack audio) {
        for (float s : audio.samples()) assertTrue(s >= -1f && s <= 1f && !Float.isNaN(s), "sample " + s);
    }

    @Test
    void skippingBFramesSamplesTheSameFramesAsDecodingEveryFrame() {
        Path mp4 = Fixtures.sample("01-01-01-01-01-01-01.mp4");
        VideoTrack skipping = new FfmpegMediaDecoder(TestMediaConfig.defaults()).decode(mp4).video();
        VideoTrack full = new FfmpegMediaDecoder(TestMediaConfig.defaults().withSkipBidirectionalFrames(false))
                .decode(mp4).video();
        assertEquals(full.frames().size(), skipping.frames().size());
        int identical = 0;
        for (int i = 0; i < full.frames().size(); i++) {
            VideoFrame f = full.frames().get(i), s = skipping.frames().get(i);
            // Without B-frames the sampler takes the next reference frame: at most two source frames later.
            assertEquals(f.timestampSeconds(), s.timestampSeconds(), 0.0701, "frame " + i);
            if (f.timestampSeconds() == s.timestampSeconds()) {
                assertArrayEquals(f.rgb(), s.rgb(), "a reference frame decodes the same either way: frame " + i);
                identical++;
            }
        }
        assertTrue(identical > 0, "no frame sampled at the same time");
    }
}
