package dev.moodtag.media;

/** Measurements of decoded test tones. */
final class AudioChecks {
    private AudioChecks() {
    }

    /** The tone's frequency from its zero crossings, over the middle of the track (encoders pad the edges). */
    static double frequency(AudioTrack audio) {
        float[] s = audio.samples();
        int from = s.length / 8, to = s.length - s.length / 8;
        int crossings = 0;
        for (int i = from + 1; i < to; i++) if ((s[i - 1] < 0) != (s[i] < 0)) crossings++;
        return crossings / 2.0 / ((to - from) / (double) audio.sampleRate());
    }

    static double rms(AudioTrack audio) {
        float[] s = audio.samples();
        int from = s.length / 8, to = s.length - s.length / 8;
        double sum = 0;
        for (int i = from; i < to; i++) sum += s[i] * (double) s[i];
        return Math.sqrt(sum / (to - from));
    }
}
