package dev.moodtag.media;

/**
 * Whether a file's first bytes are MPEG transport stream packets: the sync byte 0x47 at a fixed step, 188 bytes (broadcast
 * TS), 192 (M2TS and AVCHD, a 4-byte time code before each packet) or 204 (packets with Reed-Solomon parity), in some
 * phase, since a capture may start in the middle of a packet. A run of several packets in step is asked for, not the
 * first packet alone, so a stream whose first packets are damaged is still one.
 */
final class TransportStreamHead {
    private static final int SYNC = 0x47;
    private static final int[] PACKET_BYTES = {188, 192, 204};
    /** Packets in step that make a stream; fewer where the file holds fewer (then all it holds, and at least 2). */
    private static final int RUN = 5;
    /** Packets looked at: a run may start after this many damaged ones, less the run. */
    private static final int PACKETS = 64;
    /** The bytes {@link #looksLike} needs from the start of a file. */
    static final int BYTES = PACKETS * 204;

    private TransportStreamHead() {
    }

    /**
     * Whether the file may be a transport stream: it is one, or it is too short to tell and not text (an empty file, a
     * capture cut inside its second packet), which the decoder then answers with what is wrong with it.
     *
     * @param head the file's first {@link #BYTES} bytes, or all of it where it is shorter
     */
    static boolean couldBe(byte[] head) {
        if (head.length == 0) return true;
        // Text, which TypeScript is, never holds transport packets: their headers and payloads are binary.
        if (MediaFileCheck.nonMediaKind(head) != null) return false;
        return head.length < 2 * PACKET_BYTES[0] || packets(head) != null;
    }

    /**
     * Transport packets in {@code bytes}: their size, and where one starts (0 to the size less 1; an M2TS packet's time
     * code is 4 bytes before its sync byte).
     */
    record Packets(int bytes, int start) {
    }

    /** The packets {@code bytes} holds a run of, or null where it holds none. */
    static Packets packets(byte[] bytes) {
        for (int step : PACKET_BYTES) {
            int needed = Math.min(RUN, bytes.length / step);
            if (needed < 2) continue;
            for (int phase = 0; phase < step; phase++)
                if (longestRun(bytes, phase, step) >= needed)
                    return new Packets(step, Math.floorMod(phase - (step == 192 ? 4 : 0), step));
        }
        return null;
    }

    private static int longestRun(byte[] head, int phase, int step) {
        int longest = 0, run = 0;
        for (int at = phase; at < head.length; at += step) {
            run = (head[at] & 0xff) == SYNC ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
