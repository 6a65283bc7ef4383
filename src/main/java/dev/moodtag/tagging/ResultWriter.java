package dev.moodtag.tagging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
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
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ResultWriter(FunctionMetrics metrics) {
        this.metrics = metrics;
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
     * document it copies is damaged) and propagates, nothing written; the store's failures are the store's.
     */
    public void writeStreamed(ObjectStorage store, ObjectRef resultRef, Streamed content) throws IOException {
        long w0 = System.nanoTime();
        Path staged = Files.createTempFile("moodtag-result", ".json");
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
