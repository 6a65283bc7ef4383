package dev.moodtag.media;

import java.util.List;

/**
 * Frames sampled from a video stream (or the single picture of a still image).
 *
 * @param sampledFps the rate the frames were sampled at (0 for a still image)
 * @param sourceFps  the stream's own frame rate, as reported by the container (0 if unknown)
 */
public record VideoTrack(List<VideoFrame> frames, double sampledFps, double sourceFps) {
    public VideoTrack {
        frames = List.copyOf(frames);
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }
}
