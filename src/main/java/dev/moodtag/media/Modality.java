package dev.moodtag.media;

/** The three channels an utterance can carry. Each encoder serves exactly one. */
public enum Modality {
    TEXT, SPEECH, VIDEO;

    public String code() {
        return switch (this) {
            case TEXT -> "T";
            case SPEECH -> "A";
            case VIDEO -> "V";
        };
    }
}
