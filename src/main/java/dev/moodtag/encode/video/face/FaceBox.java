package dev.moodtag.encode.video.face;

import java.util.List;

/**
 * One detected face in pixel coordinates of the frame it was found in (x to the right, y down).
 *
 * @param keypoints landmarks in pixel coordinates, in the detector's order (BlazeFace: right eye, left eye, nose
 *                  tip, mouth centre, right ear, left ear); empty when the detector gives none
 */
public record FaceBox(float x1, float y1, float x2, float y2, float score, List<Point> keypoints) {

    public record Point(float x, float y) {
    }

    public FaceBox {
        keypoints = List.copyOf(keypoints);
    }

    public FaceBox(float x1, float y1, float x2, float y2, float score) {
        this(x1, y1, x2, y2, score, List.of());
    }

    public float width() {
        return Math.max(0, x2 - x1);
    }

    public float height() {
        return Math.max(0, y2 - y1);
    }

    public float area() {
        return width() * height();
    }

    public float centreX() {
        return (x1 + x2) / 2;
    }

    public float centreY() {
        return (y1 + y2) / 2;
    }

    /** Intersection over union; 0 when either box is empty. */
    public float iou(FaceBox o) {
        float iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        float ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        if (iw <= 0 || ih <= 0) return 0;
        float inter = iw * ih;
        float union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** The same box (and keypoints) moved by (dx, dy) pixels. */
    public FaceBox translate(float dx, float dy) {
        return new FaceBox(x1 + dx, y1 + dy, x2 + dx, y2 + dy, score,
                keypoints.stream().map(p -> new Point(p.x() + dx, p.y() + dy)).toList());
    }
}
