package dev.moodtag.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Decoder settings. Limits exist so a hostile or mistaken file cannot exhaust memory or time. */
@ConfigMapping(prefix = "moodtag.media")
public interface MediaConfig {

    /** Frames per second sampled from a video stream for the video encoders. */
    @WithDefault("5")
    double videoFps();

    /** At most this many frames are kept per utterance; later frames are not decoded. */
    @WithDefault("64")
    int maxFrames();

    /** Sampled frames are scaled down (never up) so that their longer side is at most this. */
    @WithDefault("640")
    int maxFrameSide();

    /** Pictures larger than this in either dimension are refused before decoding. */
    @WithDefault("7680")
    int maxSourceSide();

    /** Media longer than this is refused as one utterance (long recordings are segmented instead). */
    @WithDefault("PT10M")
    Duration maxDuration();

    /**
     * Skip decoding B-frames. They are not references, so the other frames decode exactly as before; at 24 fps and
     * above the remaining frames (at least a third of all) still outnumber {@link #videoFps()} samples, and video
     * decoding takes about half the time. Turn off for low-frame-rate sources where every frame matters.
     */
    @WithDefault("true")
    boolean skipBidirectionalFrames();

    /**
     * Decode a film on up to three threads, each with a demuxer of its own: the audio on one, the video in two parts
     * split at a keyframe near its middle (each part sampled from its own first frame; see VideoTrack.partStarts).
     * Decoding the video is the long, serial part of an utterance; this way the audio (and the speech and text
     * encoders behind it) is ready within tens of milliseconds, and the video in about two thirds of the time. Costs
     * two more openings of the file (about 10 ms each), so it is done only while fewer files are being decoded than
     * the machine has cores. Turn off to decode each file in one pass.
     */
    @WithDefault("true")
    boolean parallelDecoding();

    /** Files larger than this are refused before decoding. */
    @WithDefault("2147483648")
    long maxFileBytes();
}
