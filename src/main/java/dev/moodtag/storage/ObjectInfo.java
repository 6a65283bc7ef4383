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
 */
public record ObjectInfo(ObjectRef ref, long size, Optional<String> etag, Optional<Instant> lastModified,
                         Optional<String> contentType, Optional<String> entityTag, Optional<String> fileVersion) {

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
