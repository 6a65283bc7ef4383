package dev.moodtag.function;

import dev.moodtag.tagging.ObjectOutcome;

import java.util.List;

/** The answer to one request or CloudEvent: one outcome per object it named. */
public record RecognizeResponse(String requestId, List<ObjectOutcome> objects) {
}
