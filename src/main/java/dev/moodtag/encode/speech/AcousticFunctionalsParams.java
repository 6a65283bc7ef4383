package dev.moodtag.encode.speech;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code params} of an {@code acoustic-functionals} encoder; an unknown key refuses the pack.
 *
 * @param vad               functionals over the pack's voice-activity regions only (default true)
 * @param minSpeechSeconds  less speech than this is a missing modality (default 0.1)
 * @param minF0             lowest pitch searched, Hz (default 55)
 * @param maxF0             highest pitch searched, Hz (default 600)
 * @param yinThreshold      YIN's aperiodicity threshold (default 0.2)
 * @param levelDbfs         bring each utterance's speech to this RMS level first, dBFS (see {@link SpeechLevel});
 *                          absent: the level as recorded (default)
 * @param utteranceRelative descriptors taken relative to the utterance itself (see {@link UtteranceRelative}:
 *                          {@code f0}, {@code loudness}, {@code mfcc}); they change the vector's layout and dim;
 *                          default none
 * @param formants          adds eGeMAPS's formant and harmonic descriptors ({@link dev.moodtag.encode.speech.dsp.Formants}:
 *                          F1–F3 and their bandwidths, amplitudes at F1 and F2, H1−H2, H1−A3; 15 more values); default false
 */
@RegisterForReflection
public record AcousticFunctionalsParams(Boolean vad, Double minSpeechSeconds, Double minF0, Double maxF0,
                                        Double yinThreshold, Double levelDbfs, List<UtteranceRelative> utteranceRelative,
                                        Boolean formants) {
    public AcousticFunctionalsParams {
        if (vad == null) vad = true;
        if (minSpeechSeconds == null) minSpeechSeconds = 0.1;
        if (minF0 == null) minF0 = 55.0;
        if (maxF0 == null) maxF0 = 600.0;
        if (yinThreshold == null) yinThreshold = 0.2;
        utteranceRelative = utteranceRelative == null ? List.of() : List.copyOf(utteranceRelative);
        if (formants == null) formants = false;
        SpeechInput.checkMinSpeech(minSpeechSeconds);
        if (!(minF0 > 0 && minF0 < maxF0))
            throw new IllegalArgumentException("need 0 < minF0 < maxF0, not minF0=" + minF0 + " maxF0=" + maxF0);
        if (!(yinThreshold > 0 && yinThreshold < 1))
            throw new IllegalArgumentException("yinThreshold must be in (0, 1), not " + yinThreshold);
        if (levelDbfs != null) new SpeechLevel(levelDbfs);
    }

    public Optional<SpeechLevel> level() {
        return Optional.ofNullable(levelDbfs).map(SpeechLevel::new);
    }

    public Set<UtteranceRelative> relative() {
        return utteranceRelative.isEmpty() ? Set.of() : EnumSet.copyOf(utteranceRelative);
    }
}
