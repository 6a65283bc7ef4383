package dev.moodtag.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One kind of object store (S3-compatible, local filesystem). Implementations only reach the buckets or root
 * folders configured for them: every method refuses any other {@link ObjectRef} with
 * {@link StorageException.Kind#NOT_ALLOWED}. Transient failures are {@link StorageException.Kind#UNAVAILABLE}.
 */
public interface ObjectStorage {

    ObjectRef.Scheme scheme();

    /** Whether this store is configured at all (a bucket or a root folder). */
    boolean configured();

    /** Checks that the reference is reachable by configuration and returns its canonical form. */
    ObjectRef confine(ObjectRef ref);

    /** The object's size and metadata, or empty when it does not exist. */
    Optional<ObjectInfo> stat(ObjectRef ref);

    default boolean exists(ObjectRef ref) {
        return stat(ref).isPresent();
    }

    /**
     * The stat of the first of {@code candidates} that exists, in their order: objects of one folder whose keys share
     * all but their ends (a media's sidecar names in every case). Each found one is stat'ed as {@link #stat} does, with
     * the same confinement, so a name found this way is refused exactly where the same name asked alone would be.
     */
    default Optional<ObjectInfo> firstExisting(List<ObjectRef> candidates) {
        for (ObjectRef candidate : candidates) {
            Optional<ObjectInfo> found = stat(candidate);
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    /**
     * Streams the object into {@code target} (created or replaced), never holding it in memory, and stops with
     * {@link StorageException.Kind#TOO_LARGE} (deleting {@code target}) once more than {@code maxBytes} arrive.
     */
    default CopiedObject copyTo(ObjectRef ref, Path target, long maxBytes) {
        return read(ref, copier(ref, target, maxBytes));
    }

    /**
     * As {@link #copyTo(ObjectRef, Path, long)}, for the object a stat just described: see
     * {@link #read(ObjectInfo, ContentReader)}.
     */
    default CopiedObject copyTo(ObjectInfo stat, Path target, long maxBytes) {
        return read(stat, copier(stat.ref(), target, maxBytes));
    }

    private static ContentReader<CopiedObject> copier(ObjectRef ref, Path target, long maxBytes) {
        return (in, announced) -> BoundedCopy.copy(in, announced, target, maxBytes, ref.uri());
    }

    /**
     * Opens the object (with the same confinement as every other method) and hands its content to {@code reader} as a
     * stream, closed afterwards. A reader may stop early: the rest is not read (an S3 body is aborted, not drained).
     * A failure of the stream itself is the store's ({@link StorageException.Kind#UNAVAILABLE} midway); a reader
     * that judges the content reports that itself, not as an {@link IOException}.
     *
     * @throws StorageException NOT_FOUND when there is no such object
     */
    <T> T read(ObjectRef ref, ContentReader<T> reader);

    /**
     * As {@link #read(ObjectRef, ContentReader)}, for the object {@code stat} just described: that version, or
     * {@link StorageException.Kind#UNAVAILABLE} with nothing read where the store can tell it was replaced since (S3
     * names the stat's {@link ObjectInfo#entityTag()} in If-Match; the retry stats the new version). A body whose
     * length the store's answer does not announce ends where the connection closes, so one cut short reads like a
     * whole object: ended short of the stat's size, it is {@link StorageException.Kind#UNAVAILABLE} midway (cut, or
     * the object replaced since). Stores whose answers always know their length (a file) need not look at either.
     */
    default <T> T read(ObjectInfo stat, ContentReader<T> reader) {
        return read(stat.ref(), reader);
    }

    /** What is done with an object's content; {@code announcedBytes} is the size the store gave, or -1. */
    @FunctionalInterface
    interface ContentReader<T> {
        T read(InputStream in, long announcedBytes) throws IOException;
    }

    /** Writes the object so that readers see either the previous content or all of {@code content}, never a part. */
    void writeAtomically(ObjectRef ref, byte[] content, String contentType);

    /**
     * As {@link #writeAtomically(ObjectRef, byte[], String)}, the content the file {@code content} holds, streamed from
     * it where the store can (a result of a million segments is hundreds of MB). Stores that cannot read it whole.
     */
    default void writeAtomically(ObjectRef ref, Path content, String contentType) {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read what is to be written to " + ref.uri(), e);
        }
        writeAtomically(ref, bytes, contentType);
    }

    /**
     * Throws {@link StorageException} when no object could be written at {@code ref} now because of the folder it goes
     * to (one that cannot be written, or a file where that folder or one above it should be), where the store can tell
     * without writing the object: before work whose only product is that object. Stores that cannot tell cheaply (S3,
     * whose permissions only a write shows) say nothing; the write still fails as it did.
     */
    default void checkWritable(ObjectRef ref) {
    }

    /**
     * Throws {@link StorageException} ({@link StorageException.Kind#FAILED}) when {@code ref}'s own name holds what its
     * write cannot replace, in the words the write would fail in: a folder of that name on a local file system (a
     * file, a link or a FIFO there is replaced). Only reads: {@code moodtag status} asks it too. Stores whose objects
     * are all replaceable (S3) say nothing.
     */
    default void checkReplaceable(ObjectRef ref) {
    }

    /** Throws {@link StorageException} unless every configured bucket or root can be reached now (readiness). */
    void checkReachable();

    /**
     * Whether {@code ref}'s key starts with {@code prefix} as this store tells names apart
     * ({@code moodtag.function.filter.prefixes}): with case, as S3 compares keys.
     */
    default boolean keyStartsWith(ObjectRef ref, String prefix) {
        return ref.key().startsWith(prefix);
    }
}
