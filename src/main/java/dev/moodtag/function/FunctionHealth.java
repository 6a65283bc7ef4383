package dev.moodtag.function;

import java.util.Locale;

import dev.moodtag.pack.ModelPack;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.StorageReachability;
import dev.moodtag.storage.StorageRouter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * SmallRye Health probes ({@code /q/health/live}, {@code /ready}, {@code /started}). Started and ready need the model
 * pack verified and loaded; ready also needs every configured store reachable, as checked at most
 * {@code moodtag.storage.reachability.cache-ttl} ago and waited for at most {@code moodtag.storage.reachability.timeout}.
 */
@ApplicationScoped
public class FunctionHealth {

    @Produces
    @Liveness
    HealthCheck alive() {
        // The process answers; a stuck model load or storage outage is for readiness, restarting would not help.
        return () -> HealthCheckResponse.up("moodtag");
    }

    @Produces
    @Startup
    HealthCheck started(FunctionStartup startup, Instance<ModelPack> pack) {
        return () -> models(HealthCheckResponse.named("models"), startup, pack).build();
    }

    @Produces
    @Readiness
    HealthCheck ready(FunctionStartup startup, Instance<ModelPack> pack, StorageRouter storage,
                      StorageReachability reachability, ConcurrencyLimit limit) {
        return () -> {
            HealthCheckResponseBuilder b = models(HealthCheckResponse.named("moodtag"), startup, pack);
            // Recognitions, not connections: one whose client hung up still runs and still counts.
            b.withData("inFlight", limit.inFlight());
            if (limit.draining()) b.down().withData("shutdown", "draining: no new events");
            for (ObjectStorage store : storage.configured()) {
                String name = "storage." + store.scheme().name().toLowerCase(Locale.ROOT);
                StorageReachability.Answer answer = reachability.check(store);
                if (answer.reachable()) b.withData(name, answer.detail());
                else b.down().withData(name, answer.detail());
            }
            if (storage.configured().isEmpty()) b.down().withData("storage", "no bucket or root folder configured");
            return b.build();
        };
    }

    private static HealthCheckResponseBuilder models(HealthCheckResponseBuilder b, FunctionStartup startup,
                                                     Instance<ModelPack> pack) {
        if (startup.loaded()) {
            ModelPack p = pack.get();
            return b.up().withData("pack", p.id() + " " + p.version());
        }
        return b.down().withData("pack", startup.refusal() != null ? "failed: " + startup.refusal() : "loading");
    }
}
