package dev.moodtag.encode.video.face;

import dev.moodtag.media.VideoFrame;

import java.util.List;

/**
 * "Detects" the centred square of every frame. For inputs that are already face crops (dataset stills, the
 * output of an upstream face tracker), where a detector can only lose faces and shift crops; never for general
 * video, where it would embed whatever is in the middle of the picture.
 */
public final class WholeFrameDetector implements FaceDetector {

    public static final String NAME = "none";

    @Override
    public List<FaceBox> detect(VideoFrame frame) {
        float side = Math.min(frame.width(), frame.height());
        float x = (frame.width() - side) / 2, y = (frame.height() - side) / 2;
        return List.of(new FaceBox(x, y, x + side, y + side, 1f));
    }

    @Override
    public String name() {
        return NAME;
    }
}
