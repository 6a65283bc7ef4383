package dev.moodtag.media;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a file whose container declares no length (MPEG transport and program streams, DV, AMR) shows that it was cut
 * short: it ends inside its last unit, a transport packet, a DV frame, an AMR frame or a program stream pack, which
 * every writer closes whole. FFmpeg decodes such a file quietly as the shorter recording it holds. A cut that falls
 * exactly between two units leaves no sign and is not seen here. Only the file's head and tail are read, but for AMR,
 * whose frames are walked from the start (an hour is 5.7 MB at its highest rate) up to {@link #MAX_AMR_BYTES}.
 */
final class CutEnd {
    private static final int PROGRAM_STREAM_PACK = 0x000001BA, PROGRAM_STREAM_END = 0x000001B9;
    /** A program stream's last pack and the one before it: a PES packet holds at most 65,535 + 6 bytes. */
    private static final int PROGRAM_STREAM_TAIL = 2 * (65_541 + 32);
    private static final int DV_HEADER = 0x1F07003F, DV_HEADER_MASK = 0xFFFFFF7F;
    private static final byte[] AMR_NB = "#!AMR\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] AMR_WB = "#!AMR-WB\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Bytes of a frame, its header byte included, by frame type (3GPP TS 26.101 and 26.201; 9-15: header only). */
    private static final int[] AMR_NB_FRAME = {13, 14, 16, 18, 20, 21, 27, 32, 6, 1, 1, 1, 1, 1, 1, 1};
    private static final int[] AMR_WB_FRAME = {18, 24, 33, 37, 41, 47, 51, 59, 61, 6, 1, 1, 1, 1, 1, 1};
    /** 3 hours at AMR-NB's highest rate; a longer file is left to the decoder. */
    static final long MAX_AMR_BYTES = 32L << 20;

    private CutEnd() {
    }

    /** Why the file was cut short, for the message ("it ends 100 bytes into a 188-byte transport packet"), or empty. */
    static Optional<String> of(Path file) {
        try (RandomAccessFile ch = new RandomAccessFile(file.toFile(), "r")) {
            long size = ch.length();
            byte[] head = bytes(DeclaredLength.read(ch, 0, TransportStreamHead.BYTES));
            if (head.length < 4) return Optional.empty();
            int first = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN).getInt(0);
            if ((first & DV_HEADER_MASK) == DV_HEADER) return dv(size, (first & 0x80) != 0 ? 144_000 : 120_000);
            if (first == PROGRAM_STREAM_PACK) return programStream(ch, size);
            if (MediaFileCheck.startsWith(head, AMR_WB)) return amr(file, size, AMR_WB.length, AMR_WB_FRAME);
            if (MediaFileCheck.startsWith(head, AMR_NB)) return amr(file, size, AMR_NB.length, AMR_NB_FRAME);
            // A file starting with a packet: a run of sync bytes further on may be the picture of another container
            TransportStreamHead.Packets packets = TransportStreamHead.packets(head);
            return packets == null || packets.start() != 0 || head[packets.bytes() == 192 ? 4 : 0] != 0x47 ? Optional.empty()
                    : transportStream(ch, size, packets.bytes());
        } catch (IOException e) {
            return Optional.empty(); // FFmpeg will say what is wrong with a file that cannot be read here
        }
    }

    /** Whole packets to the end, in the phase the packets of the file's tail keep. */
    private static Optional<String> transportStream(RandomAccessFile ch, long size, int packetBytes) throws IOException {
        int n = (int) Math.min(size, TransportStreamHead.BYTES);
        byte[] tail = bytes(DeclaredLength.read(ch, size - n, n));
        TransportStreamHead.Packets packets = TransportStreamHead.packets(tail);
        // A tail holding no packets in step (padding a recorder left) shows no cut
        if (packets == null || packets.bytes() != packetBytes) return Optional.empty();
        int into = Math.floorMod(tail.length - packets.start(), packetBytes);
        return into == 0 ? Optional.empty() : Optional.of("it ends " + into + " bytes into a " + packetBytes
                + "-byte transport stream packet, which every writer closes whole");
    }

    private static Optional<String> dv(long size, int frameBytes) {
        long into = size % frameBytes;
        return into == 0 ? Optional.empty() : Optional.of("it ends " + into + " bytes into a " + frameBytes
                + "-byte DV frame, which every writer closes whole");
    }

    /** The frames from the header on, each as long as its type says, must end with the file. */
    private static Optional<String> amr(Path file, long size, int header, int[] frameBytes) throws IOException {
        try (InputStream in = new BufferedInputStream(new FileInputStream(file.toFile()), 1 << 16)) {
            in.skipNBytes(header);
            // By the file's size: a file stream skips past its end without a word
            for (long at = header; at < size && at < MAX_AMR_BYTES; ) {
                int frame = frameBytes[(in.read() >> 3) & 0x0F];
                if (at + frame > size)
                    return Optional.of("its last AMR frame has " + (size - at) + " of the " + frame
                            + " bytes its frame type has");
                in.skipNBytes(frame - 1);
                at += frame;
            }
            return Optional.empty();
        }
    }

    /**
     * The last pack's header and PES packets must end with the file (or with the end code). The pack is taken for the
     * last only where the pack before it, walked the same way, ends exactly where it starts: a start code's bytes
     * inside audio are not a pack.
     */
    private static Optional<String> programStream(RandomAccessFile ch, long size) throws IOException {
        int n = (int) Math.min(size, PROGRAM_STREAM_TAIL);
        ByteBuffer tail = DeclaredLength.read(ch, size - n, n).order(ByteOrder.BIG_ENDIAN);
        int last = lastPack(tail, tail.limit() - 4);
        if (last < 0) return Optional.empty();
        if (size - n + last != 0) {
            int before = lastPack(tail, last - 1);
            if (before < 0 || packEnd(tail, before, last) != last) return Optional.empty();
        }
        int end = packEnd(tail, last, tail.limit());
        if (end == tail.limit() || end == -1) return Optional.empty();
        return Optional.of("its last program stream pack runs " + (end - tail.limit())
                + " bytes past the end of the file, which has no end code");
    }

    /** Where the last pack start code at or before {@code from} is, or -1. */
    private static int lastPack(ByteBuffer b, int from) {
        for (int i = Math.min(from, b.limit() - 4); i >= 0; i--) if (b.getInt(i) == PROGRAM_STREAM_PACK) return i;
        return -1;
    }

    /**
     * Walks the pack at {@code at}: its header, then PES packets up to the next pack, the end code or {@code limit}.
     * Returns where it ends (past {@code limit} where the file was cut inside it), or -1 where the bytes are not a pack.
     */
    private static int packEnd(ByteBuffer b, int at, int limit) {
        if (limit - at < 5) return at + 14;
        int mark = b.get(at + 4) & 0xff;
        int pos;
        if ((mark & 0xF0) == 0x20) pos = at + 12; // MPEG-1
        else if ((mark & 0xC0) == 0x40) pos = limit - at < 14 ? at + 14 : at + 14 + (b.get(at + 13) & 7);
        else return -1;
        while (pos < limit) {
            if (limit - pos < 4) return pos + 4;
            int code = b.getInt(pos);
            if (code == PROGRAM_STREAM_PACK) return pos;
            if (code == PROGRAM_STREAM_END) return limit;
            if ((code >>> 8) != 1 || (code & 0xff) < 0xBB) return -1;
            if (limit - pos < 6) return pos + 6;
            pos += 6 + (b.getShort(pos + 4) & 0xffff);
        }
        return pos;
    }

    private static byte[] bytes(ByteBuffer b) {
        return java.util.Arrays.copyOf(b.array(), b.limit());
    }
}
