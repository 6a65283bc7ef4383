package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;

/**
 * A speech-to-text engine with its model loaded once. Streams are independent: several may run at once, one per
 * thread.
 */
public interface SpeechTranscriber extends AutoCloseable {

    /** The sample rate every stream expects (the decoder's 16 kHz). */
    int SAMPLE_RATE = AudioTrack.RATE;

    /** The recogniser and its version, e.g. {@code vosk 0.3.45}. */
    String engine();

    /** The model's fingerprint (see {@link ModelFingerprint}). */
    String modelSha256();

    /** The model's language (ISO 639-1). */
    String language();

    /**
     * Starts a stream whose word times are reported from {@code offsetSeconds} on (the position of its first sample
     * in the recording), so a region of a long recording gets times on the recording's clock.
     */
    TranscriptionStream begin(double offsetSeconds);

    /**
     * Starts getting ready for the streams to come, in the background, and returns at once: called once the process
     * has started, so that this work does not compete with start-up. An engine with nothing to prepare does nothing.
     */
    default void prepare() {
    }

    /**
     * A session for the regions of one recording, recognised in time order from one thread. This default starts every
     * stream afresh, as {@link #begin} does; an engine that can carry its warm state from region to region overrides it.
     */
    default TranscriptionSession session() {
        return new TranscriptionSession() {
            @Override
            public TranscriptionStream begin(double offsetSeconds) {
                return SpeechTranscriber.this.begin(offsetSeconds);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Recognises the whole track; word times on the recording's clock ({@link AudioTrack#startSeconds()} included). */
    default RecognisedSpeech transcribe(AudioTrack audio) {
        return transcribe(audio, 0, audio.durationSeconds());
    }

    /**
     * Recognises one region of a track, e.g. a voiced region found by the voice-activity detector, so that each
     * timeline segment gets its own words. {@code fromSeconds}/{@code toSeconds} are relative to the track's start
     * and clamped to it; word times are on the recording's clock.
     */
    default RecognisedSpeech transcribe(AudioTrack audio, double fromSeconds, double toSeconds) {
        if (audio.sampleRate() != SAMPLE_RATE) {
            throw new IllegalArgumentException("the recogniser needs " + SAMPLE_RATE + " Hz audio, not " + audio.sampleRate());
        }
        int n = audio.samples().length;
        int from = (int) Math.max(0, Math.min(n, Math.round(fromSeconds * SAMPLE_RATE)));
        int to = (int) Math.max(from, Math.min(n, Math.round(toSeconds * SAMPLE_RATE)));
        try (TranscriptionStream stream = begin(audio.startSeconds() + from / (double) SAMPLE_RATE)) {
            stream.accept(audio.samples(), from, to - from);
            return stream.finish();
        }
    }

    @Override
    void close();
}
