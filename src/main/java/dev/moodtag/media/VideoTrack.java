package dev.moodtag.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames sampled from a video stream (or the single picture of a still image).
 *
 * @param sampledFps the rate the frames were sampled at (0 for a still image)
 * @param sourceFps  the stream's own frame rate, as reported by the container (0 if unknown)
 * @param partStarts where each independently decoded part of the video begins, as indices into {@code frames}: a
 *                   short film is decoded in two parts split at a keyframe, side by side. Each part is sampled from
 *                   its own first frame, and encoders that track something from frame to frame (the face box)
 *                   start afresh at each part, so that they give the same result whether they see the frames while
 *                   they are decoded or afterwards. {@code [0]} for a video decoded in one pass.
 */
public record VideoTrack(List<VideoFrame> frames, double sampledFps, double sourceFps, List<Integer> partStarts) {
    public VideoTrack {
        frames = List.copyOf(frames);
        partStarts = List.copyOf(partStarts);
        if (partStarts.isEmpty() || partStarts.get(0) != 0)
            throw new IllegalArgumentException("the first part starts at frame 0, not " + partStarts);
        for (int i = 1; i < partStarts.size(); i++)
            if (partStarts.get(i) <= partStarts.get(i - 1) || partStarts.get(i) >= Math.max(1, frames.size()))
                throw new IllegalArgumentException("parts must start at increasing frames inside the track: " + partStarts);
    }

    /** A video decoded in one pass. */
    public VideoTrack(List<VideoFrame> frames, double sampledFps, double sourceFps) {
        this(frames, sampledFps, sourceFps, List.of(0));
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** The frames of each part, in order. */
    public List<List<VideoFrame>> parts() {
        List<List<VideoFrame>> parts = new ArrayList<>();
        for (int i = 0; i < partStarts.size(); i++) {
            int end = i + 1 < partStarts.size() ? partStarts.get(i + 1) : frames.size();
            parts.add(frames.subList(partStarts.get(i), end));
        }
        return parts;
    }
}
