package dev.moodtag.encode.speech;

import dev.moodtag.encode.SpeechActivityDetector.Region;
import dev.moodtag.media.AudioTrack;

import java.util.List;

/** Sample-level operations on speech regions (which are in seconds relative to the track's start). */
public final class SpeechRegions {
    private SpeechRegions() {
    }

    /** Total length of the regions in seconds. */
    public static double seconds(List<Region> regions) {
        double s = 0;
        for (Region r : regions) s += r.duration();
        return s;
    }

    /**
     * The samples inside the regions, concatenated in order. Region bounds are rounded to the nearest sample and
     * clamped to the track, so regions that touch the track's ends keep every sample.
     */
    public static float[] concat(AudioTrack audio, List<Region> regions) {
        float[] src = audio.samples();
        int total = 0;
        for (Region r : regions) total += end(audio, r) - start(audio, r);
        float[] out = new float[total];
        int at = 0;
        for (Region r : regions) {
            int s = start(audio, r), n = end(audio, r) - s;
            System.arraycopy(src, s, out, at, n);
            at += n;
        }
        return out;
    }

    /** Per-frame mask: true where the frame's centre lies inside a region. */
    public static boolean[] frameMask(List<Region> regions, int frames, double hopSeconds, double centreOffsetSeconds) {
        boolean[] mask = new boolean[frames];
        int r = 0;
        for (int i = 0; i < frames; i++) {
            double t = i * hopSeconds + centreOffsetSeconds;
            while (r < regions.size() && regions.get(r).endSeconds() <= t) r++;
            mask[i] = r < regions.size() && regions.get(r).startSeconds() <= t;
        }
        return mask;
    }

    private static int start(AudioTrack a, Region r) {
        return clamp((int) Math.round(r.startSeconds() * a.sampleRate()), a.samples().length);
    }

    private static int end(AudioTrack a, Region r) {
        return Math.max(start(a, r), clamp((int) Math.round(r.endSeconds() * a.sampleRate()), a.samples().length));
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n, v));
    }
}
