package dev.moodtag.media;

import org.bytedeco.javacv.FFmpegFrameRecorder;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * Writes test media with the real FFmpeg encoders: a sine tone (the same in every channel) and frames that are
 * red for the first half of the clip and blue for the second, with a white box moving along the bottom.
 */
public final class TestMediaWriter {
    static final Path DIR = Path.of("target", "media-test-files");
    static final int[] RED = {255, 0, 0};
    static final int[] BLUE = {0, 0, 255};

    private final String format;
    private int videoCodec = AV_CODEC_ID_NONE;
    private int width, height, pixelFormat = AV_PIX_FMT_YUV420P;
    private double fps = 25;
    private int audioCodec = AV_CODEC_ID_NONE;
    private int sampleRate, channels;
    private double seconds = 2;
    private double toneHz = 440;
    private int videoQuality = 4;
    private final Map<String, String> muxerOptions = new LinkedHashMap<>();
    private final Map<String, String> audioOptions = new LinkedHashMap<>();

    private TestMediaWriter(String format) {
        this.format = format;
    }

    /** @param format an FFmpeg muxer name (mp4, matroska, webm, avi, flv, wav, flac, mp3, ogg, ipod, image2, ...) */
    static TestMediaWriter format(String format) {
        return new TestMediaWriter(format);
    }

    TestMediaWriter video(int codec, int width, int height, double fps) {
        this.videoCodec = codec;
        this.width = width;
        this.height = height;
        this.fps = fps;
        return this;
    }

    /** FFmpeg's constant quality, 1 (best) to 31 (smallest); 4 by default. */
    TestMediaWriter quality(int q) {
        this.videoQuality = q;
        return this;
    }

    TestMediaWriter pixelFormat(int pixelFormat) {
        this.pixelFormat = pixelFormat;
        return this;
    }

    TestMediaWriter audio(int codec, int sampleRate, int channels) {
        this.audioCodec = codec;
        this.sampleRate = sampleRate;
        this.channels = channels;
        return this;
    }

    TestMediaWriter seconds(double seconds) {
        this.seconds = seconds;
        return this;
    }

    TestMediaWriter toneHz(double hz) {
        this.toneHz = hz;
        return this;
    }

    TestMediaWriter muxerOption(String key, String value) {
        muxerOptions.put(key, value);
        return this;
    }

    TestMediaWriter audioOption(String key, String value) {
        audioOptions.put(key, value);
        return this;
    }

    Path write(String fileName) throws Exception {
        Files.createDirectories(DIR);
        Path file = DIR.resolve(fileName);
        Files.deleteIfExists(file);
        boolean hasVideo = videoCodec != AV_CODEC_ID_NONE;
        boolean hasAudio = audioCodec != AV_CODEC_ID_NONE;
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), hasVideo ? width : 0,
                hasVideo ? height : 0, hasAudio ? channels : 0)) {
            r.setFormat(format);
            muxerOptions.forEach(r::setOption);
            if (hasVideo) {
                r.setVideoCodec(videoCodec);
                r.setFrameRate(fps);
                r.setPixelFormat(pixelFormat);
                r.setVideoQuality(videoQuality); // constant quality: colours survive compression well enough to test
            }
            if (hasAudio) {
                r.setAudioCodec(audioCodec);
                r.setSampleRate(sampleRate);
                r.setAudioChannels(channels);
                audioOptions.forEach(r::setAudioOption);
            }
            r.start();
            if (format.equals("image2")) {
                recordFrame(r, 0, 1);
            } else {
                int frames = hasVideo ? (int) Math.round(seconds * fps) : 0;
                long samplesTotal = hasAudio ? Math.round(seconds * sampleRate) : 0;
                long samplesWritten = 0;
                // Write in time order, a block of audio after each frame, as a real capture would.
                int steps = hasVideo ? frames : (int) Math.ceil(seconds * 10);
                for (int i = 0; i < steps; i++) {
                    if (hasVideo) recordFrame(r, i, frames);
                    if (hasAudio) {
                        long until = Math.min(samplesTotal, Math.round((i + 1) * samplesTotal / (double) steps));
                        r.recordSamples(sampleRate, channels, tone(samplesWritten, (int) (until - samplesWritten)));
                        samplesWritten = until;
                    }
                }
            }
            r.stop();
        }
        return file;
    }

    /**
     * Runs the ffmpeg program JavaCV carries (beside the libraries it links, so none need be installed) in
     * {@link #DIR}, for files the recorder cannot write; fails with what it said.
     */
    static void ffmpeg(String... args) throws Exception {
        ffmpegAt(DIR, args);
    }

    /** The ffmpeg program JavaCV carries, run in {@code dir} (relative names there). */
    public static void ffmpegAt(Path dir, String... args) throws Exception {
        Files.createDirectories(dir);
        Path program = Path.of(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(program.toString(), "-nostdin", "-y",
                "-loglevel", "error"));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", program.getParent().toString());
        Process p = pb.start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("ffmpeg " + String.join(" ", args) + ": " + said);
    }

    private void recordFrame(FFmpegFrameRecorder r, int index, int count) throws Exception {
        int[] colour = index < count / 2.0 ? RED : BLUE;
        ByteBuffer rgb = ByteBuffer.allocateDirect(width * height * 3);
        int boxSide = Math.max(2, height / 8);
        int boxX = count > 1 ? (width - boxSide) * index / (count - 1) : 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean box = y >= height - boxSide && x >= boxX && x < boxX + boxSide;
                for (int c = 0; c < 3; c++) rgb.put((byte) (box ? 255 : colour[c]));
            }
        }
        rgb.flip();
        r.recordImage(width, height, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3, width * 3, AV_PIX_FMT_RGB24, rgb);
    }

    private FloatBuffer tone(long from, int n) {
        FloatBuffer buf = FloatBuffer.allocate(n * channels);
        for (int i = 0; i < n; i++) {
            float v = (float) (0.5 * Math.sin(2 * Math.PI * toneHz * (from + i) / sampleRate));
            for (int c = 0; c < channels; c++) buf.put(v);
        }
        return buf.flip();
    }
}
