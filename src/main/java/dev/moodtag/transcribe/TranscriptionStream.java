package dev.moodtag.transcribe;

/**
 * One recording (or one region of it) being recognised while it is decoded. Not thread-safe: one producer feeds it.
 * Memory is bounded by the recogniser's state plus the words found so far, whatever the length fed.
 */
public interface TranscriptionStream extends AutoCloseable {

    /** Feeds 16 kHz mono PCM in [-1, 1]; values outside are clipped. */
    void accept(float[] samples, int offset, int length);

    default void accept(float[] samples) {
        accept(samples, 0, samples.length);
    }

    /** Ends the stream and returns everything recognised; the stream cannot be fed after this. */
    RecognisedSpeech finish();

    /** Releases the recogniser; safe to call after {@link #finish()} and more than once. */
    @Override
    void close();
}
