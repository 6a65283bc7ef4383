package dev.moodtag.encode;

import dev.moodtag.media.AudioTrack;

import java.util.List;
import java.util.function.UnaryOperator;

/** Finds where someone speaks, so silence can be dropped before pooling and long recordings segmented. */
public interface SpeechActivityDetector extends AutoCloseable {

    /** Speech regions in seconds relative to the track's start, in order, not overlapping. */
    List<Region> speechRegions(AudioTrack audio);

    /** The hearing of {@link #speechRegions(AudioTrack, UnaryOperator)} that leaves the track as recorded. */
    UnaryOperator<AudioTrack> AS_RECORDED = UnaryOperator.identity();

    /**
     * The speech regions of {@code audio} as the detector hears it through {@code hearing} (e.g. a level
     * normalisation). {@code hearing} must be a pure function of the track whose {@code equals} says when two hearings
     * give the same track, so that a detector that remembers regions per utterance can key them by the recorded track
     * and the hearing, and run once however many encoders ask.
     */
    default List<Region> speechRegions(AudioTrack audio, UnaryOperator<AudioTrack> hearing) {
        return speechRegions(hearing.apply(audio));
    }

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
