package dev.moodtag.tagging;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One object named by an incoming event, in whatever format it came.
 *
 * @param format      which notification format it was parsed from ({@code aws-s3}, {@code minio}, ...)
 * @param eventName   the platform's name for what happened ({@code ObjectCreated:Put}, ...)
 * @param created     whether the event says the object was created or replaced (only those are processed)
 * @param size        the size the event reports, if any (checked against the limit before anything is read)
 * @param etag        the ETag the event reports, if any
 * @param contentType the content type the event reports, if any
 * @param force       process even if a result from the same model pack exists (plain requests only)
 */
public record ObjectEvent(String format, String eventName, boolean created, ObjectAddress address,
                          OptionalLong size, Optional<String> etag, Optional<String> contentType, boolean force) {
}
