package dev.moodtag.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounds on transcripts, so that a huge or hostile sidecar costs bounded time and memory. What is left out is
 * recorded in the result ({@code transcript.note}); a sidecar over {@link #maxSidecarBytes()} is not read at all and
 * the text modality is missing with that reason.
 */
@ConfigMapping(prefix = "moodtag.transcript")
public interface TranscriptConfig {

    /**
     * Sidecars larger than this are not read (nor copied from object storage). A transcript of a long recording is a
     * few hundred kB.
     */
    @WithDefault("16777216")
    long maxSidecarBytes();

    /**
     * The whole-utterance text is cut after this many characters (after whitespace is collapsed), and so is each cue.
     * The text encoders read at most 256 tokens (about 1,000 to 1,500 characters of English); this leaves room for
     * tokenisers that need more characters per token while keeping tokenising cheap. Timelines take their text from
     * the cues, so a long recording's segments all keep their text; a segment's, the cues it overlaps joined, is cut
     * after this too.
     */
    @WithDefault("8192")
    int maxTextChars();

    /** Cues (.vtt, .srt, .json segments) after this many are dropped: about 20 hours of subtitles. */
    @WithDefault("20000")
    int maxCues();

    /** Word timings (.json {@code words}) after this many are dropped. */
    @WithDefault("100000")
    int maxWords();
}
