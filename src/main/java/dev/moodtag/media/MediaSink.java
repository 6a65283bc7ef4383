package dev.moodtag.media;

/**
 * Receives one media file as it is decoded, so that long recordings never sit whole in memory.
 * Calls come from the decoding thread, in this order: {@link #start} once, then audio chunks and frames
 * interleaved in file order, then {@link #end} once if decoding finished without an error.
 *
 * <p>Decoding stops early once the sink wants neither more audio nor more frames (of the streams the file
 * has): return false from {@link #audio} and {@link #frame} to stop.
 *
 * <p>A {@link MediaException} the sink throws ends the stream it was handed, as a failure found in that stream at that
 * point of the file's clock would: the other stream may still be handed up to that point before it is thrown (or an
 * earlier failure of the file is thrown instead). Any other exception ends decoding at once.
 */
public interface MediaSink {

    /** The file was opened and checked; nothing has been decoded yet. Throw to refuse the file. */
    default void start(StreamInfo info) {
    }

    /**
     * A chunk of 16 kHz mono PCM. {@link AudioTrack#startSeconds()} is the chunk's position in the
     * continuous decoded audio, so chunk n starts where chunk n-1 ended. The array is the sink's to keep.
     *
     * @return false when no more audio is wanted
     */
    boolean audio(AudioTrack chunk);

    /**
     * A chunk of silence (at most a second of zeros) that stands for a stretch of the file's clock its audio stream holds
     * nothing for (packets dropped in a live capture, a recording paused and resumed), so that the audio after it keeps
     * the clock; chunks of silence and of audio follow each other as {@link #audio} says. Nothing can be heard in it, and
     * it buys no time budget: a sink may skip its costly work there (a voice-activity detector, the encoders). By
     * default it is audio like any other.
     *
     * @return false when no more audio is wanted
     */
    default boolean silence(AudioTrack chunk) {
        return audio(chunk);
    }

    /**
     * A video frame sampled at the configured rate, already scaled. The frame is the sink's to keep.
     *
     * @return false when no more frames are wanted
     */
    boolean frame(VideoFrame frame);

    /** Decoding finished: the end of the file was reached or the sink asked to stop. */
    default void end() {
    }
}
