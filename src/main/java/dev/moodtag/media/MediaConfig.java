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
     * Decode a film in parts, each with a demuxer of its own: the audio, and the video in two parts split at a keyframe
     * near its middle (each part sampled from its own first frame; see VideoTrack.partStarts). Decoding the video is
     * the long, serial part of an utterance; with the parts side by side the audio (and the speech and text encoders
     * behind it) is ready within tens of milliseconds, and the video in about two thirds of the time. Whether and where
     * a film is split depends on the file and this setting only, so a file gets the same frames, embeddings and label
     * whatever the load; the load decides only whether the parts run side by side (while fewer files are being decoded
     * than the machine has cores) or one after another. Turn off to decode each file in one pass.
     */
    @WithDefault("true")
    boolean parallelDecoding();

    /** Files larger than this are refused before decoding. */
    @WithDefault("2147483648")
    long maxFileBytes();
}
