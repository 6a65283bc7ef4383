package dev.moodtag.encode.video;

import dev.moodtag.encode.video.face.FaceBox;
import dev.moodtag.encode.video.face.Nms;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NmsTest {

    private static FaceBox box(float x, float y, float side, float score) {
        return new FaceBox(x, y, x + side, y + side, score);
    }

    @Test
    void iouOfKnownBoxes() {
        FaceBox a = box(0, 0, 10, 1);
        assertEquals(1f, a.iou(a), 1e-6);
        assertEquals(50f / 150f, a.iou(box(5, 0, 10, 1)), 1e-6); // half overlap: 50 / (100 + 100 − 50)
        assertEquals(0f, a.iou(box(20, 20, 10, 1)));
        assertEquals(0f, a.iou(box(10, 0, 10, 1)), "touching edges do not overlap");
    }

    @Test
    void hardNmsKeepsTheBestOfEachClusterMostConfidentFirst() {
        FaceBox a1 = box(0, 0, 10, 0.8f);
        FaceBox a2 = box(1, 0, 10, 0.9f);   // IoU with a1 = 90/110 = 0.82 → suppressed by a2
        FaceBox b = box(50, 50, 10, 0.95f); // separate face
        FaceBox a3 = box(6, 0, 10, 0.7f);   // IoU with a2 = 50/150 = 0.33 > 0.3 → suppressed
        FaceBox a4 = box(8, 0, 10, 0.6f);   // IoU with a2 = 30/170 = 0.18 → kept
        List<FaceBox> kept = Nms.hard(List.of(a1, a2, b, a3, a4), 0.3f);
        assertEquals(List.of(b, a2, a4), kept);
    }

    @Test
    void hardNmsOfNothingIsNothing() {
        assertEquals(List.of(), Nms.hard(List.of(), 0.3f));
    }

    @Test
    void weightedNmsAveragesTheGroupByScoreAndKeepsTheMaxScore() {
        FaceBox a = new FaceBox(0, 0, 10, 10, 0.9f, List.of(new FaceBox.Point(2, 2)));
        FaceBox b = new FaceBox(2, 0, 12, 10, 0.6f, List.of(new FaceBox.Point(5, 2))); // IoU 80/120 ≥ 0.3
        FaceBox far = new FaceBox(100, 100, 110, 110, 0.8f, List.of(new FaceBox.Point(105, 105)));
        List<FaceBox> kept = Nms.weighted(List.of(b, far, a), 0.3f);
        assertEquals(2, kept.size());
        FaceBox merged = kept.get(0);
        assertEquals(0.9f, merged.score(), 1e-6);
        // x1 = (0.9·0 + 0.6·2) / 1.5 = 0.8, x2 = (0.9·10 + 0.6·12) / 1.5 = 10.8
        assertEquals(0.8f, merged.x1(), 1e-5);
        assertEquals(10.8f, merged.x2(), 1e-5);
        assertEquals(0f, merged.y1(), 1e-5);
        assertEquals((0.9f * 2 + 0.6f * 5) / 1.5f, merged.keypoints().get(0).x(), 1e-5);
        assertEquals(far, kept.get(1), "a lone box passes through unchanged");
    }

    @Test
    void weightedNmsMergesAtExactlyTheThreshold() {
        FaceBox a = box(0, 0, 10, 0.9f);
        FaceBox b = box(5, 0, 10, 0.9f); // IoU exactly 1/3
        assertEquals(1, Nms.weighted(List.of(a, b), 1f / 3).size());
        assertEquals(2, Nms.hard(List.of(a, b), 1f / 3).size(), "hard NMS drops only IoU above the threshold");
    }
}
