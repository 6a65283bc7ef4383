package dev.moodtag.transcribe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Speech-to-text for recordings that come without a transcript ({@code moodtag.transcribe.*}). The recogniser is
 * the pack's {@code transcriber} entry; these settings say whether it runs and when its output is trusted.
 */
@ConfigMapping(prefix = "moodtag.transcribe")
public interface TranscribeConfig {

    /**
     * Recognise speech where no inline or sidecar transcript exists. It only takes effect where the pack has a
     * {@code transcriber}; turn it off when every input brings its own transcript (the recogniser is then not loaded).
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The language the pack's recogniser was built for (ISO 639-1). Checked against the pack entry's
     * {@code params.language} at load, and named in the gate's reason.
     */
    @WithDefault("en")
    String language();

    /** When a recognised transcript is trusted. */
    Gate gate();

    interface Gate {
        /**
         * Lowest mean word confidence (Vosk's per-word posterior, 0..1) for which the text is used. 0.9 is the highest
         * threshold that keeps 95 % of the complete tuning split's English clips (RAVDESS actors 01-04, all 240
         * recognised); it let 10.3 % of the tuning German clips (EmoDB speakers 03 and 08) through, and on the report
         * clips recognised so far (1,151 of 1,628) 93.1 % of English and 6.2 % of German ones. Higher trades English
         * recall for fewer wrong German transcripts. See TRAINING.md, "Speech-to-text gate".
         */
        @WithDefault("0.9")
        double minMeanConfidence();

        /**
         * Lowest share of the voiced audio (voice-activity regions) that the recognised words' time spans account
         * for. Guards against a few confident words over a long stretch of speech the model could not follow. Only
         * applied when the voiced duration is known.
         */
        @WithDefault("0.3")
        double minVoicedCoverage();
    }
}
