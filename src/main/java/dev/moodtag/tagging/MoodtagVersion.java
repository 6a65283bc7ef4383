package dev.moodtag.tagging;

/** The version written into results (kept in step with the picocli command's version). */
final class MoodtagVersion {
    private MoodtagVersion() {
    }

    static final String VALUE = "moodtag 0.1.0";
}
