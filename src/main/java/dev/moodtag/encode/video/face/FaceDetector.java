package dev.moodtag.encode.video.face;

import dev.moodtag.media.VideoFrame;

import java.util.List;

/**
 * Finds faces in one frame. Implementations are stateless apart from their (thread-safe) ONNX session, so one
 * instance serves concurrent calls; the session belongs to the encoder that opened it.
 */
public interface FaceDetector {

    /** The faces above the detector's score threshold after overlap removal, most confident first. */
    List<FaceBox> detect(VideoFrame frame);

    /** The name used in the manifest's {@code detector} parameter. */
    String name();
}
