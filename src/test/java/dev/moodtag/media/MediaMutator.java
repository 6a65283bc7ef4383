package dev.moodtag.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Deterministic mutations of a media file, for {@link MediaFuzz}: the same bytes and the same random source give the
 * same mutant. Besides blind ones (bit flips, runs of 0x00/0xFF/noise, a chunk repeated or dropped, a cut, two files
 * spliced), it inflates what parsers trust near the start: the sizes of boxes and chunks (ISO BMFF, RIFF, IFF, CAF,
 * ASF), EBML element sizes, and fields holding the seed's known picture sizes, sample rates and channel counts.
 */
final class MediaMutator {
    /** Values that break size arithmetic: zero, one, sign bits, all ones, and near them. */
    private static final long[] EXTREMES = {0, 1, 2, 0x7F, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFFL,
            0x80000000L, 0xFFFFFFFFL, 0xFFFFFFFEL, 0x100000000L, Long.MAX_VALUE, -1L, Long.MIN_VALUE};
    /** Picture sides, sample rates and channel counts the seeds are written with (and the shared samples have). */
    private static final int[] KNOWN_FIELDS = {320, 240, 176, 144, 720, 576, 1280, 250, 48000, 44100, 16000, 8000, 22050};
    private static final byte[][] EBML_IDS = {hex("1A45DFA3"), hex("18538067"), hex("1F43B675"), hex("1654AE6B"),
            hex("114D9B74"), hex("1549A966"), hex("1C53BB6B"), hex("AE"), hex("E0"), hex("E1"), hex("A3"), hex("A0"), hex("63A2")};

    /** One mutant and what was done to get it. */
    record Mutant(byte[] bytes, String how) {
    }

    private MediaMutator() {
    }

    /** One to three mutations stacked; {@code other} is a second seed for splicing. */
    static Mutant mutate(byte[] seed, byte[] other, Random r) {
        byte[] b = seed.clone();
        List<String> how = new ArrayList<>();
        int n = 1 + (r.nextInt(10) < 7 ? 0 : 1 + r.nextInt(2));
        for (int i = 0; i < n && b.length > 0; i++) {
            int op = r.nextInt(100);
            if (op < 15) b = bitFlips(b, r, how);
            else if (op < 27) b = byteRun(b, r, how);
            else if (op < 35) b = duplicate(b, r, how);
            else if (op < 40) b = drop(b, r, how);
            else if (op < 48) b = truncate(b, r, how);
            else if (op < 53) b = splice(b, other, r, how);
            else if (op < 73) b = inflateSize(b, r, how);
            else if (op < 83) b = ebmlSize(b, r, how);
            else if (op < 95) b = knownField(b, r, how);
            else b = nearStartField(b, r, how);
        }
        return new Mutant(b, String.join("+", how));
    }

    /** An offset, half the time in the first 4 KiB, where headers are. */
    private static int offset(byte[] b, Random r) {
        int span = r.nextBoolean() ? Math.min(b.length, 4096) : b.length;
        return r.nextInt(span);
    }

    private static byte[] bitFlips(byte[] b, Random r, List<String> how) {
        int flips = 1 + r.nextInt(16);
        for (int i = 0; i < flips; i++) {
            int at = offset(b, r);
            b[at] ^= (byte) (1 << r.nextInt(8));
        }
        how.add("flip" + flips);
        return b;
    }

    private static byte[] byteRun(byte[] b, Random r, List<String> how) {
        int at = offset(b, r);
        int len = Math.min(b.length - at, 1 + r.nextInt(r.nextBoolean() ? 16 : 4096));
        int fill = r.nextInt(3);
        for (int i = 0; i < len; i++) b[at + i] = fill == 0 ? 0 : fill == 1 ? (byte) 0xFF : (byte) r.nextInt();
        how.add("run" + (fill == 0 ? "00" : fill == 1 ? "FF" : "rnd") + "@" + at + "x" + len);
        return b;
    }

    private static byte[] duplicate(byte[] b, Random r, List<String> how) {
        int from = r.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + r.nextInt(8192));
        int to = r.nextInt(b.length + 1);
        int copies = r.nextInt(4) == 0 ? 1 + r.nextInt(50) : 1;
        byte[] out = new byte[b.length + len * copies];
        System.arraycopy(b, 0, out, 0, to);
        for (int c = 0; c < copies; c++) System.arraycopy(b, from, out, to + c * len, len);
        System.arraycopy(b, to, out, to + len * copies, b.length - to);
        how.add("dup" + from + "x" + len + "*" + copies + "@" + to);
        return out;
    }

    private static byte[] drop(byte[] b, Random r, List<String> how) {
        int from = offset(b, r);
        int len = Math.min(b.length - from, 1 + r.nextInt(4096));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, from + len, out, from, b.length - from - len);
        how.add("drop" + from + "x" + len);
        return out;
    }

    private static byte[] truncate(byte[] b, Random r, List<String> how) {
        int to = r.nextInt(b.length);
        how.add("cut" + to);
        return Arrays.copyOf(b, to);
    }

    private static byte[] splice(byte[] b, byte[] other, Random r, List<String> how) {
        int head = r.nextInt(b.length + 1);
        int tail = r.nextInt(other.length + 1);
        byte[] out = Arrays.copyOf(b, head + other.length - tail);
        System.arraycopy(other, tail, out, head, other.length - tail);
        how.add("splice" + head + "+" + tail);
        return out;
    }

    /**
     * A box or chunk header: four printable characters with a 32-bit size before them (ISO BMFF, big-endian) or after
     * them (RIFF little-endian, IFF big-endian), or 64 bits after them (CAF), whose value fits in the file.
     */
    private static byte[] inflateSize(byte[] b, Random r, List<String> how) {
        List<int[]> fields = new ArrayList<>(); // {offset, width, littleEndian}
        for (int p = 0; p + 4 <= b.length && fields.size() < 4096; p++) {
            if (!fourCc(b, p)) continue;
            if (p >= 4 && fits(read(b, p - 4, 4, false), b.length)) fields.add(new int[]{p - 4, 4, 0});
            if (p + 8 <= b.length && fits(read(b, p + 4, 4, true), b.length)) fields.add(new int[]{p + 4, 4, 1});
            if (p + 8 <= b.length && fits(read(b, p + 4, 4, false), b.length)) fields.add(new int[]{p + 4, 4, 0});
            if (p + 12 <= b.length && fits(read(b, p + 4, 8, false), b.length)) fields.add(new int[]{p + 4, 8, 0});
        }
        if (fields.isEmpty()) return nearStartField(b, r, how);
        int[] f = fields.get(r.nextInt(fields.size()));
        long old = read(b, f[0], f[1], f[2] == 1);
        long v = r.nextBoolean() ? EXTREMES[r.nextInt(EXTREMES.length)] : old * (2 + r.nextInt(1000)) + r.nextInt(16);
        write(b, f[0], f[1], f[2] == 1, v);
        how.add("size@" + f[0] + (f[2] == 1 ? "le" : "be") + f[1] * 8 + "=" + Long.toUnsignedString(v & mask(f[1])));
        return b;
    }

    /** An EBML element's variable-length size after a Matroska ID: all ones (unknown), its maximum, or zero. */
    private static byte[] ebmlSize(byte[] b, Random r, List<String> how) {
        List<Integer> sizes = new ArrayList<>();
        int limit = Math.min(b.length, 1 << 16);
        for (int p = 0; p < limit && sizes.size() < 2048; p++) {
            for (byte[] id : EBML_IDS) {
                if (p + id.length < b.length && Arrays.equals(b, p, p + id.length, id, 0, id.length)
                        && b[p + id.length] != 0) sizes.add(p + id.length);
            }
        }
        if (sizes.isEmpty()) return inflateSize(b, r, how);
        int at = sizes.get(r.nextInt(sizes.size()));
        int len = Integer.numberOfLeadingZeros(b[at] & 0xFF) - 23;
        if (at + len > b.length) len = b.length - at;
        int kind = r.nextInt(3);
        for (int i = 0; i < len; i++) {
            int v = kind == 0 ? 0xFF : kind == 1 ? (i == len - 1 ? 0xFE : 0xFF) : 0;
            b[at + i] = (byte) (i == 0 ? (0x100 >> len) | (v & (0xFF >> len)) : v);
        }
        how.add("ebml@" + at + "x" + len + (kind == 0 ? "=unknown" : kind == 1 ? "=max" : "=0"));
        return b;
    }

    /** A 16- or 32-bit field in the first 64 KiB holding a picture side, a sample rate or a channel count the seed has. */
    private static byte[] knownField(byte[] b, Random r, List<String> how) {
        List<int[]> fields = new ArrayList<>();
        int limit = Math.min(b.length, 1 << 16);
        for (int p = 0; p + 4 <= limit && fields.size() < 4096; p++) {
            for (int v : KNOWN_FIELDS) {
                for (int width : new int[]{2, 4}) {
                    if (v > 0xFFFF && width == 2) continue;
                    if (read(b, p, width, false) == v) fields.add(new int[]{p, width, 0});
                    if (read(b, p, width, true) == v) fields.add(new int[]{p, width, 1});
                }
            }
        }
        if (fields.isEmpty()) return nearStartField(b, r, how);
        int[] f = fields.get(r.nextInt(fields.size()));
        long v = switch (r.nextInt(4)) {
            case 0 -> EXTREMES[r.nextInt(EXTREMES.length)];
            case 1 -> 7681 + r.nextInt(60000);
            case 2 -> 1 + r.nextInt(16);
            default -> read(b, f[0], f[1], f[2] == 1) * (2 + r.nextInt(64));
        };
        write(b, f[0], f[1], f[2] == 1, v);
        how.add("field@" + f[0] + (f[2] == 1 ? "le" : "be") + f[1] * 8 + "=" + Long.toUnsignedString(v & mask(f[1])));
        return b;
    }

    /** Any 16- or 32-bit field in the first 512 bytes, set to an extreme. */
    private static byte[] nearStartField(byte[] b, Random r, List<String> how) {
        int width = r.nextBoolean() ? 2 : 4;
        if (b.length < width) return truncate(b, r, how);
        int at = r.nextInt(Math.min(b.length - width + 1, 512));
        boolean le = r.nextBoolean();
        long v = EXTREMES[r.nextInt(EXTREMES.length)];
        write(b, at, width, le, v);
        how.add("near@" + at + (le ? "le" : "be") + width * 8 + "=" + Long.toUnsignedString(v & mask(width)));
        return b;
    }

    private static boolean fourCc(byte[] b, int p) {
        for (int i = 0; i < 4; i++) {
            int c = b[p + i] & 0xFF;
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ')) return false;
        }
        return Character.isLetter(b[p] & 0xFF);
    }

    private static boolean fits(long size, int fileLength) {
        return size >= 8 && size <= fileLength;
    }

    private static long mask(int width) {
        return width == 8 ? -1L : (1L << (width * 8)) - 1;
    }

    static long read(byte[] b, int at, int width, boolean littleEndian) {
        ByteBuffer bb = ByteBuffer.wrap(b, at, width).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        return switch (width) {
            case 2 -> bb.getShort() & 0xFFFFL;
            case 4 -> bb.getInt() & 0xFFFFFFFFL;
            default -> bb.getLong();
        };
    }

    static void write(byte[] b, int at, int width, boolean littleEndian, long v) {
        ByteBuffer bb = ByteBuffer.wrap(b, at, width).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        switch (width) {
            case 2 -> bb.putShort((short) v);
            case 4 -> bb.putInt((int) v);
            default -> bb.putLong(v);
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
