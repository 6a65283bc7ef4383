package dev.moodtag.publish;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One object's end in a publish: a line of the publish log ({@link PublishJournal}) and of the printed summary.
 *
 * @param eventId    the CloudEvent id: stable per object and model pack ({@link EventIds})
 * @param httpStatus the sink's last answer; null when none came (connection error) or nothing was sent
 * @param attempts   requests sent for it in this publish (0 when skipped)
 * @param reason     why it was skipped or failed; null when published
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"object", "eventId", "state", "httpStatus", "attempts", "reason", "seconds", "at"})
public record PublishRecord(String object, String eventId, PublishState state, Integer httpStatus, int attempts,
                            String reason, double seconds, String at) {
}
