package dev.moodtag.storage;

/**
 * An object copied to a local file.
 *
 * @param bytes  how many bytes were copied
 * @param sha256 hex sha256 of those bytes, computed while copying (a checksum for stores without ETags)
 */
public record CopiedObject(long bytes, String sha256) {
}
