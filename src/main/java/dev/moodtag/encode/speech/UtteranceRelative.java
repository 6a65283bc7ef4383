package dev.moodtag.encode.speech;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Acoustic-functional descriptors that can be taken relative to the utterance itself (the {@code utteranceRelative}
 * parameter), so that what differs between speakers and recordings rather than between emotions drops out: a
 * speaker's pitch register, a recording's level, a channel's spectral colouring. One clip is all it needs, so
 * serving can do it, unlike per-speaker or per-corpus standardisation.
 */
public enum UtteranceRelative {
    /** F0 statistics in semitones re the utterance's median voiced F0; the median itself (the register) is dropped. */
    F0,
    /**
     * Loudness statistics as ratios to the utterance's median loudness, frame energy in dB re its median; the median
     * itself (the recording level) is dropped.
     */
    LOUDNESS,
    /** Cepstral mean removal: the MFCC means (the channel's colouring, and the speaker's) are dropped, stds kept. */
    MFCC;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
