package dev.moodtag.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * What the store says about an object before it is read.
 *
 * @param etag        the S3 ETag without quotes; empty for the filesystem, whose objects get a sha256 when copied
 * @param contentType as stored; empty when the store does not know it
 */
public record ObjectInfo(ObjectRef ref, long size, Optional<String> etag, Optional<Instant> lastModified,
                         Optional<String> contentType) {
}
