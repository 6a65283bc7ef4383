package dev.moodtag.publish;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an object of a publish ended; every object ends in exactly one. */
public enum PublishState {
    /** The sink acknowledged the event (2xx). */
    PUBLISHED("published"),
    /** Not sent: it has a current result, an earlier publish had it acknowledged, or the function does not tag it. */
    SKIPPED("skipped"),
    /** Refused for good (4xx other than 408/429), or still failing after the last attempt. */
    FAILED("failed-to-publish");

    private final String label;

    PublishState(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
