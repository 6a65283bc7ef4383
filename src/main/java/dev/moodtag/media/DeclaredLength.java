package dev.moodtag.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Set;

/**
 * The length in bytes that a container's own header says the file has, for the containers that say it
 * (RIFF: wav, avi; ISO BMFF: mp4, m4a, mov, 3gp; Matroska: mkv, webm; IFF: aiff; ASF: wmv, wma; CAF; MXF, by where
 * its header puts the footer and what the footer holds). A file shorter
 * than that was cut short. FFmpeg alone cannot tell: it refuses an mp4 whose index was cut off as "invalid data", and
 * it decodes a cut wav, aiff, caf or wma quietly.
 */
final class DeclaredLength {
    /** The top-level ISO BMFF boxes a file can start with. */
    private static final Set<String> FIRST_BOXES = Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot");
    private static final int MAX_BOXES = 10_000;
    private static final int EBML_HEADER = 0x1A45DFA3;
    private static final int MATROSKA_SEGMENT = 0x18538067;
    /** The GUIDs of ASF's Header Object and of its File Properties Object, as they lie in the file. */
    private static final byte[] ASF_HEADER = guid("3026B2758E66CF11A6D900AA0062CE6C");
    private static final byte[] ASF_FILE_PROPERTIES = guid("A1DCAB8C47A9CF118EE400C00C205365");

    private DeclaredLength() {
    }

    /** The declared length, or -1 when the container is not one of these or declares no length. */
    static long of(Path file) {
        try (RandomAccessFile ch = new RandomAccessFile(file.toFile(), "r")) {
            ByteBuffer head = read(ch, 0, 16);
            if (head.remaining() < 12) return -1;
            String first = ascii(head, 0);
            if (first.equals("RIFF")) return riff(head);
            if (first.equals("FORM")) return iff(head);
            if (first.equals("caff")) return caf(ch);
            if (startsWith(head, ASF_HEADER)) return asf(ch);
            if (FIRST_BOXES.contains(ascii(head, 4))) return isoBmff(ch);
            if (head.order(ByteOrder.BIG_ENDIAN).getInt(0) == EBML_HEADER) return matroska(ch);
            if (mxfPartition(head, MXF_HEADER)) return mxf(ch);
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

    /** AIFF and AIFF-C: a FORM chunk over the whole file, its size big-endian. */
    private static long iff(ByteBuffer head) {
        long size = head.order(ByteOrder.BIG_ENDIAN).getInt(4) & 0xFFFFFFFFL;
        if (size == 0 || size == 0xFFFFFFFFL) return -1;
        return size + 8;
    }

    /**
     * CAF: an 8-byte file header, then chunks of a type and a signed 64-bit size; a data chunk of size -1 runs to the end
     * of the file (a writer that could not seek back), which declares nothing.
     */
    private static long caf(RandomAccessFile ch) throws IOException {
        return chunks(ch, 8, chunk -> {
            if (chunk.remaining() < 12) return 12;
            long size = chunk.getLong(4);
            return size < 0 ? -1 : saturatedSum(12, size); // -1: to the end; below: malformed, FFmpeg's verdict
        });
    }

    /**
     * ASF (wmv, wma, asf): the File Properties Object in the header gives the file's size, invalid when its broadcast
     * flag is set (a live stream's writer cannot know it).
     */
    private static long asf(RandomAccessFile ch) throws IOException {
        ByteBuffer header = read(ch, 0, 30).order(ByteOrder.LITTLE_ENDIAN);
        if (header.remaining() < 30) return -1;
        long headerEnd = header.getLong(16);
        long offset = 30;
        for (int i = 0; i < MAX_BOXES && offset < headerEnd; i++) {
            ByteBuffer object = read(ch, offset, 92).order(ByteOrder.LITTLE_ENDIAN);
            // The file ends inside the header, which declares its own size
            if (object.remaining() < 24) return Math.max(headerEnd, offset + 24);
            long size = object.getLong(16);
            if (startsWith(object, ASF_FILE_PROPERTIES)) {
                if (object.remaining() < 92) return Math.max(headerEnd, offset + 92);
                if ((object.getInt(88) & 1) != 0) return -1;
                long fileSize = object.getLong(40);
                return fileSize > 0 ? fileSize : -1;
            }
            if (size < 24) return -1;
            offset += size;
        }
        return -1;
    }

    /**
     * MXF: the header partition pack gives the offset of the footer partition (0 where a writer that could not seek back
     * left it unknown); the footer's KLV items (its partition pack, index segments, the random index pack) run to the
     * end of the file. A file that ends before the footer, or inside one of its items, was cut.
     */
    private static long mxf(RandomAccessFile ch) throws IOException {
        ByteBuffer header = read(ch, 0, 64).order(ByteOrder.BIG_ENDIAN);
        long[] value = berLength(header, 16);
        // Major and minor version (2 + 2), KAG size (4), this and the previous partition (8 + 8), then the footer's
        if (value == null || header.remaining() < value[1] + 32) return -1;
        long footer = header.getLong((int) value[1] + 24);
        if (footer <= 0) return -1;
        if (footer >= ch.length()) return saturatedSum(footer, MXF_PARTITION_KEY.length + 1);
        if (!mxfPartition(read(ch, footer, 16), MXF_FOOTER)) return -1; // a footer offset that misses: FFmpeg's verdict
        return chunks(ch, footer, 25, klv -> {
            if (klv.remaining() < 17) return 17;
            // Bytes after the last item that are no KLV (padding to a sector): the walk cannot say where the file ends
            if (!startsWith(klv, SMPTE_LABEL)) return -1;
            long[] v = berLength(klv, 16);
            if (v == null) return klv.remaining() < 25 && (klv.get(16) & 0xff) > 0x80 ? 17 + (klv.get(16) & 0x7f) : -1;
            return saturatedSum(v[1], v[0]);
        });
    }

    /** The 13 bytes all MXF partition pack keys start with; the 14th says which partition, the 15th its status. */
    private static final byte[] MXF_PARTITION_KEY = guid("060E2B34020501010D01020101");
    /** What every SMPTE key, so every MXF item, starts with. */
    private static final byte[] SMPTE_LABEL = guid("060E2B34");
    private static final int MXF_HEADER = 0x02, MXF_FOOTER = 0x04;

    private static boolean mxfPartition(ByteBuffer buf, int kind) {
        return buf.remaining() >= 16 && startsWith(buf, MXF_PARTITION_KEY) && buf.get(13) == kind;
    }

    /**
     * A KLV item's BER-coded length at {@code at} (its key's end): {value length, where the value starts}, or null where
     * the length is malformed (more than 8 bytes of it) or runs past the bytes at hand.
     */
    private static long[] berLength(ByteBuffer buf, int at) {
        if (buf.remaining() <= at) return null;
        int first = buf.get(at) & 0xff;
        if (first < 0x80) return new long[]{first, at + 1};
        int n = first & 0x7f;
        if (n == 0 || n > 8 || buf.remaining() < at + 1 + n) return null;
        long length = 0;
        for (int i = 0; i < n; i++) length = length << 8 | (buf.get(at + 1 + i) & 0xff);
        return length < 0 ? null : new long[]{length, at + 1 + n};
    }

    private static boolean startsWith(ByteBuffer buf, byte[] prefix) {
        if (buf.remaining() < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (buf.get(i) != prefix[i]) return false;
        return true;
    }

    private static byte[] guid(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    private static long isoBmff(RandomAccessFile ch) throws IOException {
        return chunks(ch, 0, box -> {
            if (box.remaining() < 8) return 8;
            long size = box.getInt(0) & 0xFFFFFFFFL;
            if (size == 0) return -1; // the last box runs to the end of the file, whatever its length
            if (size == 1) {
                if (box.remaining() < 16) return 16;
                size = box.getLong(8);
            }
            return size < 8 ? -1 : size; // malformed: leave the verdict to FFmpeg
        });
    }

    /**
     * Walks the chunks (boxes) that follow one another from {@code offset} to the end of the file: the end of the last
     * one is the declared length. {@code length} gives a chunk's length, header included, from its first 16 bytes
     * (big-endian; fewer at the end of the file), the header bytes it needed where the file ends inside them, or -1
     * where a chunk declares no length or is malformed (then the file declares none).
     */
    private static long chunks(RandomAccessFile ch, long offset, java.util.function.ToLongFunction<ByteBuffer> length)
            throws IOException {
        return chunks(ch, offset, 16, length);
    }

    /** As {@link #chunks(RandomAccessFile, long, java.util.function.ToLongFunction)}, with headers of up to {@code headerBytes}. */
    private static long chunks(RandomAccessFile ch, long offset, int headerBytes,
                               java.util.function.ToLongFunction<ByteBuffer> length) throws IOException {
        long fileSize = ch.length();
        for (int i = 0; i < MAX_BOXES && offset < fileSize; i++) {
            long n = length.applyAsLong(read(ch, offset, headerBytes).order(ByteOrder.BIG_ENDIAN));
            if (n < 0) return -1;
            offset = saturatedSum(offset, n); // a size near 2^63 declares more than any file holds, not a negative length
        }
        return offset;
    }

    private static long saturatedSum(long a, long b) {
        return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
    }

    /** The EBML header, then the Segment that holds everything else; its size is all 1s while still unknown. */
    private static long matroska(RandomAccessFile ch) throws IOException {
        long[] segment = segment(ch);
        return segment == null ? -1 : segment[1];
    }

    /** Where the Segment's content starts and ends, or null when it has no known size. */
    private static long[] segment(RandomAccessFile ch) throws IOException {
        long[] header = vint(read(ch, 4, 8));
        if (header == null) return null;
        long segmentAt = 4 + header[1] + header[0];
        ByteBuffer seg = read(ch, segmentAt, 12).order(ByteOrder.BIG_ENDIAN);
        if (seg.remaining() < 5 || seg.getInt(0) != MATROSKA_SEGMENT) return null;
        long[] size = vint(seg.position(4).slice());
        if (size == null || unknownSize(size)) return null;
        long content = segmentAt + 4 + size[1];
        return new long[]{content, content + size[0]};
    }

    /** An EBML size of all 1s: a live writer's "until the end". */
    static boolean unknownSize(long[] size) {
        return size[0] == (1L << (7 * size[1])) - 1;
    }

    /** Top-level Matroska elements that hold or lead to streams. */
    private static final int MATROSKA_TRACKS = 0x1654AE6B, MATROSKA_CLUSTER = 0x1F43B675;

    /**
     * Whether {@code file} is a Matroska file whose Segment, read to its end, holds neither tracks nor clusters: a
     * bundle of attachments (fonts, say). FFmpeg cannot open one (it looks for a first cluster and finds the end of
     * the file), which read as a damaged file; it is a file with no audio or video stream. False for anything else,
     * or where the walk cannot be completed (an unknown size, a cut file): FFmpeg's verdict stands there.
     */
    static boolean matroskaWithoutTracks(Path file) {
        try (RandomAccessFile ch = new RandomAccessFile(file.toFile(), "r")) {
            ByteBuffer head = read(ch, 0, 12);
            if (head.remaining() < 12 || head.order(ByteOrder.BIG_ENDIAN).getInt(0) != EBML_HEADER) return false;
            long[] segment = segment(ch);
            if (segment == null || segment[1] > ch.length()) return false;
            long at = segment[0], end = segment[1];
            for (int i = 0; i < MAX_BOXES && at < end; i++) {
                ByteBuffer element = read(ch, at, 12);
                long[] id = vint(element);
                if (id == null) return false;
                long[] length = vint(element.position((int) id[1]).slice());
                if (length == null || unknownSize(length)) return false;
                int idWithMarker = 0;
                for (int b = 0; b < id[1]; b++) idWithMarker = (idWithMarker << 8) | (element.get(b) & 0xff);
                if (idWithMarker == MATROSKA_TRACKS || idWithMarker == MATROSKA_CLUSTER) return false;
                at += id[1] + length[1] + length[0];
            }
            return at == end;
        } catch (IOException | RuntimeException e) {
            return false; // FFmpeg's verdict stands
        }
    }

    /** An EBML variable-length integer: {value, length in bytes}, or null if malformed. */
    static long[] vint(ByteBuffer buf) {
        if (!buf.hasRemaining()) return null;
        int first = buf.get(0) & 0xff;
        int length = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || length > buf.remaining()) return null;
        long value = first & (0xff >> length);
        for (int i = 1; i < length; i++) value = (value << 8) | (buf.get(i) & 0xff);
        return new long[]{value, length};
    }

    /**
     * Up to {@code n} bytes from {@code position}, fewer at the end of the file; read as {@link FileTail#read} reads,
     * which an interrupt of the decoding thread does not stop (a file channel closed, and the header read as absent).
     */
    static ByteBuffer read(RandomAccessFile ch, long position, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        return buf.limit(FileTail.read(ch, position, buf.array(), n));
    }

    private static String ascii(ByteBuffer buf, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) c[i] = (char) (buf.get(at + i) & 0xff);
        return new String(c);
    }
}
