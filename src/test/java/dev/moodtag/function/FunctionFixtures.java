package dev.moodtag.function;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event payloads (src/test/resources/events) and the published result schema. */
public final class FunctionFixtures {
    private FunctionFixtures() {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Schema 2.4, which every result is written as; 2.5, which a batch's second pass rewrites results as; 2.6, which it
     * rewrites them as when the batch self-trained; 2.7, which any of them of a local file with a file version is.
     */
    private static final Map<String, String> SCHEMAS = Map.of(
            dev.moodtag.tagging.EmotionResult.SCHEMA_OVER_BATCH, "emotion-result-v2.5.json",
            dev.moodtag.tagging.EmotionResult.SCHEMA_SELF_TRAINED, "emotion-result-v2.6.json",
            dev.moodtag.tagging.EmotionResult.SCHEMA_FILE_VERSION, "emotion-result-v2.7.json",
            dev.moodtag.tagging.EmotionResult.SCHEMA_CHECKED_AT, "emotion-result-v2.8.json");
    private static final Map<String, JsonSchema> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    private static JsonSchema schema(String file) {
        try (InputStream in = FunctionFixtures.class.getResourceAsStream("/schema/" + file)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A documented example payload with our bucket and key. {@code ${key}} gets the key URL-encoded the way the
     * platform encodes it (AWS: form style, {@code /} kept; MinIO: {@code /} encoded too); {@code ${rawkey}} as is.
     */
    static String event(String file, String bucket, String key, long size, boolean encodeSlash) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
        if (!encodeSlash) encoded = encoded.replace("%2F", "/");
        if (file.startsWith("eventbridge")) encoded = key; // EventBridge carries keys as stored
        try (InputStream in = FunctionFixtures.class.getResourceAsStream("/events/" + file)) {
            // Placed inside the templates' JSON strings: escaped, so that a raw key holding a quote or a backslash (an
            // EventBridge key, or ${rawkey}) stays the key instead of breaking the event
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${bucket}", jsonString(bucket))
                    .replace("${key}", jsonString(encoded)).replace("${rawkey}", jsonString(key))
                    .replace("${size}", Long.toString(size));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jsonString(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }

    /** Parses a result and asserts it is valid against the published schema it names (2.4, 2.5 or 2.6 for a batch's rewrite). */
    public static JsonNode validResult(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            String file = SCHEMAS.getOrDefault(node.path("schema").asText(), "emotion-result-v2.4.json");
            Set<ValidationMessage> errors = LOADED.computeIfAbsent(file, FunctionFixtures::schema).validate(node);
            assertTrue(errors.isEmpty(), () -> "result does not match schema/" + file + ": "
                    + errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; ")) + "\n" + node.toPrettyString());
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
