package dev.moodtag.label;

import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.pack.LocatedPack;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.PackIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;

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
            String description = ClassifierStore.describe(stored.classifier().mode(), classifierFile(pack));
            LOG.infof("classifier loaded: %s, classes %s", description, stored.classifier().classes());
            return new SvmLabeller(stored.classifier(), description);
        }).orElseGet(() -> {
            String why = noClassifier(pack);
            LOG.warn(why);
            return new NoClassifierLabeller(why);
        });
    }

    /**
     * The configured pack's identity as the {@link Labeller} and the pack would give it, from the manifest (read, its
     * files looked up and their lengths compared with its sizes, not hashed: a model cut short is refused here, before
     * status lists or publish sends anything; the same reading the verified pack is made from, {@link LocatedPack}) and the classifier's mode and file hash: no model is read.
     * The checks that need no hashing are tag's (encoders' kinds and parameters with the located pack, the classifier's
     * fit to the pack here), so status and publish refuse a pack with tag's words. The models' hashes
     * are no part of it (results record the pack's id and version, and tag verifies the files against the manifest
     * before it runs them), so a command that only compares results with the pack does not read 110 MB to know it.
     */
    @Produces
    @Singleton
    PackIdentity packIdentity(LocatedPack located) {
        ModelPack pack = located.pack();
        Path file = classifierFile(pack);
        // a classifier trained on other encoders (another precision, model file or parameters) is refused as tag's
        // Labeller refuses it, from classifier.json alone: status counted results against a pack that tag refused
        if (Files.isRegularFile(file)) ClassifierStore.checkFits(file.getParent(), pack);
        String classifier = Files.isRegularFile(file) ? ClassifierStore.describe(ClassifierStore.modeOf(file), file)
                : noClassifier(pack);
        return new PackIdentity(pack.id(), pack.version(), classifier);
    }

    private static Path classifierFile(ModelPack pack) {
        return pack.dir().resolve(ClassifierStore.DEFAULT_FOLDER).resolve(ClassifierStore.FILE);
    }

    private static String noClassifier(ModelPack pack) {
        return "model pack " + pack.id() + " " + pack.version() + " has no trained classifier ("
                + ClassifierStore.DEFAULT_FOLDER + "/" + ClassifierStore.FILE + " beside its manifest); "
                + "embeddings were computed, export one with `moodtag train` to get labels";
    }
}
