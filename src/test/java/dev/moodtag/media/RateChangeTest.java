package dev.moodtag.media;

import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audio whose sample rate changes part-way, as recordings joined end to end have it (two MP3s joined with {@code cat},
 * ADTS AAC appended, a broadcast capture whose audio switches rate): each stretch is resampled from its own rate and
 * placed where the file's clock puts it, on every path. A sweep from 440 Hz at the first rate, then one from 660 Hz at
 * the second: neither repeats, so each stretch is found where it sits, at its start and at its end (a stretch played at
 * the wrong speed is found at different offsets at the two). Until 2026-12-06 all of these were refused.
 *
 * <p>What FFmpeg reports after the change, measured with ffprobe and the grabber: the MP3, MPEG-TS, Matroska and MP4
 * demuxers time every frame at its own rate (the clock is right); the raw AAC demuxers (ADTS, LATM) and FLAC's time the
 * frames after the change at the first rate (3 s at 8 kHz then 3 s at 44.1 kHz ended at 19.84 s on their clock), while the samples
 * decoded, counted at each frame's own rate, end at 6.24 s, the two files' lengths added: a raw stream has no clock but
 * its samples, so they are placed by their count.
 */
class RateChangeTest {
    private static final double STRETCH = 3;
    /** In the MPEG-TS capture the second recording starts here, after a gap, so its place shows whatever came before. */
    private static final double SECOND_AT = 3.5;

    /**
     * Two MP3s joined with cat: 44.1 kHz then 48 kHz, and 48 kHz then 22.05 kHz. The demuxer times every frame at its own
     * rate. The second file's sound follows the first's after what cat leaves between them, which FFmpeg drops only at
     * a file's ends: the first file's padding and the second's encoder delay (27 ms of near silence), and the second
     * file's LAME header frame, which holds no sound and decodes to nothing but which the demuxer counts as a frame (26
     * ms), so the second stretch sits that much before its timestamp: less than the 0.1 s audio may sit from its
     * timestamps in any file before it is put back on the clock.
     */
    @Test
    void mp3sJoinedEndToEndArePlacedByTheirClock() throws Exception {
        for (int[] rates : new int[][]{{44_100, 48_000}, {48_000, 22_050}}) {
            Path a = tone(rates[0], 440, "libmp3lame", "mp3", "rate-a-" + rates[0] + ".mp3");
            Path b = tone(rates[1], 660, "libmp3lame", "mp3", "rate-b-" + rates[1] + ".mp3");
            Path joined = cat("rate-" + rates[0] + "-then-" + rates[1] + ".mp3", a, b);
            float[] samples = everyPath(joined);
            String what = joined.getFileName().toString();
            double firstLength = seconds(decode(a, false));
            assertStretches(what, samples, a, b, firstLength, 0.05);
            assertEquals(clock(joined).endSeconds(), seconds(samples), 0.1, what + ": ends where its clock does");
        }
    }

    /**
     * Raw streams appended to each other: ADTS AAC at 8 kHz then 44.1 kHz and at 48 kHz then 16 kHz, LATM, FLAC. The
     * second stretch starts where the first file's samples end, and the whole lasts what the two files do (8 kHz then
     * 44.1 kHz ended at 19.9 s on the demuxer's clock). Also two FLACs at one rate, whose frame numbers count from 0 in
     * each: until 2026-12-06 `corrupt` ("its audio timestamps go back from 2.51 s to 0.00 s").
     */
    @Test
    void rawStreamsJoinedEndToEndArePlacedByTheirSamples() throws Exception {
        String[][] cases = {{"aac", "adts", "aac", "8000", "44100"}, {"aac", "adts", "aac", "48000", "16000"},
                {"aac", "latm", "latm", "44100", "48000"}, {"flac", "flac", "flac", "44100", "48000"},
                {"flac", "flac", "flac", "44100", "44100"}};
        for (String[] c : cases)
            assertJoinedByTheirSamples(c[0], c[1], c[2], Integer.parseInt(c[3]), Integer.parseInt(c[4]), "rate-");
    }

    /**
     * Chained Ogg, as an internet radio recording is written, each programme a stream of its own at its own rate: Vorbis
     * at 44.1 kHz then 48 kHz and at 48 kHz then 22.05 kHz, and Ogg FLAC. FFmpeg's Ogg demuxer stops at a Vorbis stream
     * whose rate differs from the one before ("Sample rate change is not supported") and the grabber took that for the
     * end of the file: the rest was lost without a word, 3 s of 6 decoded as a whole recording. The rest is read from
     * that stream's first page on, and placed, like every chained stream, by its samples.
     */
    @Test
    void chainedOggWhoseRateChangesDecodesEveryStream() throws Exception {
        String[][] cases = {{"vorbis", "ogg", "44100", "48000"}, {"vorbis", "ogg", "48000", "22050"}, {"flac", "oga", "44100", "48000"}};
        for (String[] c : cases)
            assertJoinedByTheirSamples(c[0], "ogg", c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]), "rate-chained-");
    }

    /**
     * A chained Ogg film (VP8 and Vorbis) whose audio rate changes: its picture would start again with the stream read
     * anew, so it is refused, naming the two rates, on every path, where before its audio ended at the change unsaid.
     */
    @Test
    void aChainedOggFilmWhoseAudioRateChangesIsRefusedNotCut() throws Exception {
        Path[] parts = new Path[2];
        int[] rates = {44_100, 48_000};
        for (int i = 0; i < 2; i++) {
            String name = "rate-film-" + rates[i] + ".ogv";
            TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=" + STRETCH, "-f", "lavfi",
                    "-i", toneFilter(rates[i], 440), "-c:v", "libvpx", "-ac", "2", "-c:a", "vorbis", "-strict", "-2", name);
            parts[i] = TestMediaWriter.DIR.resolve(name);
        }
        Path film = cat("rate-chained-film.ogv", parts[0], parts[1]);
        for (Runnable path : new Runnable[]{() -> decode(film, false), () -> decode(film, true),
                () -> new FfmpegMediaDecoder(TestMediaConfig.defaults()).stream(film, new StreamingTest.CountingSink(Double.MAX_VALUE))}) {
            MediaException e = BadInputTest.assertKind(MediaException.Kind.UNSUPPORTED, "rate-chained-film.ogv", path);
            assertTrue(e.getMessage().contains("its audio changes from 44100 Hz to 48000 Hz at 3.0"), e.getMessage());
        }
    }

    /**
     * A broadcast capture whose audio switches rate with the programme (two MPEG-TS recordings joined, the second from
     * 3.5 s, with video): AAC from 44.1 kHz to 48 kHz, from 8 kHz to 48 kHz and back, and AC-3 from 44.1 kHz to 48 kHz,
     * remuxed into Matroska and MP4 as well (AC-3, whose frames carry their own rate: AAC in those keeps the first
     * rate's configuration, see the README). The second stretch starts at 3.5 s, where its timestamps say, after 0.5 s
     * of silence; the MP4 is decoded in parts. Between two PES packets' times MPEG-TS frames are timed by FFmpeg at the
     * first rate ({@link RateChange#guessedAtFirstRate}): until 2026-12-06, had the change been let through, 8 kHz then
     * 48 kHz was `corrupt` ("its audio timestamps go back from 4.77 s to 3.30 s").
     */
    @Test
    void aCaptureWhoseAudioSwitchesRateIsPlacedByItsClock() throws Exception {
        String[][] cases = {{"aac", "44100", "48000"}, {"aac", "8000", "48000"}, {"aac", "48000", "8000"}, {"ac3", "44100", "48000"}};
        for (String[] c : cases) {
            String codec = c[0], rates = c[1] + "-" + c[2];
            Path a = film(Integer.parseInt(c[1]), 440, 0, codec, "rate-film-a-" + codec + "-" + c[1] + ".ts");
            Path b = film(Integer.parseInt(c[2]), 660, SECOND_AT, codec, "rate-film-b-" + codec + "-" + c[2] + ".ts");
            Path ts = cat("rate-switch-" + codec + "-" + rates + ".ts", a, b);
            assertCapture(ts, a, b);
            if (!codec.equals("ac3")) continue;
            for (String remux : new String[]{"rate-switch-ac3-" + rates + ".mkv", "rate-switch-ac3-" + rates + ".mp4"}) {
                TestMediaWriter.ffmpeg("-i", ts.getFileName().toString(), "-c", "copy", remux);
                assertCapture(TestMediaWriter.DIR.resolve(remux), a, b);
            }
            assertTrue(new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(true))
                    .splitSeconds(TestMediaWriter.DIR.resolve("rate-switch-ac3-" + rates + ".mp4")).isPresent(),
                    "the MP4 is decoded in parts");
        }
    }

    private static void assertCapture(Path joined, Path a, Path b) throws Exception {
        String what = joined.getFileName().toString();
        float[] samples = everyPath(joined);
        double secondAt = clock(joined).changeSeconds() + clock(b).skipSeconds();
        // the muxer times the second recording's first frame before 3.5 s by its encoder's delay (128 ms of AAC at 8 kHz)
        assertEquals(SECOND_AT, secondAt, 0.15, what + ": the second recording's place on the clock");
        assertStretches(what, samples, a, b, secondAt);
        double gap = AudioLevels.rms(samples, seconds(decode(a, false)) + 0.01, secondAt - 0.01);
        assertTrue(gap < 1e-3, what + ": silence between the recordings, not " + gap);
        assertEquals(SECOND_AT + STRETCH, seconds(samples), 0.1, what + ": the whole");
    }

    /**
     * The first stretch from the start, the second from {@code secondAt} s: each at the level of its file decoded alone
     * (within 0.5 dB), found where expected (within 20 ms unless said), and as long as it (within 20 ms).
     */
    static void assertStretches(String what, float[] samples, Path a, Path b, double secondAt) {
        assertStretches(what, samples, a, b, secondAt, 0.02);
    }

    private static void assertStretches(String what, float[] samples, Path a, Path b, double secondAt, double within) {
        float[] first = decode(a, false), second = decode(b, false);
        AudioLevels.assertWithinHalfDb(AudioLevels.rms(first, 0.5, 2.5), AudioLevels.rms(samples, 0.5, 2.5), what + ", the first stretch", "its file alone");
        AudioLevels.assertWithinHalfDb(AudioLevels.rms(second, 0.5, 2.5), AudioLevels.rms(samples, secondAt + 0.5, secondAt + 2.5), what + ", the second stretch", "its file alone");
        double firstFrom = lag(samples, first, 0.5, 0), firstTo = lag(samples, first, 2.5, 0);
        double secondFrom = lag(samples, second, 0.5, secondAt), secondTo = lag(samples, second, 2.5, secondAt);
        assertEquals(0, firstFrom, 0.02, what + ": where the first stretch starts");
        assertEquals(firstFrom, firstTo, 0.02, what + ": the first stretch's length");
        assertEquals(secondAt, secondFrom, within, what + ": where the second stretch starts");
        assertEquals(secondFrom, secondTo, 0.02, what + ": the second stretch's length");
    }

    /**
     * Where the 0.1 s of {@code alone} from {@code at} s is found in {@code samples}, as an offset from where it is in
     * {@code alone}, searched within 0.2 s of {@code expected}: the best normalised correlation (the sweep never repeats).
     */
    private static double lag(float[] samples, float[] alone, double at, double expected) {
        int from = (int) (at * 16_000), n = 1_600, best = 0;
        double bestScore = -2;
        for (int shift = (int) ((expected - 0.2) * 16_000); shift <= (int) ((expected + 0.2) * 16_000); shift++) {
            int start = from + shift;
            if (start < 0 || start + n > samples.length) continue;
            double dot = 0, aa = 0, bb = 0;
            for (int i = 0; i < n; i++) {
                dot += samples[start + i] * (double) alone[from + i];
                aa += samples[start + i] * (double) samples[start + i];
                bb += alone[from + i] * (double) alone[from + i];
            }
            double score = dot / Math.sqrt(aa * bb + 1e-12);
            if (score > bestScore) {
                bestScore = score;
                best = shift;
            }
        }
        assertTrue(bestScore > 0.9, "the stretch is found (correlation " + bestScore + ")");
        return best / 16_000.0;
    }

    /** The file decoded in one pass, in parts and streamed: the same samples on every path. */
    static float[] everyPath(Path file) {
        float[] onePass = decode(file, false);
        assertArrayEquals(onePass, decode(file, true), file.getFileName() + ": the same samples in one pass and in parts");
        float[] all = StreamedAudio.of(file, TimeBudget.UNLIMITED);
        assertArrayEquals(onePass, all, file.getFileName() + ": the same samples streamed");
        return onePass;
    }

    /**
     * What the file's clock says, in seconds from its start: where the first frame at a rate other than the first's
     * starts, where the last frame ends, and how far the first sample kept is from the first frame's start (an MP3's
     * encoder delay, which FFmpeg drops at the start of a file, but not in the middle of one).
     */
    record Clock(double changeSeconds, double endSeconds, double skipSeconds) {
    }

    private static Clock clock(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setSampleMode(FrameGrabber.SampleMode.RAW);
            g.start();
            AVStream st = g.getFormatContext().streams(g.getAudioStream());
            double unit = avutil.av_q2d(st.time_base()), start = FfmpegMediaDecoder.startMicros(g.getFormatContext()) / 1e6;
            double change = Double.NaN, end = 0, first = Double.NaN;
            int firstRate = 0;
            for (Frame f; (f = g.grabFrame(true, false, true, false, false)) != null; ) {
                if (!(f.opaque instanceof AVFrame d) || f.samples == null) continue;
                double t = d.best_effort_timestamp() * unit - start;
                if (firstRate == 0) {
                    firstRate = d.sample_rate();
                    first = t;
                }
                if (Double.isNaN(change) && d.sample_rate() != firstRate) change = t;
                end = t + d.nb_samples() / (double) d.sample_rate();
            }
            return new Clock(change, end, -first);
        }
    }

    static Path tone(int rate, int hz, String codec, String format, String name) throws Exception {
        if (codec.equals("vorbis")) // FFmpeg's own Vorbis encoder (the only one here) is experimental and writes stereo only
            TestMediaWriter.ffmpeg("-f", "lavfi", "-i", toneFilter(rate, hz), "-ac", "2", "-c:a", codec, "-strict", "-2",
                    "-f", format, name);
        else TestMediaWriter.ffmpeg("-f", "lavfi", "-i", toneFilter(rate, hz), "-c:a", codec, "-f", format, name);
        return TestMediaWriter.DIR.resolve(name);
    }

    /** 3 s of tone with video, its clock starting at {@code offset} s. */
    private static Path film(int rate, int hz, double offset, String codec, String name) throws Exception {
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=" + STRETCH, "-f", "lavfi",
                "-i", toneFilter(rate, hz), "-c:v", "mpeg2video", "-c:a", codec, "-output_ts_offset", String.valueOf(offset), name);
        return TestMediaWriter.DIR.resolve(name);
    }

    /** A sweep from {@code hz} up by 200 Hz a second: never the same twice, so each stretch is found where it is. */
    static String toneFilter(int rate, int hz) {
        return "aevalsrc=0.5*sin(2*PI*(" + hz + "+100*t)*t):s=" + rate + ":d=" + STRETCH;
    }

    static Path cat(String name, Path first, Path second) throws Exception {
        return Files.write(TestMediaWriter.DIR.resolve(name), BadInputTest.concat(Files.readAllBytes(first), Files.readAllBytes(second)));
    }

    /**
     * A tone in {@code codec} and {@code format} at {@code rate1}, another at {@code rate2}, joined byte for byte: each
     * stretch where the first file's samples end, on every path, the whole as long as the two files.
     */
    private void assertJoinedByTheirSamples(String codec, String format, String extension, int rate1, int rate2,
                                            String prefix) throws Exception {
        Path a = tone(rate1, 440, codec, format, "rate-a-" + rate1 + "." + extension);
        Path b = tone(rate2, 660, codec, format, "rate-b-" + rate2 + "." + extension);
        Path joined = cat(prefix + rate1 + "-then-" + rate2 + "." + extension, a, b);
        float[] samples = everyPath(joined);
        String what = joined.getFileName().toString();
        double firstLength = seconds(decode(a, false)), secondLength = seconds(decode(b, false));
        assertStretches(what, samples, a, b, firstLength);
        assertEquals(firstLength + secondLength, seconds(samples), 0.02, what + ": as long as the two files");
    }

    static float[] decode(Path file, boolean inParts) {
        return new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(inParts)).decode(file).audio().samples();
    }

    static double seconds(float[] samples) {
        return samples.length / 16_000.0;
    }
}
