package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.moodtag.media.TestMediaWriter.BLUE;
import static dev.moodtag.media.TestMediaWriter.RED;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every container the FFmpeg here can write, generated with a 440 Hz tone and red-then-blue frames, then decoded.
 * Sources are 320x240 at 25 fps; the decoder is set to frames of at most 160 px, so scaling is exercised too.
 */
class GeneratedContainersTest {
    static final double SECONDS = 2;
    static final double TONE_HZ = 440;
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFrameSide(160));

    record Case(String file, TestMediaWriter writer, boolean audio, boolean video) {
        @Override
        public String toString() {
            return file;
        }
    }

    static TestMediaWriter av(String format, int videoCodec, int audioCodec, int rate, int channels) {
        return TestMediaWriter.format(format).seconds(SECONDS).toneHz(TONE_HZ)
                .video(videoCodec, 320, 240, 25).audio(audioCodec, rate, channels);
    }

    static TestMediaWriter audioOnly(String format, int audioCodec, int rate, int channels) {
        return TestMediaWriter.format(format).seconds(SECONDS).toneHz(TONE_HZ).audio(audioCodec, rate, channels);
    }

    static Stream<Case> containers() {
        return Stream.of(
                new Case("av.mp4", av("mp4", AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000, 2), true, true),
                new Case("av.mkv", av("matroska", AV_CODEC_ID_H264, AV_CODEC_ID_OPUS, 48_000, 2), true, true),
                new Case("av.webm", av("webm", AV_CODEC_ID_VP8, AV_CODEC_ID_OPUS, 48_000, 2), true, true),
                new Case("av.avi", av("avi", AV_CODEC_ID_MPEG4, AV_CODEC_ID_MP3, 44_100, 2), true, true),
                new Case("av.flv", av("flv", AV_CODEC_ID_FLV1, AV_CODEC_ID_AAC, 44_100, 2), true, true),
                new Case("av.mov", av("mov", AV_CODEC_ID_MJPEG, AV_CODEC_ID_PCM_S16LE, 44_100, 2)
                        .pixelFormat(AV_PIX_FMT_YUVJ420P), true, true),
                new Case("video-only.mp4", TestMediaWriter.format("mp4").seconds(SECONDS)
                        .video(AV_CODEC_ID_MPEG4, 320, 240, 25), false, true),
                new Case("tone-44k1-stereo.wav", audioOnly("wav", AV_CODEC_ID_PCM_S16LE, 44_100, 2), true, false),
                new Case("tone-48k-stereo.flac", audioOnly("flac", AV_CODEC_ID_FLAC, 48_000, 2), true, false),
                new Case("tone-44k1-stereo.mp3", audioOnly("mp3", AV_CODEC_ID_MP3, 44_100, 2), true, false),
                new Case("tone-vorbis.ogg", audioOnly("ogg", AV_CODEC_ID_VORBIS, 44_100, 2)
                        .audioOption("strict", "experimental"), true, false),
                new Case("tone-48k-mono.opus", audioOnly("opus", AV_CODEC_ID_OPUS, 48_000, 1), true, false),
                new Case("tone-44k1-stereo.m4a", audioOnly("ipod", AV_CODEC_ID_AAC, 44_100, 2), true, false),
                new Case("tone-22k05-mono.wav", audioOnly("wav", AV_CODEC_ID_PCM_F32LE, 22_050, 1), true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void generatedFileDecodesToItsToneAndFrames(Case c) throws Exception {
        Path file = c.writer().write(c.file());
        Utterance u = decoder.decode(file);

        assertEquals(c.file(), u.source());
        assertTrue(u.whyMissing(Modality.TEXT).isPresent());
        if (c.audio()) {
            AudioTrack audio = u.audioTrack().orElseThrow(() -> new AssertionError("no audio: " + u.missing()));
            assertEquals(SECONDS, audio.durationSeconds(), 0.1, "duration");
            assertEquals(SECONDS * 16_000, audio.samples().length, 1600, "samples at 16 kHz");
            assertEquals(TONE_HZ, AudioChecks.frequency(audio), TONE_HZ * 0.02, "tone after resampling to 16 kHz");
            assertEquals(0.5 / Math.sqrt(2), AudioChecks.rms(audio), 0.04, "level: channels averaged, not summed");
            SamplesDecodeTest.assertAudioInRange(audio);
        } else {
            assertTrue(u.audioTrack().isEmpty());
            assertEquals("no audio stream in " + c.file(), u.whyMissing(Modality.SPEECH).orElseThrow());
        }
        if (c.video()) {
            List<VideoFrame> frames = u.videoTrack().orElseThrow(() -> new AssertionError("no video: " + u.missing()))
                    .frames();
            assertEquals(SECONDS * 5, frames.size(), 1, "frames sampled at 5 fps");
            for (int i = 0; i < frames.size(); i++) {
                VideoFrame f = frames.get(i);
                assertEquals(160, f.width(), "scaled from 320");
                assertEquals(120, f.height(), "scaled from 240");
                if (i > 0) assertTrue(f.timestampSeconds() > frames.get(i - 1).timestampSeconds());
                double t = f.timestampSeconds();
                if (t < SECONDS / 2 - 0.2) assertColour(RED, f, "frame at " + t);
                if (t > SECONDS / 2 + 0.2) assertColour(BLUE, f, "frame at " + t);
            }
        } else {
            assertTrue(u.videoTrack().isEmpty());
            assertEquals("no video stream in " + c.file(), u.whyMissing(Modality.VIDEO).orElseThrow());
        }
    }

    /**
     * Decoded on up to three threads (the audio, and the video in two parts where the container indexes a keyframe
     * near the middle), the utterance is the one a single pass gives, but for one more frame where a part starts; the
     * listener hears the same audio track once and every kept frame of each part, in order, as they are decoded.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void parallelDecodingGivesWhatOnePassGivesAndTellsTheListener(Case c) throws Exception {
        Path file = c.writer().write(c.file());
        TestMediaConfig config = TestMediaConfig.defaults().withMaxFrameSide(160);
        FfmpegMediaDecoder parallel = new FfmpegMediaDecoder(config.withParallelDecoding(true));
        // The 2 s films have a keyframe every 12 frames: those whose container indexes them at opening are split.
        // (FFmpeg reads Matroska's index only at the first seek, so Matroska and WebM films decode in one part.)
        if (c.file().endsWith(".mp4") || c.file().endsWith(".avi") || c.file().endsWith(".mov"))
            assertTrue(parallel.splitSeconds(file).isPresent(), "the video of " + c.file() + " is split");
        Utterance onePass = new FfmpegMediaDecoder(config.withParallelDecoding(false)).decode(file);
        RecordingListener heard = new RecordingListener();
        Utterance inParts = parallel.decode(file, null, heard);

        assertArrayEquals(onePass.audioTrack().map(AudioTrack::samples).orElse(null),
                inParts.audioTrack().map(AudioTrack::samples).orElse(null), "audio samples");
        if (c.video()) {
            SamplesDecodeTest.assertSameFramesButAtPartStarts(onePass.video(), inParts.video());
            VideoTrack v = inParts.video();
            List<List<VideoFrame>> parts = v.parts();
            for (int p = 0; p < parts.size(); p++)
                assertEquals(parts.get(p), heard.frames.getOrDefault(p, List.of()), "the frames of part " + p);
            assertEquals(parts.size(), heard.frames.size());
        }
        assertEquals(onePass.missing(), inParts.missing());

        assertEquals(1, heard.early.size(), "audio and text announced once");
        Utterance early = heard.early.get(0);
        assertSame(inParts.audio(), early.audio(), "the very track the utterance holds");
        assertEquals(inParts.whyMissing(Modality.SPEECH), early.whyMissing(Modality.SPEECH));
        assertEquals(inParts.whyMissing(Modality.TEXT), early.whyMissing(Modality.TEXT));
        assertTrue(early.videoTrack().isEmpty(), "no video in the early utterance");
    }

    /** What a {@link DecodeListener} heard, from whichever threads. */
    static final class RecordingListener implements DecodeListener {
        final List<Utterance> early = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.Map<Integer, List<VideoFrame>> frames = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void audioAndText(Utterance withoutVideo) {
            early.add(withoutVideo);
        }

        @Override
        public void frame(int part, VideoFrame frame) {
            frames.computeIfAbsent(part, p -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(frame);
        }
    }

    private static List<VideoFrame> frames(Utterance u) {
        return u.videoTrack().map(VideoTrack::frames).orElse(List.of());
    }

    @Test
    void aFailureWhileTheAudioIsDecodedBesideTheVideoStopsBothAndIsReportedAsItWas() throws Exception {
        Path mkv = av("matroska", AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000, 2).seconds(4).write("failing-listener.mkv");
        IllegalStateException boom = new IllegalStateException("listener failed");
        FfmpegMediaDecoder d = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFrameSide(160));
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> d.decode(mkv, null,
                new DecodeListener() {
                    @Override
                    public void audioAndText(Utterance withoutVideo) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertEquals(4.0, d.decode(mkv).audioTrack().orElseThrow().durationSeconds(), 0.1, "the decoder still works");
    }

    @Test
    void surroundIsFoldedToMonoAt16k() throws Exception {
        Path flac = audioOnly("flac", AV_CODEC_ID_FLAC, 48_000, 6).write("tone-5.1.flac");
        StreamingTest.CountingSink sink = new StreamingTest.CountingSink(Double.MAX_VALUE);
        decoder.stream(flac, sink);
        assertEquals(6, sink.info.sourceChannels());
        AudioTrack audio = decoder.decode(flac).audioTrack().orElseThrow();
        assertEquals(SECONDS * 16_000, audio.samples().length, 160);
        assertEquals(TONE_HZ, AudioChecks.frequency(audio), TONE_HZ * 0.02);
        assertTrue(AudioChecks.rms(audio) > 0.2, "the tone is there, at " + AudioChecks.rms(audio));
    }

    /**
     * Surround was folded to stereo with FFmpeg's ITU coefficients (centre and surrounds at -3 dB, LFE left out) but not
     * normalised, so the same 0.5 tone on every channel came out at RMS 0.79 for 5.1 and 0.85 for 7.1, clipped at full
     * scale, against 0.353 in mono or stereo. The fold keeps those proportions, normalised: any layout's mix of one
     * tone keeps the tone's level, and nothing clips.
     */
    @Test
    void surroundKeepsTheLevelOfMonoAndDoesNotClip() throws Exception {
        double mono = AudioChecks.rms(decoder.decode(TestMediaWriter.format("adts")
                .audio(AV_CODEC_ID_AAC, 16_000, 1).seconds(3).write("level-1.aac")).audioTrack().orElseThrow());
        assertEquals(0.5 / Math.sqrt(2), mono, 0.01);
        // AAC given the bit rate per channel of the mono file (at 64 kb/s for all six, its artefacts alone peak at 0.7)
        for (int channels : new int[]{4, 5, 6, 8}) {
            AudioTrack audio = decoder.decode(TestMediaWriter.format("adts").audio(AV_CODEC_ID_AAC, 16_000, channels)
                    .audioOption("b", String.valueOf(64_000 * channels)).seconds(3)
                    .write("level-" + channels + ".aac")).audioTrack().orElseThrow();
            assertEquals(mono, AudioChecks.rms(audio), 0.02, channels + " channels of AAC keep the level of mono");
            assertTrue(peak(audio) < 0.6, channels + " channels of AAC do not clip: peak " + peak(audio));
        }
        for (int channels = 3; channels <= 8; channels++) {
            AudioTrack audio = decoder.decode(audioOnly("flac", AV_CODEC_ID_FLAC, 16_000, channels)
                    .write("level-" + channels + ".flac")).audioTrack().orElseThrow();
            assertEquals(mono, AudioChecks.rms(audio), 0.02, channels + " channels of FLAC keep the level of mono");
            assertTrue(peak(audio) < 0.51, channels + " channels of FLAC do not clip: peak " + peak(audio));
        }
        // 3.0, quad, 5.1(side), 7.1 and 7.1(wide) from a WAV's channel mask
        for (int mask : new int[]{0x7, 0x33, 0x60F, 0x63F, 0xFF}) {
            int channels = Integer.bitCount(mask);
            AudioTrack audio = decoder.decode(wavWithLayout(channels, mask, -1)).audioTrack().orElseThrow();
            assertEquals(mono, AudioChecks.rms(audio), 0.02, "layout 0x" + Integer.toHexString(mask) + " keeps the level");
            assertTrue(peak(audio) < 0.51, "layout 0x" + Integer.toHexString(mask) + " does not clip: " + peak(audio));
        }
        // The proportions are the standard's: in 5.1 the centre counts sqrt(2) times a front channel, LFE nothing.
        double centre = AudioChecks.rms(decoder.decode(wavWithLayout(6, 0x3F, 2)).audioTrack().orElseThrow());
        double left = AudioChecks.rms(decoder.decode(wavWithLayout(6, 0x3F, 0)).audioTrack().orElseThrow());
        assertEquals(Math.sqrt(2), centre / left, 0.02);
        assertEquals(0, AudioChecks.rms(decoder.decode(wavWithLayout(6, 0x3F, 3)).audioTrack().orElseThrow()), 1e-3);
    }

    private static double peak(AudioTrack audio) {
        double peak = 0;
        for (float s : audio.samples()) peak = Math.max(peak, Math.abs(s));
        return peak;
    }

    /**
     * A 2 s, 16 kHz, 16-bit WAVE_FORMAT_EXTENSIBLE file whose channel mask names the layout: a 440 Hz tone at 0.5 on
     * channel {@code only} (every channel when negative), silence on the others.
     */
    static Path wavWithLayout(int channels, int mask, int only) throws Exception {
        int frames = 32_000, data = frames * channels * 2;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(68 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(60 + data).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(40)
                .putShort((short) 0xFFFE).putShort((short) channels).putInt(16_000).putInt(16_000 * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16).putShort((short) 22).putShort((short) 16).putInt(mask)
                // the PCM sub-format GUID
                .put(new byte[]{1, 0, 0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xaa, 0, 0x38, (byte) 0x9b, 0x71})
                .put("data".getBytes()).putInt(data);
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < channels; c++)
                b.putShort((short) (only < 0 || only == c ? 16_384 * Math.sin(2 * Math.PI * 440 * i / 16_000.0) : 0));
        java.nio.file.Files.createDirectories(TestMediaWriter.DIR);
        return java.nio.file.Files.write(TestMediaWriter.DIR.resolve(
                "layout-" + Integer.toHexString(mask) + (only < 0 ? "" : "-only-" + only) + ".wav"), b.array());
    }

    /** A valid 1 s, 16 kHz, 16-bit PCM WAV of a 764 Hz tone on every one of {@code channels} channels. */
    private static Path wavOfChannels(int channels) throws Exception {
        int frames = 16_000, data = frames * channels * 2;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(16_000).putInt(16_000 * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16).put("data".getBytes()).putInt(data);
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < channels; c++) b.putShort((short) (10_000 * Math.sin(2 * Math.PI * 764 * i / 16_000.0)));
        java.nio.file.Files.createDirectories(TestMediaWriter.DIR);
        Path p = TestMediaWriter.DIR.resolve("channels-" + channels + ".wav");
        java.nio.file.Files.write(p, b.array());
        return p;
    }

    @Test
    void microphoneArraysOfAnyChannelCountDecodeToTheirTone() throws Exception {
        // 9, 32 and 64 channels have no layout FFmpeg can fold to stereo: they failed as CORRUPT ("decoding failed
        // part-way (Invalid argument)") while 3, 8 and 16 decoded.
        for (int channels : new int[]{1, 2, 3, 8, 9, 16, 32, 64}) {
            AudioTrack audio = decoder.decode(wavOfChannels(channels)).audioTrack().orElseThrow();
            assertEquals(16_000, audio.samples().length, 160, channels + " channels");
            assertEquals(764, AudioChecks.frequency(audio), 764 * 0.02, channels + " channels");
            assertEquals(10_000 / 32_768.0 / Math.sqrt(2), AudioChecks.rms(audio), 0.03, channels + " channels keep the level");
        }
    }

    /**
     * Valid WAVs whose channel mask names a layout FFmpeg's resampler has no mix for (no front channel, or one of a pair
     * without the other) failed part-way as CORRUPT ("decoding failed part-way (Invalid argument)"): a valid file
     * called damaged. Their channels are averaged as they are, like a mask of 0, at the level of mono.
     */
    @Test
    void unusualChannelLayoutsDecodeToTheirTone() throws Exception {
        double mono = 0.5 / Math.sqrt(2);
        // back pair, side pair, front left + centre, front pair + back left, back and side pairs, front left alone
        for (int mask : new int[]{0x30, 0x600, 0x5, 0x13, 0x630, 0x1}) {
            String layout = "layout 0x" + Integer.toHexString(mask);
            Path wav = wavWithLayout(Integer.bitCount(mask), mask, -1);
            AudioTrack audio = decoder.decode(wav).audioTrack().orElseThrow();
            assertEquals(32_000, audio.samples().length, 160, layout);
            assertEquals(TONE_HZ, AudioChecks.frequency(audio), TONE_HZ * 0.02, layout);
            assertEquals(mono, AudioChecks.rms(audio), 0.02, layout + " keeps the level of mono");
            StreamingTest.CountingSink sink = new StreamingTest.CountingSink(Double.MAX_VALUE);
            decoder.stream(wav, sink);
            assertEquals(Integer.bitCount(mask), sink.info.sourceChannels(), layout);
        }
    }

    @Test
    void aPhoneVideoWithADisplayRotationIsTurnedUprightAsAPlayerShowsIt() throws Exception {
        // 320x240 pictures, red in the top-left quadrant, blue elsewhere. Before, frames came out as stored: a
        // portrait phone video reached the face detector lying on its side.
        for (int rotation : new int[]{0, 90, 180, 270}) {
            Path mp4 = TestMediaWriter.DIR.resolve("quadrant-rotated-" + rotation + ".mp4");
            java.nio.file.Files.createDirectories(TestMediaWriter.DIR);
            try (org.bytedeco.javacv.FFmpegFrameRecorder r = new org.bytedeco.javacv.FFmpegFrameRecorder(mp4.toFile(), 320, 240, 0)) {
                r.setFormat("mp4");
                r.setVideoCodec(AV_CODEC_ID_MPEG4);
                r.setVideoQuality(2);
                r.setFrameRate(25);
                r.setDisplayRotation(rotation);
                r.start();
                java.nio.ByteBuffer px = java.nio.ByteBuffer.allocateDirect(320 * 240 * 3);
                for (int y = 0; y < 240; y++)
                    for (int x = 0; x < 320; x++) px.put((byte) (x < 160 && y < 120 ? 255 : 0)).put((byte) 0).put((byte) (x < 160 && y < 120 ? 0 : 255));
                for (int i = 0; i < 10; i++)
                    r.recordImage(320, 240, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3, 960, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24, px.clear());
                r.stop();
            }
            // What the file says, read with FFmpeg's own av_display_rotation_get: degrees counterclockwise
            int turns;
            try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(mp4.toFile())) {
                g.start();
                turns = FfmpegMediaDecoder.displayQuarterTurns(g);
            }
            assertEquals(rotation == 0 ? 0 : 1, Math.min(turns, 1), "the file carries the rotation " + rotation);
            VideoFrame f = decoder.decode(mp4).videoTrack().orElseThrow().frames().get(0);
            boolean sideways = turns % 2 == 1;
            assertEquals(sideways ? "120x160" : "160x120", f.width() + "x" + f.height(), "rotation " + rotation);
            // Where the red quadrant is after turning counterclockwise by `turns` quarter turns
            boolean redLeft = turns == 0 || turns == 1, redTop = turns == 0 || turns == 3;
            int x = redLeft ? f.width() / 4 : 3 * f.width() / 4, y = redTop ? f.height() / 4 : 3 * f.height() / 4;
            int at = 3 * (y * f.width() + x);
            assertTrue((f.rgb()[at] & 0xff) > 200 && (f.rgb()[at + 2] & 0xff) < 60,
                    "rotation " + rotation + " (" + turns + " turns): red at " + x + "," + y + ", found "
                            + (f.rgb()[at] & 0xff) + "/" + (f.rgb()[at + 2] & 0xff));
        }
    }

    @Test
    void aPhotoWithAnExifOrientationIsTurnedUpright() throws Exception {
        // A 320x240 JPEG, red in the top-left quadrant, with an EXIF orientation tag as cameras write it (6: shown
        // turned 90 degrees clockwise, 3: 180, 8: 90 anticlockwise). Before, photos were read as stored.
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(320, 240, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) for (int x = 0; x < 320; x++) img.setRGB(x, y, x < 160 && y < 120 ? 0xff0000 : 0x0000ff);
        java.io.ByteArrayOutputStream jpg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpg", jpg);
        byte[] plain = jpg.toByteArray();
        java.nio.file.Files.createDirectories(TestMediaWriter.DIR);
        // orientation → (sideways, red left, red top) as a viewer shows it
        for (int[] o : new int[][]{{1, 0, 1, 1}, {6, 1, 0, 1}, {3, 0, 0, 0}, {8, 1, 1, 0}}) {
            byte[] app1 = {(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0,
                    1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) o[0], 0, 0, 0, 0, 0, 0, 0};
            byte[] tagged = new byte[plain.length + app1.length];
            System.arraycopy(plain, 0, tagged, 0, 2); // after the start-of-image marker
            System.arraycopy(app1, 0, tagged, 2, app1.length);
            System.arraycopy(plain, 2, tagged, 2 + app1.length, plain.length - 2);
            Path photo = TestMediaWriter.DIR.resolve("quadrant-exif-" + o[0] + ".jpg");
            java.nio.file.Files.write(photo, tagged);
            VideoFrame f = decoder.decode(photo).videoTrack().orElseThrow().frames().get(0);
            assertEquals(o[1] == 1 ? "120x160" : "160x120", f.width() + "x" + f.height(), "orientation " + o[0]);
            int x = o[2] == 1 ? f.width() / 4 : 3 * f.width() / 4, y = o[3] == 1 ? f.height() / 4 : 3 * f.height() / 4;
            int at = 3 * (y * f.width() + x);
            assertTrue((f.rgb()[at] & 0xff) > 200 && (f.rgb()[at + 2] & 0xff) < 60, "orientation " + o[0] + ": red at "
                    + x + "," + y + ", found " + (f.rgb()[at] & 0xff) + "/" + (f.rgb()[at + 2] & 0xff));
        }
    }

    @Test
    void framesStopAtMaxFramesWhileAudioRunsToTheEnd() throws Exception {
        Path mp4 = av("matroska", AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000, 2).seconds(4).write("max-frames.mkv");
        Utterance u = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFrameSide(160).withMaxFrames(3)).decode(mp4);
        List<VideoFrame> frames = u.videoTrack().orElseThrow().frames();
        assertEquals(3, frames.size());
        assertEquals(0.4, frames.get(2).timestampSeconds(), 0.05);
        assertEquals(4.0, u.audioTrack().orElseThrow().durationSeconds(), 0.1, "audio is decoded to the end");
    }

    @Test
    void generatedPngAndJpgAreOneRedFrame() throws Exception {
        Path png = TestMediaWriter.format("image2").video(AV_CODEC_ID_PNG, 300, 200, 1)
                .pixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24).write("red.png");
        Path jpg = TestMediaWriter.format("image2").video(AV_CODEC_ID_MJPEG, 1000, 500, 1)
                .pixelFormat(AV_PIX_FMT_YUVJ420P).write("red.jpg");
        FfmpegMediaDecoder defaults = new FfmpegMediaDecoder(TestMediaConfig.defaults());

        VideoFrame p = only(defaults.decode(png));
        assertEquals(300, p.width(), "never scaled up");
        assertEquals(200, p.height());
        assertColour(RED, p, "png");
        VideoFrame j = only(defaults.decode(jpg));
        assertEquals(640, j.width(), "scaled down to the 640 px default");
        assertEquals(320, j.height());
        assertColour(RED, j, "jpg");
    }

    private static VideoFrame only(Utterance u) {
        assertTrue(u.whyMissing(Modality.SPEECH).orElseThrow().contains("still image"));
        assertEquals(1, u.videoTrack().orElseThrow().frames().size());
        return u.videoTrack().orElseThrow().frames().get(0);
    }

    /** Checks the upper middle of the frame, away from the moving white box at the bottom. */
    static void assertColour(int[] rgb, VideoFrame f, String what) {
        int x = f.width() / 2, y = f.height() / 3;
        for (int c = 0; c < 3; c++)
            assertEquals(rgb[c], f.channel(x, y, c), 40, what + " channel " + c);
    }
}
