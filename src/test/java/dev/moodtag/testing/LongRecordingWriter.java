package dev.moodtag.testing;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * Writes a long interview-like recording with the real FFmpeg encoders (MPEG-4 video, AAC audio, mp4): real EmoDB
 * utterances separated by 2-8 s of silence, and a face picture from the shared samples as the video, a different
 * face for each utterance. Returns where the speech is, so tests can check that segments cover it. Deterministic
 * for a given length and seed; written low-resolution and at a low frame rate so that even an hour stays quick.
 *
 * <p>{@code main(seconds, output.mp4)} is the benchmark's generator (bench/tag-long.sh).
 */
public final class LongRecordingWriter {

    public static final int WIDTH = 320, HEIGHT = 240;
    public static final double FPS = 2;

    /** Where an utterance was placed, in seconds. */
    public record Speech(double start, double end, String file) {
    }

    private LongRecordingWriter() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[0]);
        Path out = Path.of(args[1]);
        long t0 = System.nanoTime();
        List<Speech> speech = write(out, seconds, 1);
        double speechSeconds = speech.stream().mapToDouble(s -> s.end() - s.start()).sum();
        System.out.printf(Locale.ROOT, "wrote %s: %.0f s, %d utterances, %.0f s of speech, %d bytes, in %.1f s%n", out,
                seconds, speech.size(), speechSeconds, Files.size(out), (System.nanoTime() - t0) / 1e9);
    }

    public static List<Speech> write(Path out, double seconds, long seed) throws IOException {
        List<Path> wavs;
        try (Stream<Path> s = Files.list(Fixtures.shared("data/emodb/wav"))) {
            wavs = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        List<byte[]> faces = new ArrayList<>();
        for (String f : List.of("Cole_Chapman_0001.jpg", "John_Brady_0002.jpg", "Junichi_Inamoto_0001.jpg"))
            faces.add(rgb(ImageIO.read(Fixtures.sample(f).toFile())));
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        Random random = new Random(seed);
        List<Speech> placed = new ArrayList<>();
        List<float[]> clips = new ArrayList<>();
        double t = 1 + 3 * random.nextDouble();
        for (int i = 0; ; i++) {
            Path wav = wavs.get(Math.floorMod(i * 7919 + (int) seed, wavs.size()));
            float[] pcm = decoder.decode(wav).audio().samples();
            double end = t + pcm.length / (double) AudioTrack.RATE;
            if (end > seconds - 1) break;
            placed.add(new Speech(t, end, wav.getFileName().toString()));
            clips.add(pcm);
            t = end + 2 + 6 * random.nextDouble();
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), WIDTH, HEIGHT, 1)) {
            r.setFormat("mp4");
            r.setVideoCodec(AV_CODEC_ID_MPEG4);
            r.setFrameRate(FPS);
            r.setPixelFormat(AV_PIX_FMT_YUV420P);
            r.setVideoQuality(6);
            r.setAudioCodec(AV_CODEC_ID_AAC);
            r.setSampleRate(AudioTrack.RATE);
            r.setAudioChannels(1);
            r.setAudioBitrate(48_000);
            r.start();
            int frames = (int) Math.ceil(seconds * FPS);
            long samplesTotal = Math.round(seconds * AudioTrack.RATE), written = 0;
            ByteBuffer picture = ByteBuffer.allocateDirect(WIDTH * HEIGHT * 3);
            int next = 0;
            for (int f = 0; f < frames; f++) {
                double at = f / FPS;
                while (next + 1 < placed.size() && placed.get(next).end() < at) next++;
                picture.clear();
                picture.put(faces.get(next % faces.size())).flip();
                r.recordImage(WIDTH, HEIGHT, Frame.DEPTH_UBYTE, 3, WIDTH * 3, AV_PIX_FMT_RGB24, picture);
                long until = Math.min(samplesTotal, Math.round((f + 1) / FPS * AudioTrack.RATE));
                r.recordSamples(AudioTrack.RATE, 1, audio(placed, clips, written, (int) (until - written)));
                written = until;
            }
            r.stop();
        }
        return placed;
    }

    /**
     * Sound alone (16 kHz PCM in Matroska), {@code seconds} long: digital silence with an EmoDB utterance starting at
     * each of {@code starts}. Returns where the speech is.
     */
    public static List<Speech> writeSound(Path out, double seconds, double... starts) throws IOException {
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        List<Speech> placed = new ArrayList<>();
        List<float[]> clips = new ArrayList<>();
        for (double start : starts) {
            Path wav = Fixtures.sample("03a05Fc.wav");
            float[] pcm = decoder.decode(wav).audio().samples();
            placed.add(new Speech(start, start + pcm.length / (double) AudioTrack.RATE, wav.getFileName().toString()));
            clips.add(pcm);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), 1)) {
            r.setFormat("matroska");
            r.setAudioCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE);
            r.setSampleRate(AudioTrack.RATE);
            r.setAudioChannels(1);
            r.start();
            long total = Math.round(seconds * AudioTrack.RATE);
            for (long at = 0; at < total; at += AudioTrack.RATE)
                r.recordSamples(AudioTrack.RATE, 1, audio(placed, clips, at, (int) Math.min(AudioTrack.RATE, total - at)));
            r.stop();
        }
        return placed;
    }

    /** Samples [from, from + n) of the whole recording: silence with the clips at their places. */
    private static FloatBuffer audio(List<Speech> placed, List<float[]> clips, long from, int n) {
        float[] buf = new float[n];
        for (int i = 0; i < placed.size(); i++) {
            long s = Math.round(placed.get(i).start() * AudioTrack.RATE);
            float[] c = clips.get(i);
            long lo = Math.max(from, s), hi = Math.min(from + n, s + c.length);
            for (long k = lo; k < hi; k++) buf[(int) (k - from)] = c[(int) (k - s)];
        }
        return FloatBuffer.wrap(buf);
    }

    /** The picture scaled into the frame (letterboxed, grey background), as packed RGB. */
    private static byte[] rgb(BufferedImage src) {
        BufferedImage dst = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = dst.createGraphics();
        g.setColor(java.awt.Color.GRAY);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        int side = Math.min(WIDTH, HEIGHT);
        g.drawImage(src, (WIDTH - side) / 2, (HEIGHT - side) / 2, side, side, null);
        g.dispose();
        byte[] out = new byte[WIDTH * HEIGHT * 3];
        for (int y = 0, i = 0; y < HEIGHT; y++)
            for (int x = 0; x < WIDTH; x++) {
                int p = dst.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        return out;
    }
}
