package dev.moodtag.tagging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a result document atomically: a reader sees the old result or the new one, never a part. */
@Singleton
public class ResultWriter {

    private static final String RESULT_TYPE = "application/json";

    private final FunctionMetrics metrics;
    private final ScratchSpace scratch;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A streamed document staged in {@code scratch}, the configured {@code moodtag.storage.temp-dir}. */
    @Inject
    ResultWriter(FunctionMetrics metrics, ScratchSpace scratch) {
        this.metrics = metrics;
        this.scratch = scratch;
    }

    /** A streamed document staged in the JVM's temporary folder. */
    public ResultWriter(FunctionMetrics metrics) {
        this(metrics, new ScratchSpace(Path.of(System.getProperty("java.io.tmpdir"))));
    }

    public void write(ObjectStorage store, ObjectRef resultRef, EmotionResult result) {
        writeDocument(store, resultRef, result);
    }

    /** A result document read back and changed (a batch's second pass), written as the first was. */
    public void write(ObjectStorage store, ObjectRef resultRef, JsonNode result) {
        writeDocument(store, resultRef, result);
    }

    /** What writes a document token by token (a result read back as a stream and changed on the way). */
    @FunctionalInterface
    public interface Streamed {
        void writeTo(JsonGenerator out) throws IOException;
    }

    /**
     * A document {@code content} writes, formatted as every result is, through a temporary file and written atomically
     * from there: never held whole, whatever its length. An {@link IOException} from {@code content} is its own (the
     * document it copies is damaged) and propagates, nothing written; the store's failures are the store's. Staged in
     * the configured temporary folder, where the media's copies go, named as they are (a process killed meanwhile
     * leaves it to the next one's sweep), not the JVM's: an edge box's /tmp may be a small tmpfs that a long result
     * fills. A folder that cannot take it is a {@link dev.moodtag.storage.StorageException} naming it.
     */
    public void writeStreamed(ObjectStorage store, ObjectRef resultRef, Streamed content) throws IOException {
        long w0 = System.nanoTime();
        Path staged = scratch.newFile("-result.json", resultRef.uri());
        try {
            try (JsonGenerator out = json.getFactory().createGenerator(Files.newOutputStream(staged))) {
                out.useDefaultPrettyPrinter();
                content.writeTo(out);
            }
            store.writeAtomically(resultRef, staged, RESULT_TYPE);
        } finally {
            Files.deleteIfExists(staged);
        }
        metrics.stage("write", Timings.ms(w0));
    }

    private void writeDocument(ObjectStorage store, ObjectRef resultRef, Object result) {
        long w0 = System.nanoTime();
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("result of " + resultRef + " not serialisable", e);
        }
        store.writeAtomically(resultRef, bytes, RESULT_TYPE);
        metrics.stage("write", Timings.ms(w0));
    }
}
