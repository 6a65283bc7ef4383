package dev.moodtag.media;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_MONOBLACK;

/**
 * Hostile inputs (issue 16), written with the real FFmpeg encoders: used by the tests and by
 * {@code bench/hostile-inputs.sh}, which runs them through the function and measures memory and time.
 * {@code java ... dev.moodtag.media.HostileMedia DIR} writes them all into DIR.
 */
public final class HostileMedia {
    private HostileMedia() {
    }

    /** A Matroska file of {@code seconds} of 16 kHz mono PCM tone whose Segment Info says it lasts 1 s. */
    public static Path audioDeclaringOneSecond(Path dir, String name, double seconds) throws Exception {
        Path mkv = TestMediaWriter.format("matroska").audio(AV_CODEC_ID_PCM_S16LE, 16000, 1).seconds(seconds).write(name);
        lieAboutDuration(mkv, 1000.0);
        return move(mkv, dir);
    }

    /** Rewrites the Matroska Duration element (ID 0x4489, an 8-byte float in milliseconds) in place. */
    public static void lieAboutDuration(Path mkv, double millis) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(mkv), 4096);
        for (int i = 0; i + 11 <= head.length; i++) {
            if ((head[i] & 0xff) == 0x44 && (head[i + 1] & 0xff) == 0x89 && (head[i + 2] & 0xff) == 0x88) {
                try (RandomAccessFile f = new RandomAccessFile(mkv.toFile(), "rw")) {
                    f.seek(i + 3);
                    f.write(ByteBuffer.allocate(8).putDouble(millis).array());
                }
                return;
            }
        }
        throw new IllegalStateException("no 8-byte Duration element in the first 4 kB of " + mkv);
    }

    /** The length the container declares, from the header alone and counted from its start, in seconds (0: none). */
    public static double declaredSeconds(Path file) throws Exception {
        org.bytedeco.javacv.FFmpegFrameGrabber grabber = new org.bytedeco.javacv.FFmpegFrameGrabber(file.toFile());
        try {
            grabber.start();
            return FfmpegMediaDecoder.declaredSeconds(grabber);
        } finally {
            grabber.release();
        }
    }

    /**
     * {@code webm} with every Cluster's size made unknown (all 1s, in as many bytes), as a live writer that never goes
     * back to size its clusters leaves them.
     */
    public static Path unsizeClusters(Path webm, Path into) throws IOException {
        byte[] sized = Files.readAllBytes(webm);
        for (int i = 0; i + 5 < sized.length; i++) {
            if (sized[i] != 0x1F || sized[i + 1] != 0x43 || sized[i + 2] != (byte) 0xB6 || sized[i + 3] != 0x75) continue;
            int length = Integer.numberOfLeadingZeros(sized[i + 4] & 0xff) - 23;
            for (int k = 0; k < length; k++) sized[i + 4 + k] = (byte) (k == 0 ? 0xff >> (length - 1) : 0xff);
        }
        return Files.write(into, sized);
    }

    /** One 16000×16000 frame (PNG, one bit per pixel, so the file is small) in Matroska. */
    public static Path hugeFrames(Path dir) throws Exception {
        return move(TestMediaWriter.format("matroska").video(AV_CODEC_ID_PNG, 16000, 16000, 1)
                .pixelFormat(AV_PIX_FMT_MONOBLACK).seconds(1).write("frames-16000x16000.mkv"), dir);
    }

    /**
     * {@code seconds} of 7680×4320 video with sound: MPEG-4 at 1 fps and a low quality keeps the file a few MB, while
     * every frame still costs a full 8K decode.
     */
    public static Path video8k(Path dir, double seconds) throws Exception {
        return move(TestMediaWriter.format("mp4").video(AV_CODEC_ID_MPEG4, 7680, 4320, 1).quality(31)
                .audio(AV_CODEC_ID_AAC, 16000, 1).seconds(seconds).write("video-8k-" + (long) seconds + "s.mp4"), dir);
    }

    /** A 0.5 s clip with a plain-text sidecar of {@code bytes} bytes of words. */
    public static Path hugeTextSidecar(Path dir, long bytes) throws Exception {
        Path clip = move(TestMediaWriter.format("wav").audio(AV_CODEC_ID_PCM_S16LE, 16000, 1).seconds(0.5)
                .write("huge-sidecar.wav"), dir);
        try (Writer w = Files.newBufferedWriter(dir.resolve("huge-sidecar.txt"), StandardCharsets.UTF_8)) {
            String words = "kids are talking by the door and nobody listens ";
            for (long n = 0; n < bytes; n += words.length()) w.write(words, 0, (int) Math.min(words.length(), bytes - n));
        }
        return clip;
    }

    /** A 0.5 s clip with a SubRip sidecar of {@code cues} one-word cues. */
    public static Path manyCuesSidecar(Path dir, int cues) throws Exception {
        Path clip = move(TestMediaWriter.format("wav").audio(AV_CODEC_ID_PCM_S16LE, 16000, 1).seconds(0.5)
                .write("many-cues.wav"), dir);
        try (Writer w = Files.newBufferedWriter(dir.resolve("many-cues.srt"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < cues; i++) {
                long ms = i * 10L;
                w.write((i + 1) + "\n" + srt(ms) + " --> " + srt(ms + 10) + "\nword\n\n");
            }
        }
        return clip;
    }

    /**
     * {@code tones} 440 Hz tones of {@code toneSeconds} each, {@code gapSeconds} apart on the clock with no audio between
     * them (a recording paused and resumed), as 16 kHz PCM in Matroska: a few kB however long the gaps.
     */
    public static Path tonesBetweenGaps(Path dir, String name, int tones, double toneSeconds, double gapSeconds) throws Exception {
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "sine=f=440:duration=" + tones * toneSeconds + ":sample_rate=16000",
                "-af", "asetpts=PTS+floor(T/" + toneSeconds + ")*" + gapSeconds + "/TB", "-c:a", "pcm_s16le", name);
        return move(TestMediaWriter.DIR.resolve(name), dir);
    }

    /** {@code bytes} random bytes under a media name. */
    public static Path randomBytes(Path dir, long bytes, long seed) throws IOException {
        Path f = dir.resolve("random-bytes.mp4");
        Random r = new Random(seed);
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long n = 0; n < bytes; n += block.length) {
                r.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, bytes - n));
            }
        }
        return f;
    }

    /** The threads of this JVM that are inside the decoder's loop or an FFmpeg grab right now, with their stacks. */
    public static java.util.List<String> threadsStillDecoding() {
        java.util.List<String> busy = new java.util.ArrayList<>();
        for (java.util.Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement f : t.getValue()) {
                if (f.getClassName().startsWith(FfmpegMediaDecoder.class.getName()) && f.getMethodName().equals("pump")
                        || f.getClassName().equals("org.bytedeco.javacv.FFmpegFrameGrabber") && f.getMethodName().startsWith("grab")) {
                    busy.add(t.getKey().getName() + ": " + Arrays.toString(t.getValue()));
                    break;
                }
            }
        }
        return busy;
    }

    private static String srt(long ms) {
        return String.format("%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    private static Path move(Path written, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path to = dir.resolve(written.getFileName());
        return to.equals(written) ? written : Files.move(written, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes every hostile input of {@code bench/hostile-inputs.sh} into the folder given. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        System.out.println(hugeFrames(dir));
        System.out.println(audioDeclaringOneSecond(dir, "declares-1s-holds-9min.mkv", 540));
        System.out.println(hugeTextSidecar(dir, 15_500_000));
        System.out.println(manyCuesSidecar(dir, 200_000));
        System.out.println(video8k(dir, 120));
        System.out.println(randomBytes(dir, 6_000_000, 16));
    }
}
