package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.label.Labeller;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Where an object's result goes ({@code moodtag.function.result.*}) and whether the result already there makes a
 * new run unnecessary ({@code skip-if-done}: same pack, classifier and source object).
 */
@ApplicationScoped
public class ResultLocator {

    private static final Logger LOG = Logger.getLogger(ResultLocator.class);
    /** The existing result is a few kB. */
    private static final long MAX_RESULT_BYTES = 4L << 20;

    private final FunctionConfig config;
    private final EmbeddingEngine engine;
    private final Labeller labeller;
    private final ScratchSpace scratch;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    ResultLocator(FunctionConfig config, EmbeddingEngine engine, Labeller labeller, ScratchSpace scratch) {
        this.config = config;
        this.engine = engine;
        this.labeller = labeller;
        this.scratch = scratch;
    }

    /** Where the result of {@code media} goes: same container, {@code <prefix><key><suffix>}. */
    public ObjectRef resultFor(ObjectRef media) {
        return media.withKey(config.result().prefix().orElse("") + media.key() + config.result().suffix());
    }

    /**
     * The existing result when it makes this run unnecessary: same pack and classifier, same source object (ETag, or
     * size and modification time where the store has no ETag). Empty when there is none or it differs.
     */
    public Optional<JsonNode> doneBySamePack(ObjectStorage store, ObjectRef resultRef, ObjectInfo media) {
        Optional<JsonNode> read = readResult(store, resultRef);
        if (read.isEmpty()) return Optional.empty();
        JsonNode r = read.get();
        boolean samePack = engine.pack().id().equals(r.path("pack").path("id").asText())
                && engine.pack().version().equals(r.path("pack").path("version").asText())
                && labeller.description().equals(r.path("classifier").path("description").asText());
        JsonNode src = r.path("source");
        boolean sameSource = media.etag().isPresent()
                ? media.etag().get().equals(src.path("etag").asText(null))
                : media.size() == src.path("size").asLong(-1)
                && media.lastModified().map(Instant::toString).orElse("").equals(src.path("lastModified").asText(""));
        return samePack && sameSource ? read : Optional.empty();
    }

    /**
     * The result of {@code media} that makes a new run unnecessary, by the same rule as an event's skip-if-done
     * ({@link #doneBySamePack}); empty when the object has none, or one from another pack or object version, or the
     * object itself is gone.
     */
    public Optional<JsonNode> current(ObjectStorage store, ObjectRef media) {
        Optional<ObjectInfo> info = store.stat(media);
        return info.isEmpty() ? Optional.empty() : doneBySamePack(store, resultFor(media), info.get());
    }

    /**
     * What {@link #doneBySamePack} compares of the pack, as one string: the model pack's id and version and the
     * classifier. Event ids of the fan-out are derived from it, so a new pack makes new events.
     */
    public String packIdentity() {
        return engine.pack().id() + "\n" + engine.pack().version() + "\n" + labeller.description();
    }

    /** The result document at {@code resultRef}, or empty when there is none or it cannot be read. */
    public Optional<JsonNode> readResult(ObjectStorage store, ObjectRef resultRef) {
        if (store.stat(resultRef).isEmpty()) return Optional.empty();
        Path tmp = null;
        try {
            tmp = scratch.newFile(".json");
            store.copyTo(resultRef, tmp, MAX_RESULT_BYTES);
            return Optional.of(json.readTree(tmp.toFile()));
        } catch (IOException | StorageException e) {
            if (e instanceof StorageException se && se.kind().isTransient()) throw se;
            LOG.debugf("existing result %s unreadable (%s): redoing it", resultRef, e.getMessage());
            return Optional.empty(); // unreadable or partial from another writer: redo it
        } finally {
            ScratchSpace.deleteRecursively(tmp);
        }
    }
}
