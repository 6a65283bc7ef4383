package dev.moodtag.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a Matroska file's media ends on its clock, read from its clusters: FFmpeg takes the Segment's Duration element
 * as the length and reads no further, and a Duration that falls short of the clusters (a recorder that updates it as it
 * goes and stopped before its last update, clusters appended after the Cues) made a 40 s film declaring 10 s pass as
 * one 12.6 s utterance under a 20 s limit: without audio, decoding stops once the frames kept are enough, so nothing
 * but the declared length sees how long it is. So did a live writer's WebM, which declares no Duration at all. The last
 * cluster is found from the end of the clusters (where the SeekHead puts the Cues, else the end of the Segment): the
 * last Cluster ID in the 64 kB (then 1 MB) before it from which the elements, walked by their sizes (a live writer's
 * cluster of unknown size block by block, to the next top-level element), land there; a walk over every cluster from
 * the first read a whole file of small clusters (an hour of a browser's Opus in 1 s clusters: 6.6 MB at every open).
 * Clusters too large for the tail are walked from the first, as far as {@link #MAX_WALK_BYTES} allow, and clusters
 * after the Cues from the Cues on. The last one's blocks are read for their times, all through {@link FileWindow}s under
 * the object's time budget (none for the probe: {@link #MAX_WALK_BYTES} bounds it).
 */
final class MatroskaEnd {
    private MatroskaEnd() {
    }

    /** TrackType's values for video and audio. */
    private static final long VIDEO = 1, AUDIO = 2;
    private static final long EBML = 0x1A45DFA3L, SEGMENT = 0x18538067L, INFO = 0x1549A966L, TIMECODE_SCALE = 0x2AD7B1L,
            CLUSTER = 0x1F43B675L, TIMECODE = 0xE7L, SIMPLE_BLOCK = 0xA3L, BLOCK_GROUP = 0xA0L, BLOCK = 0xA1L,
            BLOCK_DURATION = 0x9BL, TRACKS = 0x1654AE6BL, TRACK_ENTRY = 0xAEL, TRACK_NUMBER = 0xD7L,
            DEFAULT_DURATION = 0x23E383L, CODEC_DELAY = 0x56AAL, TRACK_TYPE = 0x83L, SEEK_HEAD = 0x114D9B74L, SEEK = 0x4DBBL,
            SEEK_ID = 0x53ABL, SEEK_POSITION = 0x53ACL;
    /** The Segment's children, any of which ends a cluster of unknown size: Cluster, Cues, Tags, Chapters, Attachments, SeekHead, Info, Tracks. */
    private static final Set<Long> TOP_LEVEL = Set.of(CLUSTER, 0x1C53BB6BL, 0x1254C367L, 0x1043A770L,
            0x1941A469L, 0x114D9B74L, INFO, 0x1654AE6BL);
    /** Elements walked at most, top-level and in the last cluster; beyond, no verdict. */
    static final int MAX_ELEMENTS = 2_000_000;

    /**
     * The time the blocks of the last cluster end at on the file's clock, in microseconds; 0 when unknown. A video or
     * audio block lasts its BlockGroup's BlockDuration (Opus's trimmed last packet), else its track's DefaultDuration
     * (video at a known frame rate), else nothing (PCM and AAC, which declare neither: read up to a block short, never
     * long, as the time from the block before would have a short last block of PCM end up to a block late, 0.4 s past
     * a 60 s recording), less its track's CodecDelay (the priming of Opus and AAC, which a block's time counts and
     * decoding drops). Any other block (a subtitle's) counts by its start: a cue lasting past the film is not the film.
     */
    static long micros(Path file, TimeBudget budget) {
        return read(file, budget).micros();
    }

    /** {@link #micros}, with the bytes of the file read to find it. */
    record Reading(long micros, long bytesRead) {
    }

    static Reading read(Path file, TimeBudget budget) {
        long[] read = {0};
        try (FileWindow w = new FileWindow(file, budget, HEADER_WINDOW)) {
            try {
                return new Reading(endMicros(w, file, budget, read), w.bytesRead() + read[0]);
            } finally {
                read[0] += w.bytesRead();
            }
        } catch (IOException e) {
            return new Reading(0, read[0]); // FFmpeg will say what is wrong with a file that cannot be read
        }
    }

    /**
     * The file's head (EBML header, Segment, the elements before the first cluster), its last cluster found from the end
     * of the clusters ({@link #fromTail}), and the rest of the Segment after the clusters walked; {@code tailRead[0]}
     * gets the bytes read from the tail.
     */
    private static long endMicros(FileWindow w, Path file, TimeBudget budget, long[] tailRead) throws IOException {
        long[] ebml = element(w, 0);
        if (ebml == null || ebml[0] != EBML) return 0;
        long[] segment = element(w, ebml[2] + ebml[3]);
        if (segment == null || segment[0] != SEGMENT) return 0;
        long at = segment[2], end = segment[3] < 0 ? w.size() : Math.min(w.size(), segment[2] + segment[3]);
        long scale = 1_000_000;
        Map<Long, TrackTiming> timings = Map.of();
        List<long[]> seeks = new ArrayList<>();
        for (int n = 0; n < MAX_ELEMENTS && at < end && w.bytesRead() <= MAX_WALK_BYTES; n++) {
            long[] e = element(w, at);
            if (e == null || e[0] == CLUSTER) break;
            if (e[3] < 0) return 0;
            if (e[0] == INFO) scale = child(w, e, TIMECODE_SCALE, scale);
            if (e[0] == TRACKS) timings = trackTimings(w, e);
            if (e[0] == SEEK_HEAD) seeks.addAll(seeks(w, e, segment[2]));
            at = e[2] + e[3];
        }
        long[] first = at < end ? element(w, at) : null;
        if (scale <= 0 || first == null || first[0] != CLUSTER) return 0;
        long firstCluster = at, clustersEnd = end;
        // the Cues (or Tags...) a SeekHead places after the clusters, found there: the clusters end at the first of them
        for (long[] seek : seeks) {
            if (seek[1] <= firstCluster || seek[1] >= clustersEnd || seek[0] == CLUSTER) continue;
            long[] e = element(w, seek[1]);
            if (e != null && e[0] == seek[0] && e[3] >= 0) clustersEnd = seek[1];
        }
        Walk last = fromTail(file, budget, firstCluster, clustersEnd, clustersEnd == w.size(), tailRead);
        // clusters too large for the tail: walked from the first, as far as MAX_WALK_BYTES allow (a length at least)
        if (last == null) last = walk(w, firstCluster, clustersEnd, MAX_WALK_BYTES);
        // clusters after the Cues (a recorder that went on after writing them)
        Walk after = walk(w, clustersEnd, end, MAX_WALK_BYTES);
        if (after.lastCluster() >= 0) last = after;
        return last.lastCluster() < 0 ? 0 : blocksEnd(w, last, scale, timings, w.bytesRead() + MAX_WALK_BYTES);
    }

    /**
     * Cluster IDs tried from the end of a tail, each a walk to the end: a recorder's last cluster is the last ID there
     * or one before it (a cluster cut before its Timecode, an ID inside a block), and 200,000 IDs of empty clusters that
     * never landed were 2 * 10^10 elements walked.
     */
    private static final int MAX_TAIL_CANDIDATES = 16;
    /** The tail read for the last cluster: its last 64 kB, then its last 1 MB. */
    private static final int[] TAIL_BYTES = {FileWindow.SIZE, 1 << 20};
    /**
     * What the walks may read in all (the head, the clusters from the first where the tail held no cluster's start,
     * those after the Cues), and the last cluster's blocks as much again: the probe reads the length too, before the
     * object's budget starts, so a file's head of thousands of attachments or a cluster of a GB is not read whole.
     */
    static final long MAX_WALK_BYTES = 4L << 20;
    /**
     * What the walks read at a time: they jump from one element's header to the next, and a 64 kB window read for each
     * of 3-8 MB clusters read 3.8 MB of an 81 MB film.
     */
    private static final int HEADER_WINDOW = 4096;

    /**
     * A walk over top-level elements: the last cluster met with a Timecode (-1: none) and where it ends, and where the
     * walk stopped.
     */
    private record Walk(long lastCluster, long lastClusterEnd, long stoppedAt) {
    }

    /**
     * The top-level elements from {@code at} to {@code end}, by their sizes (a cluster of unknown size to the next
     * top-level element), until one cannot be read or the window has read {@code readUpTo} bytes.
     */
    private static Walk walk(FileWindow w, long at, long end, long readUpTo) throws IOException {
        long lastCluster = -1, lastClusterEnd = -1;
        for (int n = 0; n < MAX_ELEMENTS && at < end && w.bytesRead() <= readUpTo; n++) {
            long[] e = element(w, at);
            if (e == null || e[3] < 0 && e[0] != CLUSTER) break;
            long next = e[3] >= 0 ? e[2] + e[3] : endOfUnknownSize(w, e[2], end);
            // a cluster cut before its Timecode has no time to end at
            if (e[0] == CLUSTER && timecode(w, at, Math.min(end, next)) >= 0) {
                lastCluster = at;
                lastClusterEnd = Math.min(end, next);
            }
            at = next;
        }
        return new Walk(lastCluster, lastClusterEnd, at);
    }

    /**
     * The last cluster before {@code clustersEnd}, from the file's last 64 kB (then 1 MB) before it: the last Cluster
     * ID there whose walk of elements lands on {@code clustersEnd} ({@code cut}: or runs past the file's end, or stops
     * in a header cut there) and meets a cluster with a Timecode, of the last {@link #MAX_TAIL_CANDIDATES} IDs. Null
     * where none does (a cluster larger than the tail).
     * {@code read[0]} gets the bytes read.
     */
    private static Walk fromTail(Path file, TimeBudget budget, long firstCluster, long clustersEnd, boolean cut,
                                 long[] read) throws IOException {
        for (int tail : TAIL_BYTES) {
            long from = Math.max(firstCluster, clustersEnd - tail);
            // the tail read whole, with an element header's bytes past it
            try (FileWindow t = new FileWindow(file, budget, (int) (clustersEnd - from) + 12)) {
                int at0 = t.at(from, (int) (clustersEnd - from)), tried = 0;
                for (long p = clustersEnd - 4; p >= from && tried < MAX_TAIL_CANDIDATES; p--) {
                    int i = at0 + (int) (p - from);
                    if (t.bytes()[i] != 0x1F || t.bytes()[i + 1] != 0x43 || t.bytes()[i + 2] != (byte) 0xB6
                            || t.bytes()[i + 3] != 0x75) continue;
                    tried++;
                    Walk walk = walk(t, p, clustersEnd, Long.MAX_VALUE);
                    // a cut file's last element runs past its end, or is cut inside its header
                    boolean lands = walk.stoppedAt() == clustersEnd || cut && clustersEnd - walk.stoppedAt() < 12;
                    if (lands && walk.lastCluster() >= 0) {
                        read[0] += t.bytesRead();
                        return walk;
                    }
                }
                read[0] += t.bytesRead();
            }
            if (from == firstCluster) break;
        }
        return null;
    }

    /** The Timecode of the cluster at {@code at} ending at {@code end}, or -1. */
    private static long timecode(FileWindow w, long at, long end) throws IOException {
        long[] cluster = element(w, at);
        if (cluster == null) return -1;
        cluster[3] = end - cluster[2];
        return child(w, cluster, TIMECODE, -1);
    }

    /**
     * Where the blocks of the cluster {@code last} found end, in microseconds on the file's clock (those read before the
     * window has read {@code readUpTo} bytes: a cluster of a GB is no reason to read it whole); 0 when unknown.
     */
    private static long blocksEnd(FileWindow w, Walk last, long scale, Map<Long, TrackTiming> timings, long readUpTo)
            throws IOException {
        long base = timecode(w, last.lastCluster(), last.lastClusterEnd());
        if (base < 0) return 0;
        double latestNanos = 0;
        long at = element(w, last.lastCluster())[2];
        for (int n = 0; n < MAX_ELEMENTS && at < last.lastClusterEnd() && w.bytesRead() <= readUpTo; n++) {
            long[] e = element(w, at);
            if (e == null || e[3] < 0) break;
            long[] block = e[0] == SIMPLE_BLOCK ? e : e[0] == BLOCK_GROUP ? find(w, e, BLOCK) : null;
            if (block != null) {
                long[] timed = trackAndTime(w, block[2]);
                TrackTiming timing = timings.getOrDefault(timed[0], TrackTiming.NONE);
                long ticks = e[0] == BLOCK_GROUP ? child(w, e, BLOCK_DURATION, -1) : -1;
                double lasts = !timing.lasts() ? 0 : ticks >= 0 ? ticks * (double) scale : timing.defaultNanos();
                latestNanos = Math.max(latestNanos, (base + timed[1]) * (double) scale + lasts - timing.delayNanos());
            }
            at = e[2] + e[3];
        }
        double micros = latestNanos / 1000;
        return micros > 0 && micros < Long.MAX_VALUE ? (long) micros : 0;
    }

    /** The positions the SeekHead {@code seekHead} gives, as {ID with its marker, position in the file}. */
    private static List<long[]> seeks(FileWindow w, long[] seekHead, long segmentData) throws IOException {
        List<long[]> seeks = new ArrayList<>();
        long at = seekHead[2], end = seekHead[2] + seekHead[3];
        // each place is read to check it (a window each): a SeekHead of thousands of entries is not read through
        for (int n = 0; n < 16 && at < end; n++) {
            long[] e = element(w, at);
            if (e == null || e[3] < 0) break;
            if (e[0] == SEEK) {
                long id = child(w, e, SEEK_ID, -1), position = child(w, e, SEEK_POSITION, -1);
                if (id > 0 && position >= 0 && position < Long.MAX_VALUE - segmentData) seeks.add(new long[]{id, segmentData + position});
            }
            at = e[2] + e[3];
        }
        return seeks;
    }

    /** Where a cluster of unknown size whose children start at {@code at} ends: at the next top-level element, or {@code end}. */
    private static long endOfUnknownSize(FileWindow w, long at, long end) throws IOException {
        for (int n = 0; n < MAX_ELEMENTS && at < end; n++) {
            long[] e = element(w, at);
            if (e == null || e[3] < 0 || TOP_LEVEL.contains(e[0])) return at;
            at = e[2] + e[3];
        }
        return end;
    }

    /** A block's track number and time in its cluster, in the file's ticks (the signed 16 bits after the track number). */
    private static long[] trackAndTime(FileWindow w, long at) throws IOException {
        ByteBuffer b = window(w, at);
        long[] track = DeclaredLength.vint(b);
        if (track == null || b.remaining() < track[1] + 2) return new long[]{-1, 0};
        return new long[]{track[0], b.getShort((int) track[1])};
    }

    /**
     * A track's DefaultDuration (0: none) and CodecDelay, in nanoseconds; {@code lasts}: whether its blocks' durations
     * count (video and audio: a subtitle lasting past the film is no part of its length, its start is).
     */
    private record TrackTiming(long defaultNanos, long delayNanos, boolean lasts) {
        static final TrackTiming NONE = new TrackTiming(0, 0, false);
    }

    /** The timing of each track in {@code tracks}, by track number. */
    private static Map<Long, TrackTiming> trackTimings(FileWindow w, long[] tracks) throws IOException {
        Map<Long, TrackTiming> timings = new HashMap<>();
        long at = tracks[2], end = tracks[2] + tracks[3];
        for (int n = 0; n < 1024 && at < end; n++) {
            long[] e = element(w, at);
            if (e == null || e[3] < 0) break;
            long number = e[0] == TRACK_ENTRY ? child(w, e, TRACK_NUMBER, -1) : -1;
            long type = number >= 0 ? child(w, e, TRACK_TYPE, -1) : -1;
            if (number >= 0) timings.put(number, new TrackTiming(Math.max(0, child(w, e, DEFAULT_DURATION, 0)),
                    Math.max(0, child(w, e, CODEC_DELAY, 0)), type == VIDEO || type == AUDIO));
            at = e[2] + e[3];
        }
        return timings;
    }

    /** The unsigned integer child {@code id} of {@code parent}, or {@code otherwise}. */
    private static long child(FileWindow w, long[] parent, long id, long otherwise) throws IOException {
        long[] e = find(w, parent, id);
        if (e == null || e[3] < 1 || e[3] > 8) return otherwise;
        int i = w.at(e[2], (int) e[3]);
        if (w.after(e[2]) < e[3]) return otherwise;
        long value = 0;
        for (int k = 0; k < e[3]; k++) value = value << 8 | (w.bytes()[i + k] & 0xff);
        return value;
    }

    /** The first child {@code id} of {@code parent} among its first 64 children, or null. */
    private static long[] find(FileWindow w, long[] parent, long id) throws IOException {
        long at = parent[2], end = parent[2] + parent[3];
        for (int n = 0; n < 64 && at < end; n++) {
            long[] e = element(w, at);
            if (e == null || e[3] < 0) return null;
            if (e[0] == id) return e;
            at = e[2] + e[3];
        }
        return null;
    }

    /** The element at {@code at}: {id with its marker, its header's start, where its data starts, its size (-1: unknown)}. */
    private static long[] element(FileWindow w, long at) throws IOException {
        ByteBuffer b = window(w, at);
        long[] id = DeclaredLength.vint(b);
        if (id == null || id[1] > 4) return null;
        long[] size = DeclaredLength.vint(b.slice((int) id[1], b.remaining() - (int) id[1]));
        if (size == null) return null;
        long idWithMarker = 0;
        for (int k = 0; k < id[1]; k++) idWithMarker = idWithMarker << 8 | (b.get(k) & 0xff);
        return new long[]{idWithMarker, at, at + id[1] + size[1], DeclaredLength.unknownSize(size) ? -1 : size[0]};
    }

    /** Up to 12 bytes of the file from {@code at} (an element's header at most), fewer at its end. */
    private static ByteBuffer window(FileWindow w, long at) throws IOException {
        int i = w.at(at, 12), left = Math.min(12, w.after(at));
        // past the file's end (a parent claiming more than the file holds), where i need not be in the window
        return left == 0 ? ByteBuffer.allocate(0) : ByteBuffer.wrap(w.bytes(), i, left).slice();
    }
}
