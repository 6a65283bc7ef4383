package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.moodtag.support.WholeNumber;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
     * {@link EmotionResult#VERSION}, of any size (99999999999999999999 is a newer major as 3 is, where a reading cut
     * to a long called it no version and the object was tagged over it). A new minor schema (any 2.x schema URL) keeps
     * version 2 and is read as now; a new major is one this moodtag would misread, so such a result is neither current
     * nor overwritten (it is the newer moodtag's answer), until {@code --force}. Empty for any other version: 2, or one
     * no reader takes for a newer moodtag's ({@code "3"}, {@code 2.5}, an older major), which is then no current result.
     */
    public static Optional<BigInteger> newerVersion(JsonNode document) {
        return WholeNumber.atLeast(document.get("version"), EmotionResult.VERSION + 1L, false);
    }

    /** Whether {@code document} is of the version this moodtag writes: the integral JSON number {@link EmotionResult#VERSION}. */
    public static boolean ofThisVersion(JsonNode document) {
        return WholeNumber.of(document.get("version"), EmotionResult.VERSION, EmotionResult.VERSION, false).isPresent();
    }

    /**
     * A moodtag result schema's URL ({@link EmotionResult#SCHEMA}), wherever it is kept: its name gives the major
     * (the result's {@code version}) and, optionally, the minor ({@code emotion-result-v5.json} is major 5).
     */
    private static final Pattern SCHEMA_NAME = Pattern.compile("(?:^|/)emotion-result-v([0-9]+)(?:\\.[0-9]+)?\\.json\\z");

    /**
     * Whether the document's {@code schema} URL names another major than its {@code version} says (version 2 with an
     * {@code emotion-result-v3.0.json}, or 3 with a v2.4): a document that contradicts itself is no result of either,
     * and was read as its version alone. Not when either says none: a version that is no whole number is judged as
     * such, and a schema that is not a moodtag result schema's URL (none, not text, another name) names no major.
     */
    public static boolean versionsDisagree(JsonNode document) {
        Optional<BigInteger> version = WholeNumber.atLeast(document.get("version"), Long.MIN_VALUE, false);
        JsonNode schema = document.get("schema");
        Matcher named = schema != null && schema.isTextual() ? SCHEMA_NAME.matcher(schema.asText()) : null;
        if (version.isEmpty() || named == null || !named.find()) return false;
        // The major's digits as WholeNumber reads text: more than it takes (63) name no major, as anything else it refuses
        Optional<BigInteger> major = WholeNumber.atLeast(TextNode.valueOf(named.group(1)), 0, true);
        return major.isPresent() && !major.get().equals(version.get());
    }

    /**
     * What tag, watch, status and the function say of a result {@code resultUri} a newer moodtag wrote, a permanent
     * outcome of its object: run again, this moodtag leaves it as it is.
     */
    public static String leftByNewer(String resultUri, BigInteger version) {
        return resultUri + " was made by a newer moodtag (result version " + version + "); this one writes version "
                + EmotionResult.VERSION + ": left as it is (--force replaces it)";
    }
}
