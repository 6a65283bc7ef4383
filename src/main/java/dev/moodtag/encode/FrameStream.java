package dev.moodtag.encode;

import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;

/**
 * One utterance's video handed to an encoder frame by frame while the rest of the file is still being decoded, so
 * that its per-frame work (detecting the face, the expression net) overlaps decoding instead of following it.
 * Calls come from one thread at a time, in frame order: {@link #accept} for each sampled frame of one part of the
 * video, then {@link #finish} once with the complete utterance, whose video track holds exactly the frames accepted
 * (by this stream and those {@link #append}ed to it). A stream
 * that is abandoned (decoding failed) gets no {@code finish} and must hold nothing that needs closing.
 */
public interface FrameStream {

    void accept(VideoFrame frame);

    /**
     * Takes over what a stream of the same encoder made of the next part of the same video (see
     * {@link dev.moodtag.media.VideoTrack#partStarts()}), whose frames all come after this one's. Called before
     * {@link #finish}, once both streams have seen all their frames.
     */
    void append(FrameStream nextPart);

    /** The same output as {@link Encoder#encode} on the utterance. */
    EncoderOutput finish(Utterance utterance);
}
