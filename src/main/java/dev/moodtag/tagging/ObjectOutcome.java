package dev.moodtag.tagging;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the function did with one object of an event.
 *
 * @param outcome   {@code processed} (a result was written; {@code status} is the result's), {@code skipped} (a result
 *                  from the same model pack exists), {@code ignored} (filtered out: not a creation, not media, too
 *                  large, moodtag's own output), {@code rejected} (not a configured bucket, endpoint or root; a key
 *                  escaping its root), {@code failed} (nothing to tag, e.g. the object is gone, or was deleted while
 *                  it was tagged; in a batch, changed while it was tagged) or {@code held} (watch mode only: an
 *                  error result kept back while the file may still be written, see {@link ResultRules#holdErrors})
 * @param object    the object's URI as the event named it
 * @param reason    why, for every outcome but {@code processed}
 * @param resultUri where the result is (processed, skipped)
 * @param result    the document that was written (processed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectOutcome(String outcome, String object, String reason, String resultUri, String status,
                            String label, EmotionResult result) {

    public static final String PROCESSED = "processed", SKIPPED = "skipped", IGNORED = "ignored",
            REJECTED = "rejected", FAILED = "failed", HELD = "held";

    public static ObjectOutcome of(String outcome, String object, String reason) {
        return new ObjectOutcome(outcome, object, reason, null, null, null, null);
    }
}
