package dev.moodtag.function;

import java.util.List;

/** The answer to one request or CloudEvent: one outcome per object it named. */
public record RecognizeResponse(String requestId, List<ObjectOutcome> objects) {
}
