package dev.moodtag.encode.video.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Overlap removal for detector candidates. Both variants return boxes most confident first. */
public final class Nms {
    private Nms() {
    }

    private static final Comparator<FaceBox> BY_SCORE = Comparator.comparingDouble(FaceBox::score).reversed();

    /** Hard NMS (UltraFace's upstream {@code hard_nms}): keep the best box, drop every box with IoU > iou with it. */
    public static List<FaceBox> hard(List<FaceBox> candidates, float iou) {
        List<FaceBox> rest = new ArrayList<>(candidates);
        rest.sort(BY_SCORE);
        List<FaceBox> kept = new ArrayList<>();
        while (!rest.isEmpty()) {
            FaceBox best = rest.remove(0);
            kept.add(best);
            rest.removeIf(b -> best.iou(b) > iou);
        }
        return kept;
    }

    /**
     * Weighted NMS (MediaPipe / keijiro BlazeFace): every box with IoU ≥ iou against the current best, the best
     * included, is merged into one box whose coordinates and keypoints are the score-weighted average of the
     * group; the group keeps the maximum score. Averaging steadies the box from frame to frame.
     */
    public static List<FaceBox> weighted(List<FaceBox> candidates, float iou) {
        List<FaceBox> rest = new ArrayList<>(candidates);
        rest.sort(BY_SCORE);
        List<FaceBox> kept = new ArrayList<>();
        while (!rest.isEmpty()) {
            FaceBox best = rest.get(0);
            List<FaceBox> group = new ArrayList<>();
            rest.removeIf(b -> {
                boolean member = b == best || best.iou(b) >= iou;
                if (member) group.add(b);
                return member;
            });
            kept.add(merge(group, best.score()));
        }
        return kept;
    }

    private static FaceBox merge(List<FaceBox> group, float score) {
        if (group.size() == 1) return group.get(0);
        double w = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0;
        int nk = group.get(0).keypoints().size();
        double[] kx = new double[nk];
        double[] ky = new double[nk];
        for (FaceBox b : group) {
            double s = b.score();
            w += s;
            x1 += s * b.x1();
            y1 += s * b.y1();
            x2 += s * b.x2();
            y2 += s * b.y2();
            for (int k = 0; k < nk; k++) {
                kx[k] += s * b.keypoints().get(k).x();
                ky[k] += s * b.keypoints().get(k).y();
            }
        }
        List<FaceBox.Point> points = new ArrayList<>(nk);
        for (int k = 0; k < nk; k++) points.add(new FaceBox.Point((float) (kx[k] / w), (float) (ky[k] / w)));
        return new FaceBox((float) (x1 / w), (float) (y1 / w), (float) (x2 / w), (float) (y2 / w), score, points);
    }
}
