package dev.moodtag.tagging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Long recordings: above {@link #segmentAbove()} a recording is not one utterance but a timeline of segments, each
 * decoded, encoded and classified on its own while the file streams, so memory stays bounded whatever the length.
 */
@ConfigMapping(prefix = "moodtag.timeline")
public interface TimelineConfig {

    /** Recordings longer than this get a timeline; shorter ones are tagged as one utterance. */
    @WithDefault("PT30S")
    Duration segmentAbove();

    /**
     * How segments are found: {@code auto} (transcript cues when a timed {@code .vtt/.srt/.json} sidecar exists,
     * else voice activity when there is audio, else fixed windows), {@code vad}, {@code fixed} or {@code transcript}.
     */
    @WithDefault("auto")
    String segmentation();

    /** Fixed windows: length in seconds. */
    @WithDefault("10")
    double windowSeconds();

    /** Fixed windows: overlap of consecutive windows in seconds (smaller than the window). */
    @WithDefault("2")
    double overlapSeconds();

    /** Voice activity: speech regions closer than this are one segment (a pause inside a sentence). */
    @WithDefault("0.8")
    double mergeGapSeconds();

    /** Voice activity: longer speech is cut into pieces of at most this length. */
    @WithDefault("15")
    double maxSegmentSeconds();

    /**
     * Segments shorter than this carry too little for the encoders and are not classified (a short exclamation of
     * half a second is kept).
     */
    @WithDefault("0.5")
    double minSegmentSeconds();

    /** Voice activity runs on blocks of this much audio (the memory bound is about this plus one segment). */
    @WithDefault("30")
    double vadBlockSeconds();

    /** Frames per second kept for the video encoders inside a segment (the decoder samples more). */
    @WithDefault("1")
    double videoFps();
}
