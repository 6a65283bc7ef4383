package dev.moodtag.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/**
 * Which stores the function may reach. Nothing is reachable unless configured here: an event cannot make the
 * function read a bucket, endpoint or folder that is not listed.
 */
@ConfigMapping(prefix = "moodtag.storage")
public interface StorageConfig {

    S3 s3();

    Local local();

    /** Folder for the bounded temporary copies of media; default: the JVM's temporary folder. */
    Optional<String> tempDir();

    interface S3 {
        /**
         * Buckets that may be read and written. None by default (S3 disabled). The S3 client itself is configured
         * with the Quarkus Amazon S3 extension's {@code quarkus.s3.*} keys: region, credentials,
         * {@code quarkus.s3.endpoint-override} for MinIO and other S3-compatible stores,
         * {@code quarkus.s3.path-style-access}.
         */
        Optional<List<String>> buckets();
    }

    interface Local {
        /** Root folders that may be read and written, e.g. an inbox on an edge box. None by default. */
        Optional<List<String>> roots();

        /** Whether symbolic links inside a root may point elsewhere inside the same root (never outside). */
        @WithDefault("true")
        boolean followLinksWithinRoot();
    }
}
