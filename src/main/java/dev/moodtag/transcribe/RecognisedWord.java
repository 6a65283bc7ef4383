package dev.moodtag.transcribe;

/**
 * One recognised word.
 *
 * @param startSeconds where the word starts, in seconds from the start of the recording (the stream's offset included)
 * @param confidence   the recogniser's posterior for this word, 0..1
 */
public record RecognisedWord(String text, double startSeconds, double endSeconds, double confidence) {

    public double duration() {
        return Math.max(0, endSeconds - startSeconds);
    }
}
