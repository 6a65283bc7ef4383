package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;

/**
 * How much of a stretch of audio is voiced: what the {@link TranscriptGate}'s coverage test divides by. In the product
 * it is the pack's voice-activity detector, which the recognition link owns and releases with the recogniser.
 */
public interface VoicedTime extends AutoCloseable {

    double seconds(AudioTrack track);

    @Override
    default void close() {
    }
}
