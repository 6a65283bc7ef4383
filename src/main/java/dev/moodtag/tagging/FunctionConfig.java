package dev.moodtag.tagging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The storage-event function: which objects it tags, where results go, how much it takes on at once. */
@ConfigMapping(prefix = "moodtag.function")
public interface FunctionConfig {

    Result result();

    Filter filter();

    /**
     * Requests processed at once; more get HTTP 429 with {@code Retry-After}. Match Knative's
     * {@code containerConcurrency}: every request holds one decoded utterance and runs the encoders.
     */
    @WithDefault("2")
    int maxConcurrent();

    /**
     * Objects one event may name (S3 {@code Records}, plain {@code uris}). An event holds one permit of
     * {@link #maxConcurrent()} and works on its objects one after another, so this bounds the time one event takes;
     * an event naming more is refused with 400 (send them as separate events). Storage notifications name one.
     */
    @WithDefault("10")
    int maxObjectsPerEvent();

    /**
     * On shutdown (SIGTERM), how long recognitions in flight may run on before the models are closed; new events are
     * answered 503 meanwhile. Keep it below the platform's grace period (Kubernetes
     * {@code terminationGracePeriodSeconds}: 30 s by default; Knative sets it to the revision's timeout,
     * {@code timeoutSeconds: 300} in deploy/knative). At most {@code PT10M}: Knative's
     * {@code max-revision-timeout-seconds} is 600 by default, so no pod is granted longer, and the kubelet kills the
     * process at its grace period whatever this says; a longer value is a typo (PT3000H) that only hid the real limit.
     */
    @WithDefault("PT25S")
    Duration shutdownGrace();

    /**
     * What {@code Retry-After} tells a caller that was turned away (over the limit, or storage unavailable), from
     * {@code PT1S} (sent in whole seconds) to {@code PT10M}: Knative's delivery honours a Retry-After only up to its
     * {@code retryAfterMax} ({@code PT60S} in deploy/knative's broker and triggers, as moodtag's own publisher's
     * {@code moodtag.publish.retry-after-max}), so more is cut by the platform, and a client that does wait it out is
     * held back long after a busy pod or a store has recovered; a longer value is a typo (PT3000H).
     */
    @WithDefault("PT5S")
    Duration retryAfter();

    /** Process an object even when a result from the same model pack exists (the request's {@code force} also does). */
    @WithDefault("false")
    boolean force();

    interface Result {
        /**
         * Prepended to the media key, e.g. {@code results/}: results of {@code a/clip.mp4} go to
         * {@code results/a/clip.mp4.emotion.json}. Empty by default: the result sits beside the media. Objects whose keys
         * start with it, in any case, are this function's own output and never processed: {@code Results/} is the same
         * folder as {@code results/} on a case-insensitive file system. Prefix and suffix follow this one rule
         * ({@link dev.moodtag.storage.ResultNames}); results are written under the names as configured.
         */
        @WithDefault("")
        Optional<String> prefix();

        /**
         * Appended to the media key. Objects whose keys end with it, in any case ({@code clip.wav.EMOTION.JSON}), are
         * this function's own output and never processed. It must hold a dot, not end with one, not end with a media
         * extension ({@code .wav}) and not be a transcript sidecar's extension alone ({@code .txt}): such a suffix
         * makes results and inputs look alike, and is refused at start ({@link ObjectFilter#checkResultSuffix}).
         */
        @WithDefault(".emotion.json")
        String suffix();
    }

    interface Filter {
        /**
         * Only keys starting with one of these are processed (all by default). Compared with case, as S3 compares keys
         * and a case-sensitive disk its names: {@code talks/} does not take {@code Talks/a.wav}, which is another
         * folder there (list both where both are meant). On a local root whose file system folds case (macOS, Windows,
         * an SMB share) it is compared as that file system resolves names, asked name by name
         * ({@link dev.moodtag.storage.ObjectStorage#keyStartsWith}): {@code talks/} takes {@code Talks/a.wav}, the one
         * folder either spelling reaches there. Unlike the result's prefix and suffix, whose case never counts
         * ({@link dev.moodtag.storage.ResultNames}) so that no result is ever tagged, this one chooses what is tagged,
         * and a match in another case would tag objects nobody selected. A local key is the path below its root: the
         * configured root for the function, the inbox for {@code watch}, the folder given to {@code tag} (a file or a
         * manifest row named on its own is its name alone).
         */
        Optional<List<String>> prefixes();

        /**
         * Only keys ending with one of these (case-insensitive) are processed. Default: the media extensions moodtag
         * walks ({@link dev.moodtag.media.MediaFiles#EXTENSIONS}), so sidecar transcripts and other files are ignored.
         */
        Optional<List<String>> suffixes();

        /**
         * Only objects whose stored content type starts with one of these are processed, when the store knows the
         * type ({@code audio/,video/,image/} for example). All by default: many uploads are
         * {@code application/octet-stream}.
         */
        Optional<List<String>> mediaTypes();

        /** Larger objects are acknowledged and ignored, never downloaded. */
        @WithDefault("536870912")
        long maxObjectBytes();
    }
}
