package dev.moodtag.media;

import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.junit.jupiter.api.Assertions.*;

/** {@link MediaDecoder#stream} hands out a long file piece by piece, in order, and stops when asked. */
class StreamingTest {
    static final double LONG_SECONDS = 600;
    private static Path tenMinutes;
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    @BeforeAll
    static void generate() throws Exception {
        // 22.05 kHz so that every chunk goes through the resampler.
        tenMinutes = GeneratedContainersTest.audioOnly("wav", AV_CODEC_ID_PCM_S16LE, 22_050, 1)
                .seconds(LONG_SECONDS).write("ten-minutes.wav");
    }

    /** Counts what it receives without keeping it, as a segmenter would. */
    static class CountingSink implements MediaSink {
        final double stopAfterSeconds;
        StreamInfo info;
        long samples;
        int chunks;
        int largestChunk;
        long zeroCrossings;
        float last;
        boolean ended;
        final List<VideoFrame> frames = new ArrayList<>();
        final List<String> order = new ArrayList<>();

        CountingSink(double stopAfterSeconds) {
            this.stopAfterSeconds = stopAfterSeconds;
        }

        @Override
        public void start(StreamInfo info) {
            this.info = info;
        }

        @Override
        public boolean audio(AudioTrack chunk) {
            assertEquals(16_000, chunk.sampleRate());
            assertEquals(samples / 16_000.0, chunk.startSeconds(), 1e-9, "chunk starts where the previous ended");
            for (float s : chunk.samples()) {
                if ((last < 0) != (s < 0)) zeroCrossings++;
                last = s;
            }
            samples += chunk.samples().length;
            chunks++;
            largestChunk = Math.max(largestChunk, chunk.samples().length);
            order.add("A" + chunk.startSeconds());
            return samples < stopAfterSeconds * 16_000;
        }

        @Override
        public boolean frame(VideoFrame frame) {
            frames.add(frame);
            order.add("V" + frame.timestampSeconds());
            return true;
        }

        @Override
        public void end() {
            ended = true;
        }
    }

    @Test
    void tenMinuteFileArrivesInSmallOrderedChunks() {
        CountingSink sink = new CountingSink(Double.MAX_VALUE);
        long t0 = System.nanoTime();
        decoder.stream(tenMinutes, sink);
        System.out.printf("streamed %.0f s of 22.05 kHz wav to 16 kHz in %.0f ms, %d chunks%n",
                LONG_SECONDS, (System.nanoTime() - t0) / 1e6, sink.chunks);

        assertTrue(sink.ended);
        assertEquals(LONG_SECONDS, sink.info.declaredSeconds(), 0.01);
        assertEquals(22_050, sink.info.sourceSampleRate());
        assertEquals(LONG_SECONDS * 16_000, sink.samples, 64, "every sample, once");
        assertTrue(sink.largestChunk <= 16_000, "no chunk over 1 s: the decoder does not gather the file; largest "
                + sink.largestChunk);
        assertTrue(sink.chunks >= LONG_SECONDS, "many chunks: " + sink.chunks);
        assertEquals(440, sink.zeroCrossings / 2.0 / LONG_SECONDS, 0.5, "the tone survives resampling intact");
    }

    @Test
    void sinkCanStopEarly() {
        CountingSink sink = new CountingSink(5);
        long t0 = System.nanoTime();
        decoder.stream(tenMinutes, sink);
        double ms = (System.nanoTime() - t0) / 1e6;
        assertTrue(sink.ended);
        assertEquals(5, sink.samples / 16_000.0, 1, "stopped after about 5 s of audio");
        assertTrue(ms < 2_000, "stopping early does not decode the rest: " + ms + " ms");
    }

    @Test
    void sampleMp4StreamsAudioAndFramesInterleavedInOrder() {
        CountingSink sink = new CountingSink(Double.MAX_VALUE);
        decoder.stream(Fixtures.sample("01-01-01-01-01-01-01.mp4"), sink);
        StreamInfo info = sink.info;
        assertTrue(info.hasAudio() && info.hasVideo() && !info.stillImage());
        assertEquals(48_000, info.sourceSampleRate());
        assertEquals(2, info.sourceChannels());
        assertEquals(1280, info.sourceWidth());
        assertEquals(720, info.sourceHeight());
        assertEquals(640, info.frameWidth());
        assertEquals(360, info.frameHeight());
        assertEquals(5, info.sampledFps());
        assertEquals(3.30, info.declaredSeconds(), 0.05);
        assertTrue(sink.frames.size() >= 16);
        assertEquals(52_800, sink.samples, 800);
        // Interleaved in file order, not all audio and then all video: pushing never needs a whole stream.
        int firstFrame = sink.order.indexOf("V" + sink.frames.get(0).timestampSeconds());
        int lastAudio = 0;
        for (int i = 0; i < sink.order.size(); i++) if (sink.order.get(i).startsWith("A")) lastAudio = i;
        assertTrue(firstFrame < lastAudio / 4, "first frame at " + firstFrame + " of " + sink.order.size());
        for (int i = 1; i < sink.frames.size(); i++)
            assertTrue(sink.frames.get(i).timestampSeconds() > sink.frames.get(i - 1).timestampSeconds());
    }
}
