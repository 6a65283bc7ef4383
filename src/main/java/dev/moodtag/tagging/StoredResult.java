package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.support.WholeNumber;

import java.util.OptionalLong;

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

    /**
     * The major version of a result a newer moodtag wrote: {@code version} an integral JSON number above
     * {@link EmotionResult#VERSION}. A new minor schema (any 2.x schema URL) keeps version 2 and is read as now; a new
     * major is one this moodtag would misread, so such a result is neither current nor overwritten (it is the newer
     * moodtag's answer), until {@code --force}. Empty for any other version: 2, or one no reader takes for a newer
     * moodtag's ({@code "3"}, {@code 2.5}, an older major), which is then no current result.
     */
    public static OptionalLong newerVersion(JsonNode document) {
        return WholeNumber.of(document.get("version"), EmotionResult.VERSION + 1L, Long.MAX_VALUE, false);
    }

    /** Whether {@code document} is of the version this moodtag writes: the integral JSON number {@link EmotionResult#VERSION}. */
    public static boolean ofThisVersion(JsonNode document) {
        return WholeNumber.of(document.get("version"), EmotionResult.VERSION, EmotionResult.VERSION, false).isPresent();
    }

    /**
     * What tag, watch, status and the function say of a result {@code resultUri} a newer moodtag wrote, a permanent
     * outcome of its object: run again, this moodtag leaves it as it is.
     */
    public static String leftByNewer(String resultUri, long version) {
        return resultUri + " was made by a newer moodtag (result version " + version + "); this one writes version "
                + EmotionResult.VERSION + ": left as it is (--force replaces it)";
    }
}
