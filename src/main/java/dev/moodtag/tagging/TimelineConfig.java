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

    /**
     * Whether a timeline may label its segments with their speech standardised over the whole recording, when the
     * classifier has parts trained that way ({@code moodtag train --normalise speaker}): {@code auto} (when the
     * recording passes the guard below) or {@code off} (always per utterance, as without such parts).
     */
    @WithDefault("auto")
    SpeechOverRecording speechOverRecording();

    /** Fewest segments with speech a recording needs before its speech is standardised over it. */
    @WithDefault("10")
    int recordingMinSegments();

    /**
     * Largest share of those segments that one per-utterance (first-pass) label may have: a recording held in one
     * mood is standardised towards the middle (TRAINING.md measured the gain kept at 65 % and lost at 80 %).
     */
    @WithDefault("0.65")
    double recordingMaxDominantShare();

    enum SpeechOverRecording { AUTO, OFF }
}
