package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result document read back from storage ({@link ResultLocator}). A timeline's segments are in {@code document}
 * only when they were asked for; {@code segments} counts them either way (null without a timeline).
 */
public record StoredResult(JsonNode document, Integer segments) {
}
