package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
