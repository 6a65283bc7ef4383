package dev.moodtag.label;

import dev.moodtag.support.Sha256;
import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.pack.ModelPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The pack's classifier ({@code <pack>/classifier/}), loaded once, behind {@link Labeller}. A pack without one still
 * serves: results carry embeddings' provenance and {@code label: null} with the reason. A classifier that does not
 * fit the pack's encoders refuses to load (readiness says why).
 */
@ApplicationScoped
public class LabellerProducer {

    private static final Logger LOG = Logger.getLogger(LabellerProducer.class);

    @Produces
    @Singleton
    Labeller labeller(ModelPack pack) {
        return ClassifierStore.loadFromPack(pack).<Labeller>map(stored -> {
            Path file = pack.dir().resolve(ClassifierStore.DEFAULT_FOLDER).resolve(ClassifierStore.FILE);
            String description = stored.classifier().mode().name().toLowerCase(Locale.ROOT) + "-fusion SVM "
                    + ClassifierStore.DEFAULT_FOLDER + "/" + ClassifierStore.FILE + " sha256:" + Sha256.of(file);
            LOG.infof("classifier loaded: %s, classes %s", description, stored.classifier().classes());
            return new SvmLabeller(stored.classifier(), description);
        }).orElseGet(() -> {
            String why = "model pack " + pack.id() + " " + pack.version() + " has no trained classifier ("
                    + ClassifierStore.DEFAULT_FOLDER + "/" + ClassifierStore.FILE + " beside its manifest); "
                    + "embeddings were computed, export one with `moodtag train` to get labels";
            LOG.warn(why);
            return new NoClassifierLabeller(why);
        });
    }

}
