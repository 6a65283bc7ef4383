package dev.moodtag.function;

import dev.moodtag.pack.ModelPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Files;

/** The pack's classifier, loaded once, behind {@link Labeller}. */
@ApplicationScoped
public class LabellerProducer {

    private static final Logger LOG = Logger.getLogger(LabellerProducer.class);

    @Produces
    @Singleton
    Labeller labeller(ModelPack pack) {
        // Classification (dev.moodtag.classify) is not part of this build yet: say so rather than guess a label.
        String why = "model pack " + pack.id() + " " + pack.version() + " has no trained classifier"
                + (Files.isDirectory(pack.dir().resolve("classifier")) ? " this moodtag can load" : " (no classifier/ folder)")
                + "; embeddings were computed, train one with `moodtag train` to get labels";
        LOG.warn(why);
        return new NoClassifierLabeller(why);
    }
}
