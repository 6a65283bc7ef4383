package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static dev.moodtag.media.TestMediaWriter.BLUE;
import static dev.moodtag.media.TestMediaWriter.RED;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The archive formats people batch-tag besides the everyday ones (camcorder AVCHD, broadcast TS, DVD and MPEG program
 * streams, Windows Media, phone 3GP, audio-only Matroska and WebM, AIFF, audiobooks, MXF, DV, AMR, CAF), written by the
 * ffmpeg here with a 440 Hz tone at 0.5 and frames red for the first second and blue for the second: each decodes to its tone and frames, is walked
 * in a folder, and each hostile form of it (empty, one byte, cut, a header lying about its length, a picture over the
 * limit) gets a permanent error at once.
 */
class ArchiveFormatsTest {
    static final double SECONDS = 2;
    private static final Path DIR = TestMediaWriter.DIR.resolve("archive");
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFrameSide(160));

    /** Where a container says how long the file is, so a cut or lying file can be told from a short recording. */
    enum Declares { NOTHING, ISO_BMFF, MATROSKA, IFF, CAF, ASF, MXF }

    /**
     * A file name, whether it has the picture, where its length is declared, and the ffmpeg output options that write
     * it (input 0 is the tone, input 1 the picture).
     */
    record Case(String file, boolean video, Declares declares, String... options) {
        @Override
        public String toString() {
            return file;
        }

        String extension() {
            return file.substring(file.lastIndexOf('.') + 1);
        }

        Path write() throws Exception {
            List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                    "aevalsrc=0.5*sin(2*PI*440*t)|0.5*sin(2*PI*440*t):s=48000:d=" + SECONDS));
            if (video) args.addAll(List.of("-f", "lavfi", "-i", "color=red:s=320x240:r=25:d=1[a];"
                    + "color=blue:s=320x240:r=25:d=1[b];[a][b]concat=n=2:v=1:a=0[out0]"));
            args.addAll(List.of(options));
            args.add(file);
            TestMediaWriter.ffmpegAt(DIR, args.toArray(String[]::new));
            return DIR.resolve(file);
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("av.mts", true, Declares.NOTHING, "-c:v", "libopenh264", "-c:a", "ac3", "-f", "mpegts", "-mpegts_m2ts_mode", "1"),
                new Case("av.m2ts", true, Declares.NOTHING, "-c:v", "libopenh264", "-c:a", "ac3", "-f", "mpegts", "-mpegts_m2ts_mode", "1"),
                new Case("av.ts", true, Declares.NOTHING, "-c:v", "mpeg2video", "-c:a", "mp2", "-f", "mpegts"),
                new Case("tone.ts", false, Declares.NOTHING, "-c:a", "aac", "-f", "mpegts"),
                new Case("av.mpg", true, Declares.NOTHING, "-c:v", "mpeg1video", "-c:a", "mp2", "-f", "mpeg"),
                new Case("av.mpeg", true, Declares.NOTHING, "-c:v", "mpeg2video", "-c:a", "mp2", "-f", "mpeg"),
                new Case("av.vob", true, Declares.NOTHING, "-c:v", "mpeg2video", "-c:a", "ac3", "-f", "vob"),
                new Case("av.wmv", true, Declares.ASF, "-c:v", "wmv2", "-c:a", "wmav2", "-f", "asf"),
                new Case("tone.wma", false, Declares.ASF, "-c:a", "wmav2", "-f", "asf"),
                new Case("av.asf", true, Declares.ASF, "-c:v", "wmv1", "-c:a", "wmav1", "-f", "asf"),
                new Case("av.3gp", true, Declares.ISO_BMFF, "-s", "176x144", "-c:v", "h263", "-c:a", "libopencore_amrnb",
                        "-ar", "8000", "-ac", "1", "-f", "3gp"),
                new Case("av.3g2", true, Declares.ISO_BMFF, "-c:v", "mpeg4", "-c:a", "aac", "-f", "3g2"),
                new Case("tone.mka", false, Declares.MATROSKA, "-c:a", "libopus", "-f", "matroska"),
                new Case("tone.aif", false, Declares.IFF, "-c:a", "pcm_s16be", "-f", "aiff"),
                new Case("tone.aiff", false, Declares.IFF, "-c:a", "pcm_s24be", "-ac", "1", "-f", "aiff"),
                new Case("tone.m4b", false, Declares.ISO_BMFF, "-c:a", "aac", "-f", "ipod"),
                new Case("tone.weba", false, Declares.MATROSKA, "-c:a", "libopus", "-f", "webm"),
                new Case("av.mxf", true, Declares.MXF, "-c:v", "mpeg2video", "-c:a", "pcm_s16le", "-f", "mxf"),
                new Case("av.dv", true, Declares.NOTHING, "-s", "720x576", "-c:v", "dvvideo", "-c:a", "pcm_s16le", "-f", "dv"),
                new Case("tone.amr", false, Declares.NOTHING, "-c:a", "libopencore_amrnb", "-ar", "8000", "-ac", "1", "-f", "amr"),
                new Case("tone.caf", false, Declares.CAF, "-c:a", "pcm_s16le", "-f", "caf"),
                new Case("tone-alac.caf", false, Declares.CAF, "-c:a", "alac", "-f", "caf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesToItsToneAndFramesAndIsWalkedInAFolder(Case c) throws Exception {
        Path file = c.write();
        assertTrue(MediaFiles.isMedia(file), c.file() + " is offered to the tagger");
        assertTrue(MediaFiles.isMedia(Path.of("UPPER." + c.extension().toUpperCase(Locale.ROOT))));
        Utterance u = decoder.decode(file);

        AudioTrack audio = u.audioTrack().orElseThrow(() -> new AssertionError("no audio: " + u.missing()));
        assertEquals(SECONDS, audio.durationSeconds(), 0.1, "duration");
        assertEquals(440, AudioChecks.frequency(audio), 440 * 0.02, "tone after resampling to 16 kHz");
        // AMR, a speech codec at 8 kHz, keeps a pure tone at 0.30 rather than 0.35
        assertEquals(0.5 / Math.sqrt(2), AudioChecks.rms(audio), 0.07, "level");
        SamplesDecodeTest.assertAudioInRange(audio);
        if (!c.video()) {
            assertEquals("no video stream in " + c.file(), u.whyMissing(Modality.VIDEO).orElseThrow());
            return;
        }
        List<VideoFrame> frames = u.videoTrack().orElseThrow(() -> new AssertionError("no video: " + u.missing())).frames();
        assertEquals(SECONDS * 5, frames.size(), 1, "frames sampled at 5 fps");
        for (int i = 0; i < frames.size(); i++) {
            VideoFrame f = frames.get(i);
            assertEquals(160, f.width(), "scaled to the frame limit");
            assertEquals(120, f.height(), "4:3 as shown (DV's 720x576 has non-square pixels)");
            if (i > 0) assertTrue(f.timestampSeconds() > frames.get(i - 1).timestampSeconds(), "timestamps rise");
            double t = f.timestampSeconds();
            // ASF's muxer starts the picture 43 ms after the sound, so the last frame is at 2.003 s
            assertTrue(t >= 0 && t < SECONDS + 0.05, "frame at " + t);
            if (t < SECONDS / 2 - 0.2) GeneratedContainersTest.assertColour(RED, f, "frame at " + t);
            if (t > SECONDS / 2 + 0.2) GeneratedContainersTest.assertColour(BLUE, f, "frame at " + t);
        }
        Utterance inParts = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFrameSide(160)
                .withParallelDecoding(true)).decode(file);
        assertArrayEquals(audio.samples(), inParts.audioTrack().orElseThrow().samples(), "audio decoded beside the video");
        assertEquals(frames.size(), inParts.videoTrack().orElseThrow().frames().size(), 1, "frames decoded in parts");
    }

    /**
     * Every hostile form is refused with a permanent kind, naming the file, within a bound far above what it takes (tens
     * of milliseconds): empty, one byte, cut after 100 bytes, at half and at 90 % (truncated where the container
     * declares its length, MXF by its footer's place; where it declares none, as TS, MPEG-PS, DV and AMR do not, a cut
     * inside a packet, frame or pack is truncated too, CutWithoutDeclaredLengthTest, and one between two, as half of a
     * DV or M2TS file is, is the shorter recording it holds, or corrupt), a header declaring far more than the file
     * holds (2^40 bytes, or 2^63), and a picture over the limit on the source's side.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileFormsGetAPermanentErrorAtOnce(Case c) throws Exception {
        Path file = c.write();
        byte[] whole = Files.readAllBytes(file);
        assertKind(Set.of(Kind.EMPTY), cut(c, whole, 0), decoder);
        Set<Kind> notMedia = Set.of(Kind.UNSUPPORTED, Kind.CORRUPT, Kind.TRUNCATED);
        assertKind(notMedia, cut(c, whole, 1), decoder);
        for (int bytes : new int[]{100, whole.length / 2, whole.length * 9 / 10}) {
            Path cut = cut(c, whole, bytes);
            if (c.declares() != Declares.NOTHING) {
                assertKind(Set.of(Kind.TRUNCATED), cut, decoder);
                continue;
            }
            try {
                double held = bounded(() -> decoder.decode(cut)).audioTrack().map(AudioTrack::durationSeconds).orElse(0.0);
                assertTrue(held < SECONDS * bytes / whole.length + 0.15, c + " cut at " + bytes + " bytes holds " + held + " s");
            } catch (MediaException e) {
                assertTrue(e.kind().ofTheFile() && e.kind() != Kind.NOT_FOUND, e::getMessage);
            }
        }
        if (c.declares() != Declares.NOTHING && c.declares() != Declares.MATROSKA) {
            // 2^40 bytes, and a size that overflows where added to the offset it starts at
            for (long declared : new long[]{1L << 40, Long.MAX_VALUE - 4}) {
                Path lying = Files.copy(file, DIR.resolve("lying-" + c.file()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                declareLength(lying, c.declares(), declared);
                MediaException e = assertKind(Set.of(Kind.TRUNCATED), lying, decoder);
                assertTrue(e.getMessage().contains("declares"), e::getMessage);
            }
        }
        if (c.video()) {
            FfmpegMediaDecoder smallPictures = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxSourceSide(100));
            assertKind(Set.of(Kind.LIMIT_EXCEEDED), file, smallPictures);
        }
    }

    private static Path cut(Case c, byte[] whole, int bytes) throws Exception {
        return Files.write(DIR.resolve("cut-" + bytes + "-" + c.file()), Arrays.copyOf(whole, bytes));
    }

    private static MediaException assertKind(Set<Kind> kinds, Path file, FfmpegMediaDecoder decoder) {
        MediaException e = assertThrows(MediaException.class, () -> bounded(() -> decoder.decode(file)));
        assertTrue(kinds.contains(e.kind()), () -> file.getFileName() + ": " + e.kind() + " " + e.getMessage());
        assertEquals(file.getFileName().toString(), e.file());
        return e;
    }

    /** A minute: a generous bound where each of these takes tens of milliseconds, so it fails only on a hang. */
    private static <T> T bounded(org.junit.jupiter.api.function.ThrowingSupplier<T> decode) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), decode);
    }

    /** Rewrites the length a container declares for the whole file (or its data) in place. */
    private static void declareLength(Path file, Declares where, long bytes) throws Exception {
        byte[] all = Files.readAllBytes(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            switch (where) {
                case IFF -> {
                    f.seek(4);
                    f.writeInt(0x7FFFFFF0);
                }
                case ISO_BMFF -> {
                    f.seek(indexOf(all, "mdat".getBytes(StandardCharsets.US_ASCII)) - 4);
                    f.writeInt(0x7FFFFFF0);
                }
                case CAF -> {
                    f.seek(indexOf(all, "data".getBytes(StandardCharsets.US_ASCII)) + 4);
                    f.writeLong(bytes);
                }
                case MXF -> {
                    // the header partition pack's footer offset: key (16), BER length 0x83 + 3 bytes, then 24 bytes
                    f.seek(16 + 4 + 24);
                    f.writeLong(bytes);
                }
                case ASF -> {
                    f.seek(indexOf(all, HexFormat.of().parseHex("A1DCAB8C47A9CF118EE400C00C205365")) + 40);
                    f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bytes).array());
                }
                default -> throw new IllegalArgumentException(where.toString());
            }
        }
    }

    private static int indexOf(byte[] all, byte[] what) {
        return find(all, what, false);
    }

    static int lastIndexOf(byte[] all, byte[] what) {
        return find(all, what, true);
    }

    private static int find(byte[] all, byte[] what, boolean last) {
        int positions = all.length - what.length + 1;
        outer:
        for (int k = 0; k < positions; k++) {
            int i = last ? positions - 1 - k : k;
            for (int j = 0; j < what.length; j++) if (all[i + j] != what[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found: " + HexFormat.of().formatHex(what));
    }
}
