package dev.moodtag.media;

/**
 * Picks frames by timestamp so that the sampled rate does not depend on the source rate: for each instant
 * k / fps, the first frame at or after it is kept. Timestamps, not frame counts, because variable-frame-rate
 * sources (phones, screen recordings) are common.
 */
final class FrameSampler {
    /** 29.97 fps timestamps land a rounding error short of the instants; count them as on time. */
    private static final double SLACK = 1e-4;

    private final double fps;
    private long nextSlot;

    /** @param fps sampling rate; 0 keeps only the first frame (a still image) */
    FrameSampler(double fps) {
        this.fps = fps;
    }

    boolean take(double seconds) {
        if (fps <= 0) return nextSlot++ == 0;
        long slot = (long) Math.floor(seconds * fps + SLACK);
        if (slot < nextSlot) return false;
        nextSlot = slot + 1;
        return true;
    }
}
