package dev.moodtag.media;

import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.Set;

/**
 * Where the audio after a change of sample rate belongs (recordings joined end to end, a broadcast switching rates).
 * Measured with FFmpeg 8.1 (RateChangeTest): the MP3, raw AC-3, MPEG-TS, Matroska and MP4 demuxers time each frame at
 * its own rate, so the file's clock places the frames after the change as it does any others. FFmpeg's demuxers of raw
 * AAC (ADTS, LATM) and of FLAC do not: a raw stream stores no times, and they derive them from the first rate
 * throughout (3 s at 8 kHz then 3 s at 44.1 kHz, ADTS, ended at 19.84 s on their clock; FLAC's restart at 0). Such a
 * stream has no clock but its samples, and counted at each frame's own rate they end where the files joined do
 * (6.24 s), so from the change on its frames are placed by their count. So are they from where such a stream's times
 * go back: two FLAC files joined end to end at one rate, whose frame numbers, FLAC's clock, count from 0 in each (until
 * 2026-12-06 refused as `corrupt`, "its audio timestamps go back from 2.51 s to 0.00 s").
 */
final class RateChange {
    /** FFmpeg's names of the demuxers that time a raw stream by its first rate. */
    private static final Set<String> TIMED_AT_FIRST_RATE = Set.of("aac", "loas", "flac");

    private RateChange() {
    }

    /**
     * Whether a frame's time, {@code step} stream units after the frame before, is the demuxer's guess at the stream's
     * first rate rather than a time the file holds. MPEG-TS stores a time for each PES packet only, and FFmpeg times
     * the frames packed after the first in one by the frame before's length at the first rate: 8 kHz AAC then 48 kHz
     * had its 48 kHz frames timed 128 ms apart instead of 21 ms until the next packet's time, which then went back
     * (refused as `corrupt`); 48 kHz then 8 kHz had its frames timed 21 ms apart and their overlaps dropped. Such a
     * frame is placed by its samples, after the frame before; the next time the file holds puts the audio back on
     * the clock.
     *
     * @param samplesBefore the frame before's samples, at {@code rateBefore} Hz
     */
    static boolean guessedAtFirstRate(long step, int samplesBefore, int rateBefore, int firstRate, AVRational timeBase) {
        if (rateBefore <= 0 || firstRate <= 0 || rateBefore == firstRate) return false; // a guess at the right rate
        double guess = samplesBefore * (double) timeBase.den() / ((double) timeBase.num() * firstRate);
        return Math.abs(step - guess) <= 1;
    }

    /**
     * Whether, once the rate has changed or the times go back, the frames of this container are placed by their
     * samples, not their times.
     */
    static boolean placedBySamples(StreamInfo info) {
        return TIMED_AT_FIRST_RATE.contains(info.container());
    }
}
