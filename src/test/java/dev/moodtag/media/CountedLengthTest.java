package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FLAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header a counted length is read from, found after an ID3v2 tag as FFmpeg finds it. */
class CountedLengthTest {

    /** "fLaC" and a STREAMINFO block declaring {@code samples} at {@code rate}, mono, 16-bit. */
    private static byte[] flacHead(long samples, int rate) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 34);
        b.put("fLaC".getBytes()).putInt(0x80 << 24 | 34); // last metadata block, STREAMINFO, 34 bytes
        b.putShort((short) 4096).putShort((short) 4096).put(new byte[6]); // block and frame sizes
        b.putLong((long) rate << 44 | 15L << 36 | samples); // rate, mono, 16 bits, total
        return b.array(); // the MD5 stays zero
    }

    /** An ID3v2.4 tag of {@code body} bytes, its size written 7 bits a byte as the format says. */
    private static byte[] id3(int body) {
        byte[] tag = new byte[10 + body];
        tag[0] = 'I';
        tag[1] = 'D';
        tag[2] = '3';
        tag[3] = 4;
        for (int i = 0; i < 4; i++) tag[9 - i] = (byte) (body >>> (7 * i) & 0x7f);
        return tag;
    }

    private static Path write(Path dir, String name, byte[]... parts) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) all.write(p);
        all.write(new byte[64]); // audio frames, not read
        return Files.write(dir.resolve(name), all.toByteArray());
    }

    @Test
    void aFlacCountIsReadWithOrWithoutAnId3TagBeforeIt(@TempDir Path dir) throws Exception {
        FlacLength plain = FlacLength.of(write(dir, "plain.flac", flacHead(48_000, 16_000)));
        assertEquals(new FlacLength(48_000, 16_000), plain);
        assertEquals(3.0, plain.seconds());
        // 300 bytes: more than one 7-bit byte of the tag's size
        assertEquals(plain, FlacLength.of(write(dir, "tagged.flac", id3(300), flacHead(48_000, 16_000))));
        assertEquals(plain, CountedLength.of(dir.resolve("tagged.flac")));
    }

    @Test
    void whatIsNotACountedFileOrCannotBeReadHasNoCount(@TempDir Path dir) throws Exception {
        assertNull(CountedLength.of(write(dir, "noise.wav", "RIFF....WAVE".getBytes())));
        assertNull(CountedLength.of(write(dir, "tag-only.mp3", id3(300))));
        assertNull(FlacLength.of(write(dir, "unknown-length.flac", flacHead(0, 16_000))));
        assertNull(CountedLength.of(dir.resolve("missing.flac")));
        assertNull(CountedLength.of(dir), "a folder");
    }

    /**
     * A file opened on a thread whose interrupt flag is set (a request cancelled as its file is opened, a part's thread
     * cancelled) is judged as on any other: FFmpeg's reads do not see interrupts, and neither may these. Before, the
     * headers were read through a file channel, which an interrupt closes: a FLAC's sample count, an MP3's frame count
     * and a WAV's declared size read as absent, so an 8 s FLAC cut at 90 % decoded as a 7.2 s recording without a word.
     */
    @Test
    void anInterruptedThreadReadsTheSameHeaders(@TempDir Path dir) throws Exception {
        Path flac = GeneratedContainersTest.audioOnly("flac", AV_CODEC_ID_FLAC, 44_100, 2).seconds(8).write("interrupted.flac");
        Path mp3 = GeneratedContainersTest.audioOnly("mp3", AV_CODEC_ID_MP3, 44_100, 2).seconds(8).write("interrupted.mp3");
        Path wav = GeneratedContainersTest.audioOnly("wav", AV_CODEC_ID_PCM_S16LE, 16_000, 1).seconds(2).write("interrupted.wav");
        byte[] all = Files.readAllBytes(flac);
        Path cut = Files.write(dir.resolve("interrupted-cut.flac"), java.util.Arrays.copyOf(all, (int) (all.length * 0.9)));
        CountedLength flacCount = CountedLength.of(flac), mp3Count = CountedLength.of(mp3);
        long wavBytes = DeclaredLength.of(wav);
        assertNotNull(flacCount);
        assertNotNull(mp3Count);
        assertEquals(Files.size(wav), wavBytes);
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        Thread.currentThread().interrupt();
        try {
            assertEquals(flacCount, CountedLength.of(flac));
            assertEquals(mp3Count, CountedLength.of(mp3));
            assertEquals(wavBytes, DeclaredLength.of(wav));
            MediaException e = BadInputTest.assertKind(MediaException.Kind.TRUNCATED, "interrupted-cut.flac",
                    () -> decoder.decode(cut));
            assertTrue(e.getMessage().contains("352800 samples"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is left for the caller");
        } finally {
            Thread.interrupted();
        }
    }
}
