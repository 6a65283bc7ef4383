package dev.moodtag.function;

import dev.moodtag.label.Labeller;
import dev.moodtag.tagging.Recognizer;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.storage.StorageConfig;
import dev.moodtag.storage.StorageReachability;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.tagging.FunctionConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Loads the model pack, the encoders and the classifier once, at start-up, when this process serves HTTP, so that
 * the first event does not pay for it and readiness means ready. CLI commands do not serve HTTP (see
 * {@code MoodtagMain}) and build only what they use.
 */
@ApplicationScoped
public class FunctionStartup {

    private static final Logger LOG = Logger.getLogger(FunctionStartup.class);

    private volatile boolean loaded;
    private volatile Refusal refusal;

    /**
     * Why the function will never be ready, named as what it is in the log, the probes and the events refused with
     * 503: a setting out of range was "model pack failed to load", and the answer said to fix the pack.
     */
    public record Refusal(String what, String message, String remedy) {
        static Refusal of(RuntimeException e) {
            return e instanceof SettingOutOfRange
                    ? new Refusal("setting out of range", e.getMessage(), "correct the setting and restart")
                    : new Refusal("model pack failed to load", e.getMessage(),
                    "fix the pack (its manifest, files or classifier) and restart");
        }

        @Override
        public String toString() {
            return what + ": " + message;
        }
    }

    void onStart(@Observes StartupEvent start, @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true")
                 boolean serving, Instance<ModelPack> pack, Instance<Labeller> labeller,
                 Instance<EmbeddingEngine> engine, Instance<Recognizer> recognizer, Instance<HeardTranscripts> heard,
                 Instance<OnnxRuntime> onnx, FunctionConfig function, StorageConfig storage) {
        if (!serving) return;
        long t0 = System.nanoTime();
        try {
            // Before any model loads: a limit out of range leaves the function never ready however the pack is.
            ConcurrencyLimit.checkSettings(function);
            StorageReachability.checkSettings(storage);
            S3ObjectStorage.checkSettings(storage);
            // ONNX Runtime's native library (extracted from its jar unless onnxruntime.native.path points at it) needs
            // nothing from the pack: it loads while the pack's files are hashed instead of after.
            CompletableFuture<?> runtime = beside("moodtag-onnx-load", () -> onnx.get().environment());
            pack.get();
            unwrap(runtime);
            // Parsing the classifier's SVMs and creating the encoders' ONNX sessions take about as long as each
            // other and share nothing but the verified pack: on two cores, doing them side by side is most of what
            // stands between start and the 3 s readiness target.
            CompletableFuture<Labeller> classifier = beside("moodtag-classifier-load", labeller::get);
            // The speech recogniser (about 2 s for Vosk's model) loads beside them for the same reason.
            CompletableFuture<Boolean> recogniser = beside("moodtag-recogniser-load", () -> heard.get().listens());
            try {
                engine.get().pack();
            } finally {
                try {
                    unwrap(classifier);
                } finally {
                    unwrap(recogniser);
                }
            }
            recognizer.get().warmUp();
            loaded = true;
            LOG.infof("models loaded in %.0f ms", (System.nanoTime() - t0) / 1e6);
            // after readiness, so that warming recognisers up does not slow the start
            heard.get().prepare();
        } catch (RuntimeException e) {
            // Keep serving health endpoints so the platform sees why: readiness and startup report this failure.
            refusal = Refusal.of(e);
            LOG.error(refusal);
        }
    }

    private static <T> CompletableFuture<T> beside(String thread, Supplier<T> load) {
        return CompletableFuture.supplyAsync(load, task -> new Thread(task, thread).start());
    }

    private static void unwrap(CompletableFuture<?> loading) {
        try {
            loading.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public boolean loaded() {
        return loaded;
    }

    /** Why loading failed, or null. */
    public String failure() {
        return refusal == null ? null : refusal.message();
    }

    /** Why the function will never be ready, or null. */
    public Refusal refusal() {
        return refusal;
    }
}
