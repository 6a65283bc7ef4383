package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result document read back from storage ({@link ResultLocator}). A timeline's segments are in {@code document}
 * only when they were asked for; {@code segments} counts them either way (null without a timeline).
 *
 * @param complete false when only the head could be read: the result is current by its head (skip-if-done reads no
 *                 more), but what follows is damaged or cut short, and {@code document} holds the head only
 */
public record StoredResult(JsonNode document, Integer segments, boolean complete) {

    public StoredResult(JsonNode document, Integer segments) {
        this(document, segments, true);
    }

    /** What is wrong with a result whose rest cannot be read, said wherever it is found current by its head. */
    public static final String DAMAGED_WORDS = "its result cannot be read past its first fields (damaged or cut short)";
    /** What a user of {@code tag} and {@code status} is told of a result whose rest cannot be read. */
    public static final String DAMAGED = DAMAGED_WORDS + "; --force redoes it";
}
