package dev.moodtag.encode.speech;

import dev.moodtag.media.AudioTrack;

import java.util.function.UnaryOperator;

/**
 * Per-utterance level normalisation: one gain for the whole track that brings the RMS of its speech (the
 * detector's regions, or the whole track) to {@code targetDbfs}. Corpora are recorded at different levels, and
 * the level says nothing about the emotion a classifier should learn; one gain per utterance is what serving can
 * apply to a single clip (no speaker or corpus statistics needed).
 * <p>
 * Two guards keep the gain from inventing a signal: it is at most {@link #MAX_GAIN_DB} (a near-silent clip's noise
 * is not blown up to speech level), and it never lifts the loudest sample above full scale, because the embedding
 * model's int16 input would clip it (a clip with a high crest factor then stays below the target).
 * <p>
 * As a {@link UnaryOperator} it is the hearing a voice-activity detector is asked to use
 * ({@code SpeechActivityDetector.speechRegions(track, level)}); equal targets are equal hearings, so the speech
 * encoders of one utterance with the same target share one detector pass.
 *
 * @param targetDbfs RMS of the speech after the gain, dB re full scale (a sine of amplitude 1 is −3 dBFS)
 */
public record SpeechLevel(double targetDbfs) implements UnaryOperator<AudioTrack> {

    /** The largest gain applied, dB. */
    public static final double MAX_GAIN_DB = 40;
    /** The loudest sample after the gain, at most (just under full scale). */
    static final double PEAK_CEILING = 0.99;

    public SpeechLevel {
        if (!(targetDbfs >= -60 && targetDbfs <= -3))
            throw new IllegalArgumentException("levelDbfs must be between -60 and -3 dBFS, not " + targetDbfs);
    }

    /**
     * The whole track brought to the target level by its overall RMS: what a voice-activity detector should hear,
     * so that its regions, and everything measured in them, do not depend on the recording's gain.
     */
    @Override
    public AudioTrack apply(AudioTrack track) {
        return scaled(track, rms(track.samples()));
    }

    /** The same speech brought to the target level by the RMS of its regions (the regions do not move). */
    public SpeechInput.Speech apply(SpeechInput.Speech speech) {
        AudioTrack track = speech.track();
        AudioTrack levelled = scaled(track, rms(speech.speechSamples()));
        return levelled == track ? speech : new SpeechInput.Speech(levelled, speech.regions());
    }

    /** The track times one gain that brings {@code rms} to the target, within the guards; itself when silent. */
    private AudioTrack scaled(AudioTrack track, double rms) {
        if (rms <= 0) return track;
        float[] samples = track.samples();
        double peak = 0;
        for (float v : samples) peak = Math.max(peak, Math.abs(v));
        double gain = Math.min(Math.pow(10, (targetDbfs - 20 * Math.log10(rms)) / 20), Math.pow(10, MAX_GAIN_DB / 20));
        gain = Math.min(gain, PEAK_CEILING / peak);
        float[] out = new float[samples.length];
        for (int i = 0; i < samples.length; i++) out[i] = (float) (samples[i] * gain);
        return new AudioTrack(out, track.sampleRate(), track.startSeconds());
    }

    static double rms(float[] x) {
        if (x.length == 0) return 0;
        double s = 0;
        for (float v : x) s += (double) v * v;
        return Math.sqrt(s / x.length);
    }
}
