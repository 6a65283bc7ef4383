package dev.moodtag.tagging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import jakarta.inject.Singleton;

import java.io.UncheckedIOException;

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
