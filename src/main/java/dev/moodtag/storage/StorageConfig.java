package dev.moodtag.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
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

    /**
     * Folder for the bounded temporary copies of media, and for a result rewritten as a stream (staged here before its
     * atomic write); default: the JVM's temporary folder.
     */
    Optional<String> tempDir();

    interface S3 {
        /**
         * Buckets that may be read and written. None by default (S3 disabled). The S3 client itself is configured
         * with the Quarkus Amazon S3 extension's {@code quarkus.s3.*} keys: region, credentials,
         * {@code quarkus.s3.endpoint-override} for MinIO and other S3-compatible stores,
         * {@code quarkus.s3.path-style-access}.
         */
        Optional<List<String>> buckets();

        /**
         * Longest one S3 call may take, retries included: stat, result write, one listing page, and a read up to its
         * first byte (the rest of a read is bounded by {@code quarkus.s3.sync-client.socket-timeout} between bytes and
         * by {@link #readTimeout()} as a whole).
         * A frozen endpoint then fails the call as retryable instead of holding the request.
         */
        @WithDefault("PT20S")
        Duration callTimeout();

        /** Longest one attempt of an S3 call may take before the SDK retries it. */
        @WithDefault("PT5S")
        Duration attemptTimeout();

        /**
         * Longest the body of one read may take once its answer came: a body that still drips in after it (each byte
         * within the socket timeout) fails the read as retryable. The default lets an object of the default maximum
         * size (512 MiB) arrive at 0.9 MB/s.
         */
        @WithDefault("PT10M")
        Duration readTimeout();
    }

    /** The readiness probe's storage check ({@code /q/health/ready}). */
    Reachability reachability();

    interface Reachability {
        /**
         * Longest a probe waits for a store's answer; a store that has not answered by then is reported not
         * reachable, and the check goes on in the background (one at a time per store).
         */
        @WithDefault("PT2S")
        Duration timeout();

        /** How long an answer is reused: probes within it make no call to the store. */
        @WithDefault("PT10S")
        Duration cacheTtl();
    }

    interface Local {
        /** Root folders that may be read and written, e.g. an inbox on an edge box. None by default. */
        Optional<List<String>> roots();

        /** Whether symbolic links inside a root may point elsewhere inside the same root (never outside). */
        @WithDefault("true")
        boolean followLinksWithinRoot();
    }
}
