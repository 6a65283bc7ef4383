package dev.moodtag.storage;

import java.util.Locale;

/**
 * Where one stored object lives. For S3, {@code container} is the bucket; for the local filesystem it is the
 * configured root folder (absolute, normalised) and {@code key} the path below it with {@code /} separators.
 * An {@code ObjectRef} says nothing about whether the object may be read: {@link ObjectStorage} decides that.
 */
public record ObjectRef(Scheme scheme, String container, String key) {

    public enum Scheme {
        S3, FILE;

        public String prefix() {
            return name().toLowerCase(Locale.ROOT) + "://";
        }
    }

    public ObjectRef {
        if (scheme == null || container == null || key == null)
            throw new IllegalArgumentException("scheme, container and key are required");
    }

    public static ObjectRef s3(String bucket, String key) {
        return new ObjectRef(Scheme.S3, bucket, key);
    }

    /** The object's last key segment: {@code clip.mp4} for {@code a/b/clip.mp4}. */
    public String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** Another object in the same container and folder. */
    public ObjectRef sibling(String name) {
        int slash = key.lastIndexOf('/');
        return new ObjectRef(scheme, container, slash < 0 ? name : key.substring(0, slash + 1) + name);
    }

    public ObjectRef withKey(String newKey) {
        return new ObjectRef(scheme, container, newKey);
    }

    /**
     * The address an event sends for this object, which the function parses back to the same object: a local file as
     * a percent-encoded {@code file:} URI ({@link #uri()} writes the path as it is, and a space, {@code %}, {@code #}
     * or {@code ?} in a name then made the function refuse the event or tag another file), an S3 object as
     * {@link #uri()} (the function takes an {@code s3://} key as written).
     */
    public String eventUri() {
        return switch (scheme) {
            case S3 -> uri();
            case FILE -> java.nio.file.Path.of(container).resolve(key).toUri().toString();
        };
    }

    /** {@code s3://bucket/key} or {@code file:///root/key}: for results and logs (never carries credentials). */
    public String uri() {
        return switch (scheme) {
            case S3 -> "s3://" + container + "/" + key;
            case FILE -> "file://" + (container.endsWith("/") ? container : container + "/") + key;
        };
    }

    @Override
    public String toString() {
        return uri();
    }
}
