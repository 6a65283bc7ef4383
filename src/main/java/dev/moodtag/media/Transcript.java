package dev.moodtag.media;

import java.util.List;
import java.util.Locale;

/**
 * What was said. {@code segments} carries timestamps when the source had them (.vtt, .srt, timed .json),
 * and is empty for plain text.
 *
 * @param origin where the text came from ("inline", the sidecar file name, or the speech-to-text engine)
 * @param source which link of the {@link TranscriptSource} chain gave it
 * @param words  word timings and confidences where the source had them (a WhisperX-style .json, a recogniser);
 *               empty otherwise
 * @param note   what was left out to keep the transcript bounded (moodtag.transcript.*), or null when nothing was
 * @param recogniser the engine and model that recognised it (source {@link Source#RECOGNISED}); null otherwise, or
 *                   where a recognised transcript came from an engine that does not say
 */
public record Transcript(String text, List<Segment> segments, String origin, Source source, List<Word> words,
                         String note, Recogniser recogniser) {

    /** Where a transcript came from; recorded in the result document. */
    public enum Source {
        /** Given with the request (the {@code transcript} field, {@code --transcript}, a manifest's text column). */
        INLINE,
        /** A {@code .txt/.vtt/.srt/.json} file beside the media, or a manifest's {@code transcript_file}. */
        SIDECAR,
        /** Recognised from the audio by a speech-to-text engine. */
        RECOGNISED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Transcript {
        if (text == null) throw new IllegalArgumentException("text must not be null");
        if (source == null) throw new IllegalArgumentException("source must not be null");
        segments = List.copyOf(segments);
        words = List.copyOf(words);
        if (recogniser != null && source != Source.RECOGNISED)
            throw new IllegalArgumentException("only a recognised transcript names a recogniser");
    }

    /** A transcript someone provided (inline or a sidecar): no recogniser. */
    public Transcript(String text, List<Segment> segments, String origin, Source source, List<Word> words, String note) {
        this(text, segments, origin, source, words, note, null);
    }

    /** Recognised speech: its text and timed words, from {@code recogniser}. */
    public static Transcript recognised(String text, List<Word> words, Recogniser recogniser) {
        return new Transcript(text, List.of(), recogniser.engine(), Source.RECOGNISED, words, null, recogniser);
    }

    /** Text given inline; the chain normalises and bounds it as a sidecar's ({@link TranscriptLoader#given}). */
    public static Transcript inline(String text) {
        return new Transcript(text.strip(), List.of(), "inline", Source.INLINE, List.of(), null);
    }

    public boolean isBlank() {
        return text.isBlank();
    }

    /**
     * The same provenance for a part of this transcript: the text of the cues one segment overlaps, joined and bounded
     * like a whole utterance's (however many cues a segment spans), with no timings and a note only where it was cut.
     */
    public Transcript part(List<String> cues, TranscriptLimits limits) {
        BoundedText said = BoundedText.joined(cues, limits.maxTextChars());
        return new Transcript(said.toString(), List.of(), origin, source, List.of(), said.cut() ? limits.textCut() : null,
                recogniser);
    }

    /** The same transcript with {@code more} said in its note, after what the note said already. */
    public Transcript noting(String more) {
        return new Transcript(text, segments, origin, source, words, note == null ? more : note + "; " + more, recogniser);
    }

    /**
     * What recognised a transcript, recorded in the result so that recognised text can be traced to its model.
     *
     * @param engine         the recogniser and its version, e.g. {@code vosk 0.3.45}
     * @param modelSha256    the model's fingerprint
     * @param language       the model's language (ISO 639-1)
     * @param meanConfidence the mean word confidence the gate accepted
     */
    public record Recogniser(String engine, String modelSha256, String language, double meanConfidence) {
    }

    public record Segment(double startSeconds, double endSeconds, String text) {
    }

    /**
     * One word; {@code NaN} where a time or the confidence is not known (aligners leave numbers and some words
     * unaligned).
     *
     * @param confidence 0..1 as the source reported it
     */
    public record Word(String text, double startSeconds, double endSeconds, double confidence) {
    }
}
