package dev.moodtag.pack;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/**
 * Reads the configured model pack's manifest once per process, and verifies the pack once, from that reading, for what
 * runs its models.
 */
@ApplicationScoped
public class ModelPackProducer {

    private static final Logger LOG = Logger.getLogger(ModelPackProducer.class);

    /**
     * The manifest read, its files looked up and sized, not hashed: the pack's identity comes from it (tag reads that
     * before it lists its inputs) and so does the verified pack. Each read the manifest for itself, so tag parsed and
     * bound it twice. Its encoders' kinds and parameters are checked here, not with the verified pack: status, which
     * takes the identity alone, counted results against a pack that tag refused (an unknown kind, a misspelt parameter).
     */
    @Produces
    @Singleton
    LocatedPack locatedPack(PackConfig config, EncoderKindCatalogue kinds) {
        long t0 = System.nanoTime();
        LocatedPack located = ModelPackLoader.fromConfig(config).unverified().located(Path.of(config.manifest()));
        EncoderParameters.check(located.pack(), kinds);
        LOG.debugf("model pack manifest %s read in %.1f ms", config.manifest(), (System.nanoTime() - t0) / 1e6);
        return located;
    }

    @Produces
    @Singleton
    ModelPack modelPack(PackConfig config, LocatedPack located) {
        long t0 = System.nanoTime();
        ModelPack pack = ModelPackLoader.fromConfig(config).verified(located);
        LOG.infof("model pack %s %s verified: %d encoders (%s) in %.0f ms", pack.id(), pack.version(),
                pack.encoders().size(), pack.encoders().stream().map(EncoderSpec::id).toList(),
                (System.nanoTime() - t0) / 1e6);
        return pack;
    }
}
