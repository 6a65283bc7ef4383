package dev.moodtag.transcribe;

/**
 * Streams recognised one after another on one thread, such as the voiced regions of one recording in time order. An
 * engine may carry state from one stream to the next (Vosk keeps its expanded decoding graph), so a stream's words
 * depend on the streams before it in the same session: the same recording, recognised in the same order, gets the
 * same words, but not necessarily those its regions would get alone. Close it when the recording ends, whether or not
 * its last stream finished.
 */
public interface TranscriptionSession extends AutoCloseable {

    /** As {@link SpeechTranscriber#begin}; the previous stream of this session must be finished or closed first. */
    TranscriptionStream begin(double offsetSeconds);

    @Override
    void close();
}
