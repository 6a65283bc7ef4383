package dev.moodtag.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The length in bytes that a container's own header says the file has, for the containers that say it
 * (RIFF: wav, avi; ISO BMFF: mp4, m4a, mov; Matroska: mkv, webm). A file shorter than that was cut short. FFmpeg alone cannot
 * tell: it refuses an mp4 whose index was cut off as "invalid data", and it decodes a cut wav quietly.
 */
final class DeclaredLength {
    /** The top-level ISO BMFF boxes a file can start with. */
    private static final Set<String> FIRST_BOXES = Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot");
    private static final int MAX_BOXES = 10_000;
    private static final int EBML_HEADER = 0x1A45DFA3;
    private static final int MATROSKA_SEGMENT = 0x18538067;

    private DeclaredLength() {
    }

    /** The declared length, or -1 when the container is not one of these or declares no length. */
    static long of(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = read(ch, 0, 12);
            if (head.remaining() < 12) return -1;
            String first = ascii(head, 0);
            if (first.equals("RIFF")) return riff(head);
            if (FIRST_BOXES.contains(ascii(head, 4))) return isoBmff(ch);
            if (head.order(ByteOrder.BIG_ENDIAN).getInt(0) == EBML_HEADER) return matroska(ch);
            return -1;
        } catch (IOException e) {
            return -1; // unreadable here means FFmpeg will say what is wrong
        }
    }

    private static long riff(ByteBuffer head) {
        long size = head.order(ByteOrder.LITTLE_ENDIAN).getInt(4) & 0xFFFFFFFFL;
        // Streaming writers leave 0 or 0xFFFFFFFF when they cannot seek back to fill the size in.
        if (size == 0 || size == 0xFFFFFFFFL) return -1;
        return size + 8;
    }

    private static long isoBmff(FileChannel ch) throws IOException {
        long fileSize = ch.size();
        long offset = 0;
        for (int i = 0; i < MAX_BOXES && offset < fileSize; i++) {
            ByteBuffer box = read(ch, offset, 16).order(ByteOrder.BIG_ENDIAN);
            if (box.remaining() < 8) return offset + 8;
            long size = box.getInt(0) & 0xFFFFFFFFL;
            if (size == 0) return -1; // the last box runs to the end of the file, whatever its length
            if (size == 1) {
                if (box.remaining() < 16) return offset + 16;
                size = box.getLong(8);
            }
            if (size < 8) return -1; // malformed: leave the verdict to FFmpeg
            offset += size;
        }
        return offset;
    }

    /** The EBML header, then the Segment that holds everything else; its size is all 1s while still unknown. */
    private static long matroska(FileChannel ch) throws IOException {
        long[] header = vint(read(ch, 4, 8));
        if (header == null) return -1;
        long segmentAt = 4 + header[1] + header[0];
        ByteBuffer seg = read(ch, segmentAt, 12).order(ByteOrder.BIG_ENDIAN);
        if (seg.remaining() < 5 || seg.getInt(0) != MATROSKA_SEGMENT) return -1;
        long[] size = vint(seg.position(4).slice());
        if (size == null || size[0] == (1L << (7 * size[1])) - 1) return -1;
        return segmentAt + 4 + size[1] + size[0];
    }

    /** An EBML variable-length integer: {value, length in bytes}, or null if malformed. */
    private static long[] vint(ByteBuffer buf) {
        if (!buf.hasRemaining()) return null;
        int first = buf.get(0) & 0xff;
        int length = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || length > buf.remaining()) return null;
        long value = first & (0xff >> length);
        for (int i = 1; i < length; i++) value = (value << 8) | (buf.get(i) & 0xff);
        return new long[]{value, length};
    }

    /** Up to {@code n} bytes from {@code position}, fewer at the end of the file. */
    static ByteBuffer read(FileChannel ch, long position, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) break;
        }
        return buf.flip();
    }

    private static String ascii(ByteBuffer buf, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) c[i] = (char) (buf.get(at + i) & 0xff);
        return new String(c);
    }
}
