package dev.moodtag.encode;

import dev.moodtag.media.AudioTrack;

import java.util.List;

/** Finds where someone speaks, so silence can be dropped before pooling and long recordings segmented. */
public interface SpeechActivityDetector extends AutoCloseable {

    /** Speech regions in seconds relative to the track's start, in order, not overlapping. */
    List<Region> speechRegions(AudioTrack audio);

    /** The track with everything outside the speech regions removed (the input itself if no speech was found). */
    AudioTrack keepSpeech(AudioTrack audio);

    /** Releases the detector's model; the engine calls it at shutdown. */
    @Override
    default void close() {
    }

    record Region(double startSeconds, double endSeconds) {
        public double duration() {
            return endSeconds - startSeconds;
        }
    }
}
