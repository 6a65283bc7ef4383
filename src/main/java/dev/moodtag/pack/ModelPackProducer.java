package dev.moodtag.pack;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/** Loads and verifies the configured model pack once per process. */
@ApplicationScoped
public class ModelPackProducer {

    private static final Logger LOG = Logger.getLogger(ModelPackProducer.class);

    @Produces
    @Singleton
    ModelPack modelPack(PackConfig config, EncoderKindCatalogue kinds) {
        long t0 = System.nanoTime();
        ModelPack pack = ModelPackLoader.fromConfig(config).load(Path.of(config.manifest()), kinds);
        LOG.infof("model pack %s %s verified: %d encoders (%s) in %.0f ms", pack.id(), pack.version(),
                pack.encoders().size(), pack.encoders().stream().map(EncoderSpec::id).toList(),
                (System.nanoTime() - t0) / 1e6);
        return pack;
    }
}
