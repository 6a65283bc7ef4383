package dev.moodtag.tagging;

import java.net.URI;
import java.nio.file.Path;

/** Where an event says the object is, before configuration decides whether it may be reached. */
public sealed interface ObjectAddress {

    /** A bucket and a decoded key of the configured S3-compatible store (AWS, MinIO, GCS interoperability). */
    record Bucket(String bucket, String key) implements ObjectAddress {
        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /** An absolute local path from a {@code file://} URI. */
    record LocalFile(Path path) implements ObjectAddress {
        @Override
        public String toString() {
            return "file://" + path;
        }
    }

    /** An {@code http(s)://} object URL; only the configured S3 endpoint is accepted. */
    record Url(URI url) implements ObjectAddress {
        @Override
        public String toString() {
            // no query string: presigned URLs carry credentials
            return url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
        }
    }
}
