package dev.moodtag.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * What the store says about an object before it is read.
 *
 * @param etag        the S3 ETag without quotes; empty for the filesystem, whose objects get a sha256 when copied
 * @param contentType as stored; empty when the store does not know it
 * @param entityTag   the ETag exactly as the store wrote it, where it is a strong entity-tag that a read can name to
 *                    get this version and no other (S3's, quoted); empty where there is none, or only one that a
 *                    conditional read could never match (weak, unquoted, not writable in a header)
 * @param fileVersion a local file's {@link FileVersion}, which tells apart what size and time cannot; empty for S3 (its
 *                    ETag does) and where the file system gives none
 * @param checkedAt   the store's own time when it answered this stat (S3's Date, whole seconds); empty where it gave
 *                    none, and for the filesystem. Where the store gives no ETag, size and a Last-Modified of whole
 *                    seconds tell a version apart only from versions made in another second: a stat answered in a
 *                    later second than {@code lastModified}'s shows a version no later replacement can look like
 */
public record ObjectInfo(ObjectRef ref, long size, Optional<String> etag, Optional<Instant> lastModified,
                         Optional<String> contentType, Optional<String> entityTag, Optional<String> fileVersion,
                         Optional<Instant> checkedAt) {

    /** An object of a store that gives no time of its own with a stat (the filesystem). */
    public ObjectInfo(ObjectRef ref, long size, Optional<String> etag, Optional<Instant> lastModified,
                      Optional<String> contentType, Optional<String> entityTag, Optional<String> fileVersion) {
        this(ref, size, etag, lastModified, contentType, entityTag, fileVersion, Optional.empty());
    }

    /** An object of a store that knows no file version (S3). */
    public ObjectInfo(ObjectRef ref, long size, Optional<String> etag, Optional<Instant> lastModified,
                      Optional<String> contentType, Optional<String> entityTag) {
        this(ref, size, etag, lastModified, contentType, entityTag, Optional.empty());
    }

    /** An object whose version a read cannot name: it reads whatever the store holds then. */
    public ObjectInfo(ObjectRef ref, long size, Optional<String> etag, Optional<Instant> lastModified,
                      Optional<String> contentType) {
        this(ref, size, etag, lastModified, contentType, Optional.empty());
    }
}
