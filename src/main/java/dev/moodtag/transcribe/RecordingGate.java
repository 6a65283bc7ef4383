package dev.moodtag.transcribe;

import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.support.SettingOutOfRange;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The recording-level check of recognised text (TRAINING.md, "A recording is one language", rule R1): once every
 * segment of a recording was recognised and gated by the {@link TranscriptGate}, a recording with at least
 * {@code minSegments} segments with recognised words, fewer than {@code minAcceptedShare} of whose words lie in
 * segments the gate accepted, has every segment's text refused. The per-segment gate lets a few fluent, confident
 * English misreadings of German through; the recording's other segments, refused, say what language it is. It only
 * refuses: no segment the gate refused is ever accepted.
 *
 * @param minAcceptedShare in [0, 1]; 0 turns the check off
 * @param minSegments      at least 1: fewer segments with words than this are too little evidence, and stand alone
 */
public record RecordingGate(double minAcceptedShare, int minSegments) {

    /** The stem of the reason; the language, then the words in accepted segments and all the words follow. */
    public static final String NOT_RECOGNISED = "the recording as a whole is not recognised as %s with enough confidence"
            + " (%d of %d recognised words in segments that passed the gate)";

    /** The check off: each segment's own verdict stands. */
    public static final RecordingGate OFF = new RecordingGate(0, 1);

    /** The most segments the setting may ask for: more than any recording has (a segment lasts at least a frame). */
    static final int MAX_SEGMENTS = 1_000_000;

    public RecordingGate {
        if (!(minAcceptedShare >= 0 && minAcceptedShare <= 1) || minSegments < 1 || minSegments > MAX_SEGMENTS)
            throw new IllegalArgumentException("the recording gate needs a share in [0, 1] and 1 to " + MAX_SEGMENTS
                    + " segments, not " + minAcceptedShare + " and " + minSegments);
    }

    /** @throws SettingOutOfRange naming the setting out of range */
    public static RecordingGate fromConfig(TranscribeConfig config) {
        double share = config.gate().recordingMinAcceptedShare();
        int segments = config.gate().recordingMinSegments();
        if (!(share >= 0 && share <= 1))
            throw new SettingOutOfRange("moodtag.transcribe.gate.recording-min-accepted-share must be in [0, 1] (0: off), not " + share);
        if (segments < 1 || segments > MAX_SEGMENTS)
            throw new SettingOutOfRange("moodtag.transcribe.gate.recording-min-segments must be in [1, " + MAX_SEGMENTS
                    + "], not " + segments);
        return new RecordingGate(share, segments);
    }

    /**
     * @param segments each segment's resolution with the words its recogniser heard; a transcript is a segment the
     *                 gate accepted
     * @param language the recogniser's language (ISO 639-1), named in the reason
     * @return why every segment's text is refused; empty when each segment's verdict stands
     */
    public Optional<String> refuse(List<TranscriptResolution> segments, String language) {
        if (minAcceptedShare == 0) return Optional.empty();
        int withWords = 0;
        long words = 0, accepted = 0;
        for (TranscriptResolution s : segments) {
            if (s.heardWords() == 0) continue;
            withWords++;
            words += s.heardWords();
            if (s.transcript() != null) accepted += s.heardWords();
        }
        if (withWords < minSegments || !(accepted < minAcceptedShare * words)) return Optional.empty();
        return Optional.of(String.format(Locale.ROOT, NOT_RECOGNISED, TranscriptGate.languageName(language), accepted, words));
    }
}
