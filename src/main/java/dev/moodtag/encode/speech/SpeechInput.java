package dev.moodtag.encode.speech;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.encode.SpeechActivityDetector.Region;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The audio a speech encoder works on, or why there is none. Every speech encoder starts here, so "no audio
 * track", "silent" and "too little speech" mean the same thing (and give the same reasons) for all of them.
 */
public sealed interface SpeechInput {

    /**
     * Below this RMS (about −80 dBFS) a track counts as digital silence when no voice-activity detector is used;
     * with one, the detector decides.
     */
    double SILENCE_RMS = 1e-4;
    /** Why a track below {@link #SILENCE_RMS} has no speech. */
    String SILENT = "silent audio track";

    /** Whether {@code track} is digital silence, which holds no speech for any encoder or detector. */
    static boolean silent(AudioTrack track) {
        return SpeechLevel.rms(track.samples()) < SILENCE_RMS;
    }

    /**
     * @param track   the whole 16 kHz track
     * @param regions where speech is: the detector's regions, or one region spanning the track without detector
     */
    record Speech(AudioTrack track, List<Region> regions) implements SpeechInput {
        public Speech {
            regions = List.copyOf(regions);
        }

        /** The speech samples only (the whole track when no detector was used). */
        public float[] speechSamples() {
            if (regions.size() == 1 && regions.get(0).startSeconds() <= 0
                    && regions.get(0).endSeconds() >= track.durationSeconds()) return track.samples();
            return SpeechRegions.concat(track, regions);
        }

        public double speechSeconds() {
            return SpeechRegions.seconds(regions);
        }
    }

    record NoSpeech(String reason) implements SpeechInput {
    }

    /**
     * @param vad        the detector to apply, or empty to take the whole track
     * @param minSeconds the least speech (after the detector) worth encoding
     */
    static SpeechInput of(Utterance utterance, Optional<SpeechActivityDetector> vad, double minSeconds) {
        return of(utterance, vad, minSeconds, Optional.empty());
    }

    /**
     * As {@link #of(Utterance, Optional, double)}, with the speech brought to {@code level} when one is given: the
     * whole track first (by its overall RMS), so that the detector hears the same clip whatever its recorded gain,
     * then by the RMS of the speech regions the detector found. Silence is judged on the track as recorded.
     */
    static SpeechInput of(Utterance utterance, Optional<SpeechActivityDetector> vad, double minSeconds,
                          Optional<SpeechLevel> level) {
        Optional<AudioTrack> audio = utterance.audioTrack();
        if (audio.isEmpty()) {
            return new NoSpeech(utterance.whyMissing(Modality.SPEECH).orElse("no audio track"));
        }
        AudioTrack track = audio.get();
        if (track.sampleRate() != AudioTrack.RATE) {
            throw new IllegalArgumentException("speech encoders need " + AudioTrack.RATE + " Hz audio, got "
                    + track.sampleRate() + " Hz from " + utterance.source());
        }
        if (track.samples().length == 0) return new NoSpeech("empty audio track");
        if (vad.isEmpty() && silent(track)) return new NoSpeech(SILENT);
        AudioTrack heard = level.map(l -> l.apply(track)).orElse(track);
        List<Region> regions;
        if (vad.isPresent()) {
            // Asked with the recorded track and the level as the hearing, so that the utterance's encoders with the
            // same level share one detector pass.
            regions = vad.get().speechRegions(track, level.<UnaryOperator<AudioTrack>>map(l -> l)
                    .orElse(SpeechActivityDetector.AS_RECORDED));
            if (regions.isEmpty()) return new NoSpeech("no speech detected in " + seconds(track.durationSeconds()));
        } else {
            regions = List.of(new Region(0, heard.durationSeconds()));
        }
        Speech speech = new Speech(heard, regions);
        if (speech.speechSeconds() < minSeconds) {
            return new NoSpeech("too little speech: " + seconds(speech.speechSeconds()) + " < " + seconds(minSeconds));
        }
        return level.map(l -> l.apply(speech)).orElse(speech);
    }

    /**
     * The detector an encoder should apply: the pack's, when the encoder's {@code vad} parameter asks for it.
     * Asking for one in a pack without a {@code vad} entry is a pack error.
     */
    static Optional<SpeechActivityDetector> detectorFor(EncoderSpec spec, EncoderContext context, boolean wanted) {
        if (!wanted) return Optional.empty();
        if (context.vad().isEmpty()) {
            throw new ModelPackException("encoder " + spec.id() + " sets \"vad\": true but the pack has no 'vad' entry;"
                    + " add one or set \"vad\": false");
        }
        return context.vad();
    }

    /** The parameter records' check of {@code minSpeechSeconds}. */
    static void checkMinSpeech(double seconds) {
        if (!(seconds >= 0 && seconds <= 60))
            throw new IllegalArgumentException("minSpeechSeconds must be between 0 and 60, not " + seconds);
    }

    private static String seconds(double s) {
        return String.format(java.util.Locale.ROOT, "%.2f s", s);
    }
}
