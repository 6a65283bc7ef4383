package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Predicate;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every way a file can be unusable gets its own kind, a message naming the file, and no raw JavaCV exception. */
class BadInputTest {
    static final Path DIR = TestMediaWriter.DIR.resolve("bad");
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
    private static Path goodMp4;
    private static Path goodWav;

    @BeforeAll
    static void generate() throws Exception {
        Files.createDirectories(DIR);
        goodMp4 = GeneratedContainersTest.av("mp4", AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000, 2).seconds(4)
                .write("bad-source.mp4");
        goodWav = GeneratedContainersTest.audioOnly("wav", AV_CODEC_ID_PCM_S16LE, 16_000, 1).write("bad-source.wav");
    }

    static MediaException assertKind(Kind kind, String fileName, Runnable decode) {
        MediaException e = assertThrows(MediaException.class, decode::run);
        assertEquals(kind, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains(fileName), () -> "names the file: " + e.getMessage());
        assertEquals(fileName, e.file());
        return e;
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(DIR.resolve(name), bytes);
    }

    @Test
    void missingFileIsNotFound() {
        assertKind(Kind.NOT_FOUND, "nowhere.mp4", () -> decoder.decode(DIR.resolve("nowhere.mp4")));
    }

    @Test
    void zeroBytesIsEmpty() throws Exception {
        Path empty = write("empty.wav", new byte[0]);
        assertKind(Kind.EMPTY, "empty.wav", () -> decoder.decode(empty));
    }

    @Test
    void randomBytesAreCorruptAndTheCauseIsKept() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(42).nextBytes(noise);
        Path random = write("random.mp4", noise);
        MediaException e = assertKind(Kind.CORRUPT, "random.mp4", () -> decoder.decode(random));
        assertInstanceOf(FrameGrabber.Exception.class, e.getCause(), "JavaCV's exception is the cause, not thrown");
        assertTrue(e.getMessage().contains("Invalid data found when processing input"), e.getMessage());
        assertFalse(e.getMessage().contains(DIR.toAbsolutePath().toString()), "no full path: " + e.getMessage());
    }

    @Test
    void firstHalfOfAnMp4IsTruncated() throws Exception {
        byte[] all = Files.readAllBytes(goodMp4);
        Path half = write("half.mp4", Arrays.copyOf(all, all.length / 2));
        assertKind(Kind.TRUNCATED, "half.mp4", () -> decoder.decode(half));
    }

    @Test
    void firstHalfOfAFaststartMp4IsTruncated() throws Exception {
        Path faststart = GeneratedContainersTest.av("mp4", AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000, 2).seconds(4)
                .muxerOption("movflags", "+faststart").write("faststart.mp4");
        byte[] all = Files.readAllBytes(faststart);
        int secondBox = ByteBuffer.wrap(all).getInt(0);
        assertEquals("moov", new String(all, secondBox + 4, 4, StandardCharsets.US_ASCII),
                "the index comes first, so FFmpeg can open the cut file");
        Path half = write("half-faststart.mp4", Arrays.copyOf(all, all.length / 2));
        assertKind(Kind.TRUNCATED, "half-faststart.mp4", () -> decoder.decode(half));
    }

    @Test
    void wavWhoseHeaderPromisesMoreDataIsTruncated() throws Exception {
        byte[] pcm = new byte[16_000 * 2]; // 1 s of silence, where the header promises 2 s
        Path wav = write("short.wav", concat(wavHeader(1, 16_000, 1, 16, pcm.length * 2L), pcm));
        assertKind(Kind.TRUNCATED, "short.wav", () -> decoder.decode(wav));
        byte[] all = Files.readAllBytes(goodWav);
        Path cut = write("cut.wav", Arrays.copyOf(all, all.length / 2));
        assertKind(Kind.TRUNCATED, "cut.wav", () -> decoder.decode(cut));
    }

    @Test
    void cutMatroskaIsTruncated() throws Exception {
        Path mkv = GeneratedContainersTest.av("matroska", AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000, 2).seconds(4)
                .write("bad-source.mkv");
        Path cut = firstPart(mkv, "cut.mkv", 0.6);
        assertKind(Kind.TRUNCATED, "cut.mkv", () -> decoder.decode(cut));
    }

    /** The first {@code fraction} of a file's bytes, as an interrupted upload leaves it. */
    private static Path firstPart(Path file, String name, double fraction) throws Exception {
        byte[] all = Files.readAllBytes(file);
        return write(name, Arrays.copyOf(all, (int) (all.length * fraction)));
    }

    /**
     * FLV declares no byte length, so a cut one is judged by the duration it declares; decoded in parts (the audio and
     * the video each on their own threads), the streams are judged together as one pass judges them.
     */
    @Test
    void cutFlvIsTruncatedWhetherDecodedInOnePassOrInParts() throws Exception {
        Path flv = GeneratedContainersTest.av("flv", AV_CODEC_ID_FLV1, AV_CODEC_ID_AAC, 44_100, 2).seconds(6)
                .write("bad-source.flv");
        Path cut = firstPart(flv, "cut.flv", 0.4);
        for (boolean inParts : new boolean[]{true, false}) {
            FfmpegMediaDecoder d = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(inParts));
            MediaException e = assertKind(Kind.TRUNCATED, "cut.flv", () -> d.decode(cut));
            assertTrue(e.getMessage().contains("but the container declares"), e.getMessage());
        }
        assertEquals(6, decoder.decode(flv).audioTrack().orElseThrow().durationSeconds(), 0.1, "the whole file is fine");
    }

    @Test
    void cutFlacIsTruncatedByItsDeclaredDuration() throws Exception {
        Path flac = GeneratedContainersTest.audioOnly("flac", AV_CODEC_ID_FLAC, 16_000, 1).seconds(6)
                .write("bad-source.flac");
        byte[] all = Files.readAllBytes(flac);
        Path cut = write("cut.flac", Arrays.copyOf(all, all.length / 2));
        MediaException e = assertKind(Kind.TRUNCATED, "cut.flac", () -> decoder.decode(cut));
        assertTrue(e.getMessage().contains("declares 6.00 s"), e.getMessage());
    }

    /**
     * FLAC's STREAMINFO declares the exact number of samples, but a FLAC cut near its end passed the loose "ended far
     * short" rule every container gets (an 8 s file cut at 85-95 % gave 6.6-7.5 s and no error). A FLAC ending before
     * its declared samples is TRUNCATED, on both paths; complete files at any rate are not. A total of 0 means the
     * writer did not know it (a stream): no verdict beyond the generic one.
     */
    @Test
    void flacCutNearItsEndIsTruncatedByItsDeclaredSampleCount() throws Exception {
        assertWholeAtEveryFormat("flac", AV_CODEC_ID_FLAC, 0.02);
        Path flac = GeneratedContainersTest.audioOnly("flac", AV_CODEC_ID_FLAC, 44_100, 2).seconds(8).write("near-end.flac");
        byte[] all = Files.readAllBytes(flac);
        assertCutsTruncated(all, "flac", new double[]{0.85, 0.9, 0.95, 0.99},
                message -> message.contains("declares 8.00 s") && message.contains("352800 samples"));
        // total samples 0: unknown, so a cut near the end cannot be told from a shorter recording
        byte[] unknown = all.clone();
        int at = 8 + 10 + 3; // "fLaC", the block header, then rate (20 bits), channels, bits per sample, total (36 bits)
        unknown[at] &= (byte) 0xF0;
        Arrays.fill(unknown, at + 1, at + 5, (byte) 0);
        Path streamed = write("unknown-length.flac", unknown);
        assertEquals(8.0, decoder.decode(streamed).audioTrack().orElseThrow().durationSeconds(), 0.02);
        Path streamedCut = write("unknown-length-cut.flac", Arrays.copyOf(unknown, (int) (unknown.length * 0.9)));
        assertEquals(7.2, decoder.decode(streamedCut).audioTrack().orElseThrow().durationSeconds(), 0.3);
    }

    /**
     * An MP3 written by LAME (or FFmpeg) starts with a Xing/Info frame counting its frames, but an MP3 cut near its end
     * passed the loose "ended far short" rule (an 8 s file cut at 75-95 % gave 6.0-7.6 s and no error). One whose audio
     * ends before its counted frames is TRUNCATED, on both paths; complete files at any rate are not. Without the
     * count (an MP3 written without it) there is no verdict beyond the generic one.
     */
    @Test
    void mp3CutNearItsEndIsTruncatedByItsFrameCount() throws Exception {
        assertWholeAtEveryFormat("mp3", AV_CODEC_ID_MP3, 0.05);
        Path mp3 = GeneratedContainersTest.audioOnly("mp3", AV_CODEC_ID_MP3, 44_100, 2).seconds(8).write("near-end.mp3");
        byte[] all = Files.readAllBytes(mp3);
        assertCutsTruncated(all, "mp3", new double[]{0.75, 0.85, 0.9, 0.95, 0.99},
                message -> message.contains("declares 8.0") && message.contains("frames"));
        // written without the Info frame: nothing counts the frames, so a cut near the end is a shorter recording
        Path uncounted = GeneratedContainersTest.audioOnly("mp3", AV_CODEC_ID_MP3, 44_100, 2).seconds(8)
                .muxerOption("write_xing", "0").write("uncounted.mp3");
        assertEquals(8.0, decoder.decode(uncounted).audioTrack().orElseThrow().durationSeconds(), 0.1);
        byte[] plain = Files.readAllBytes(uncounted);
        Path uncountedCut = write("uncounted-cut.mp3", Arrays.copyOf(plain, (int) (plain.length * 0.9)));
        assertEquals(7.2, decoder.decode(uncountedCut).audioTrack().orElseThrow().durationSeconds(), 0.3);
    }

    /** An 8 s file of {@code format} at each rate and channel count decodes whole: a count does not cut it short. */
    private void assertWholeAtEveryFormat(String format, int codec, double toleranceSeconds) throws Exception {
        for (int[] rateAndChannels : new int[][]{{8_000, 1}, {16_000, 1}, {22_050, 2}, {44_100, 2}, {48_000, 1}}) {
            int rate = rateAndChannels[0], channels = rateAndChannels[1];
            Path whole = GeneratedContainersTest.audioOnly(format, codec, rate, channels).seconds(8)
                    .write(format + "-" + rate + "-" + channels + "." + format);
            assertEquals(8.0, decoder.decode(whole).audioTrack().orElseThrow().durationSeconds(), toleranceSeconds,
                    "complete " + rate);
        }
    }

    /**
     * {@code whole} cut at each fraction of its bytes is TRUNCATED on both paths, decoded and streamed, with a message
     * that {@code namesTheCount} accepts.
     */
    private void assertCutsTruncated(byte[] whole, String extension, double[] fractions, Predicate<String> namesTheCount)
            throws Exception {
        for (double at : fractions) {
            Path cut = write("cut-" + Math.round(at * 100) + "." + extension, Arrays.copyOf(whole, (int) (whole.length * at)));
            MediaException e = assertKind(Kind.TRUNCATED, cut.getFileName().toString(), () -> decoder.decode(cut));
            assertTrue(namesTheCount.test(e.getMessage()), e.getMessage());
            assertKind(Kind.TRUNCATED, cut.getFileName().toString(),
                    () -> decoder.stream(cut, new StreamingTest.CountingSink(Double.MAX_VALUE)));
        }
    }

    /**
     * Ogg declares no length (FFmpeg reads it from the last page there is), so a cut Opus or Vorbis file decoded as a
     * complete, shorter recording: an 8 s voice note cut at a quarter gave 2 s and no error, at any cut point. Its
     * writer's last page, flagged end-of-stream, is what is missing: cut inside a page or exactly at a page boundary.
     */
    @Test
    void cutOggIsTruncatedByItsMissingEndOfStreamPage() throws Exception {
        for (Path ogg : new Path[]{
                GeneratedContainersTest.audioOnly("opus", AV_CODEC_ID_OPUS, 48_000, 1).seconds(8).write("bad-source.opus"),
                GeneratedContainersTest.audioOnly("ogg", AV_CODEC_ID_VORBIS, 44_100, 2).audioOption("strict", "experimental")
                        .seconds(8).write("bad-source.ogg")}) {
            String ext = ogg.getFileName().toString().substring("bad-source".length());
            assertEquals(8.0, decoder.decode(ogg).audioTrack().orElseThrow().durationSeconds(), 0.1, "complete" + ext);
            byte[] all = Files.readAllBytes(ogg);
            Path insidePage = write("cut-inside-a-page" + ext, Arrays.copyOf(all, all.length / 4));
            assertKind(Kind.TRUNCATED, insidePage.getFileName().toString(), () -> decoder.decode(insidePage));
            Path atPage = write("cut-at-a-page" + ext, Arrays.copyOf(all, lastPageStart(all)));
            MediaException e = assertKind(Kind.TRUNCATED, atPage.getFileName().toString(), () -> decoder.decode(atPage));
            assertTrue(e.getMessage().contains("end-of-stream"), e.getMessage());
        }
    }

    private static int lastPageStart(byte[] ogg) {
        for (int at = ogg.length - 5; at > 0; at--)
            if (ogg[at] == 'O' && ogg[at + 1] == 'g' && ogg[at + 2] == 'g' && ogg[at + 3] == 'S' && ogg[at + 4] == 0) return at;
        throw new IllegalStateException("no Ogg page");
    }

    @Test
    void pdfAndTextAreUnsupported() throws Exception {
        Path pdf = write("paper.pdf", "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertKind(Kind.UNSUPPORTED, "paper.pdf", () -> decoder.decode(pdf));
        Path text = write("notes.mp4", "Kids are talking by the door.\nDogs are sitting by the door.\n"
                .getBytes(StandardCharsets.UTF_8));
        assertKind(Kind.UNSUPPORTED, "notes.mp4", () -> decoder.decode(text));
    }

    @Test
    void wavWithAnUnknownCodecIsUnsupported() throws Exception {
        byte[] payload = new byte[8_000];
        new Random(7).nextBytes(payload);
        Path wav = write("unknown-codec.wav", concat(wavHeader(0x1234, 16_000, 1, 16, payload.length), payload));
        assertKind(Kind.UNSUPPORTED, "unknown-codec.wav", () -> decoder.decode(wav));
    }

    @Test
    void fileLargerThanTheLimitIsRefusedBeforeDecoding() throws Exception {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Path big = write("big.mp4", noise);
        FfmpegMediaDecoder small = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFileBytes(1000));
        MediaException e = assertKind(Kind.LIMIT_EXCEEDED, "big.mp4", () -> small.decode(big));
        assertTrue(e.getMessage().contains("4096 bytes"), e.getMessage());
        assertNull(e.getCause(), "refused on size alone: random bytes would otherwise be CORRUPT");
    }

    @Test
    void mediaLongerThanTheLimitIsRefused() {
        FfmpegMediaDecoder shortLimit = new FfmpegMediaDecoder(
                TestMediaConfig.defaults().withMaxDuration(Duration.ofSeconds(1)));
        assertKind(Kind.LIMIT_EXCEEDED, "bad-source.mp4", () -> shortLimit.decode(goodMp4));
        assertKind(Kind.LIMIT_EXCEEDED, "bad-source.wav", () -> shortLimit.decode(goodWav));
    }

    @Test
    void streamingIsNotBoundByTheUtteranceDurationLimit() {
        FfmpegMediaDecoder shortLimit = new FfmpegMediaDecoder(
                TestMediaConfig.defaults().withMaxDuration(Duration.ofSeconds(1)));
        double[] seconds = {0};
        shortLimit.stream(goodWav, new MediaSink() {
            @Override
            public boolean audio(AudioTrack chunk) {
                seconds[0] += chunk.durationSeconds();
                return true;
            }

            @Override
            public boolean frame(VideoFrame frame) {
                return true;
            }
        });
        assertEquals(2.0, seconds[0], 0.01);
    }

    @Test
    void pictureLargerThanTheLimitIsRefused() {
        FfmpegMediaDecoder smallPictures = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxSourceSide(100));
        MediaException e = assertKind(Kind.LIMIT_EXCEEDED, "bad-source.mp4", () -> smallPictures.decode(goodMp4));
        assertTrue(e.getMessage().contains("320x240"), e.getMessage());
    }

    @Test
    void noStreamWithSamplesAndNoTranscriptIsNoUsableStream() throws Exception {
        Path headerOnly = write("header-only.wav", wavHeader(1, 16_000, 1, 16, 0));
        MediaException e = assertKind(Kind.NO_USABLE_STREAM, "header-only.wav", () -> decoder.decode(headerOnly));
        assertTrue(e.getMessage().contains("no transcript"), e.getMessage());
        Utterance textOnly = decoder.decode(headerOnly, Transcript.inline("Nothing was recorded."));
        assertEquals("Nothing was recorded.", textOnly.transcriptText().orElseThrow().text());
        assertTrue(textOnly.whyMissing(Modality.SPEECH).orElseThrow().contains("no samples"));
    }

    /** The sidecar is a BAD_TRANSCRIPT to its loader; to the decoder, a missing text with that reason (issue 13). */
    @Test
    void unparseableSidecarIsBadTranscriptAndOnlyTheTextIsMissing() throws Exception {
        Path dir = Files.createDirectories(DIR.resolve("sidecars"));
        for (String[] c : new String[][]{{"vtt", "this is not a WebVTT file"}, {"json", "{\"text\": "},
                {"srt", "1\n00:00:01 -> 00:00:02\nhello\n"}, {"json", "{\"segments\": [{\"start\": \"soon\"}]}"}}) {
            Path media = Files.copy(goodWav, dir.resolve("clip-" + c[0] + c[1].length() + ".wav"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String base = media.getFileName().toString().replace(".wav", "");
            Files.writeString(dir.resolve(base + "." + c[0]), c[1]);
            assertKind(Kind.BAD_TRANSCRIPT, base + "." + c[0], () -> new TranscriptLoader().load(dir.resolve(base + "." + c[0])));
            Utterance u = decoder.decode(media);
            assertTrue(u.whyMissing(Modality.TEXT).orElseThrow().contains(base + "." + c[0]), u.missing()::toString);
            assertTrue(u.audioTrack().isPresent());
        }
    }

    /**
     * A Matroska file holding only an attachment (a font), as FFmpeg's own muxer writes it: FFmpeg cannot open it (it
     * finds the end of the file where it looks for a first cluster), and it was answered as damaged (corrupt). It holds
     * no audio or video stream, which is what it is told; a cut copy of it is still a cut file.
     */
    @Test
    void anAttachmentOnlyMatroskaHasNoUsableStream() throws Exception {
        Path font = Files.write(DIR.resolve("font.ttf"), "a font, as far as Matroska cares\n".repeat(64).getBytes(StandardCharsets.US_ASCII));
        Path mkv = DIR.resolve("fonts-only.mkv");
        TestMediaWriter.ffmpeg("-attach", font.toAbsolutePath().toString(),
                "-metadata:s:0", "mimetype=application/x-truetype-font", mkv.toAbsolutePath().toString());
        MediaException e = assertKind(Kind.NO_USABLE_STREAM, "fonts-only.mkv", () -> decoder.decode(mkv));
        assertTrue(e.getMessage().contains("no audio or video stream (a Matroska file with no tracks, only attachments)"),
                e.getMessage());

        byte[] whole = Files.readAllBytes(mkv);
        Path cut = write("fonts-only-cut.mkv", Arrays.copyOf(whole, whole.length - 100));
        assertKind(Kind.TRUNCATED, "fonts-only-cut.mkv", () -> decoder.decode(cut));
    }

    /** A canonical 44-byte RIFF/WAVE header declaring {@code dataBytes} of data. */
    static byte[] wavHeader(int formatTag, int rate, int channels, int bits, long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) formatTag).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
