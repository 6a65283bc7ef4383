package dev.moodtag.media;

/**
 * Hears about an utterance while {@link MediaDecoder#decode} is still decoding it, so that encoding can start before
 * decoding ends. Calls come from the decoding threads and should return quickly (hand the work to another thread).
 * What it hears belongs to an utterance that may still fail to decode: the decoder's exception says so.
 */
public interface DecodeListener {

    DecodeListener NONE = new DecodeListener() {
    };

    /**
     * The audio and the transcript are complete, possibly while the video is still being decoded. Called once,
     * before {@code decode} returns, from whichever decoding thread finished the audio. {@code withoutVideo} is the
     * utterance with the same audio track, transcript and reasons for missing speech or text as the one
     * {@code decode} returns, but no video.
     */
    default void audioAndText(Utterance withoutVideo) {
    }

    /**
     * A sampled frame that the utterance keeps. A film's video may be decoded in parts (see
     * {@link VideoTrack#partStarts()}), each on its own thread: {@code part} counts them from 0 in time order; the
     * frames of one part come in order from one thread, and a later part's frames may come before an earlier part
     * is done.
     */
    default void frame(int part, VideoFrame frame) {
    }
}
