package dev.moodtag.function;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads the model pack, the encoders and the classifier once, at start-up, when this process serves HTTP, so that
 * the first event does not pay for it and readiness means ready. CLI commands do not serve HTTP (see
 * {@code MoodtagMain}) and build only what they use.
 */
@ApplicationScoped
public class FunctionStartup {

    private static final Logger LOG = Logger.getLogger(FunctionStartup.class);

    private volatile boolean loaded;
    private volatile String failure;

    void onStart(@Observes StartupEvent start, @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true")
                 boolean serving, Instance<Recognizer> recognizer) {
        if (!serving) return;
        long t0 = System.nanoTime();
        try {
            recognizer.get().warmUp();
            loaded = true;
            LOG.infof("models loaded in %.0f ms", (System.nanoTime() - t0) / 1e6);
        } catch (RuntimeException e) {
            // Keep serving health endpoints so the platform sees why: readiness and startup report this failure.
            failure = e.getMessage();
            LOG.errorf("model pack failed to load: %s", e.getMessage());
        }
    }

    public boolean loaded() {
        return loaded;
    }

    /** Why loading failed, or null. */
    public String failure() {
        return failure;
    }
}
