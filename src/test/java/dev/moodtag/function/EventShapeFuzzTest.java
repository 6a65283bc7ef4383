package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.tagging.ObjectEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Events of every shape the parser looks at, built from its own field names with values of every JSON type in every
 * place (a fixed seed, so a failure repeats): each is parsed into objects or refused as a bad event (400), never
 * another exception, which Funqy answered 500 and the platform redelivered until it dead-lettered.
 */
class EventShapeFuzzTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("Records", "s3", "bucket", "name", "object", "key", "size", "eTag",
            "contentType", "eventName", "eventSource", "detail-type", "detail", "source", "etag", "kind", "uri", "uris",
            "force");
    private static final List<String> TEXTS = List.of("", "media", "a.wav", "ObjectCreated:Put", "s3:ObjectCreated:Put",
            "minio:s3", "aws.s3", "Object Created", "storage#object", "s3://media/a.wav", "file:///tmp/a.wav",
            "http://127.0.0.1:9/media/a.wav", "%", "a%2Fb+c.wav", "12", "-1", "99999999999999999999", "\u0000",
            "\ud800", "s3://", "file://", "k".repeat(1100));
    private static final List<String> TYPES = java.util.Arrays.asList(null, "t.x", EventParser.GCS_FINALIZED,
            "google.cloud.storage.object.v1.deleted");

    @Test
    void everyShapeIsParsedOrRefusedAsABadEvent() {
        Random random = new Random(20261206);
        EventParser parser = new EventParser();
        for (int i = 0; i < 50_000; i++) {
            JsonNode event = random.nextBoolean() ? value(random, 0) : mutated(random);
            String type = TYPES.get(random.nextInt(TYPES.size()));
            try {
                List<ObjectEvent> parsed = parser.parse(event, type);
                assertFalse(parsed.isEmpty(), event.toString());
            } catch (EventException bad) {
                assertFalse(bad.getMessage().isBlank(), event.toString());
            } catch (RuntimeException e) {
                fail("type " + type + ", event " + event + ": " + e, e);
            }
        }
    }

    /** The understood shapes, each with one node anywhere replaced by anything. */
    private static final List<String> SHAPES = List.of(
            "{\"Records\": [{\"eventSource\": \"aws:s3\", \"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\": \"media\"}, "
                    + "\"object\": {\"key\": \"a+b.wav\", \"size\": 5, \"eTag\": \"e\", \"contentType\": \"audio/wav\"}}}]}",
            "{\"detail-type\": \"Object Created\", \"source\": \"aws.s3\", \"detail\": {\"bucket\": {\"name\": \"media\"}, "
                    + "\"object\": {\"key\": \"a.wav\", \"size\": 5, \"etag\": \"e\"}}}",
            "{\"kind\": \"storage#object\", \"bucket\": \"media\", \"name\": \"a.wav\", \"size\": \"5\", \"etag\": \"e\"}",
            "{\"uri\": \"s3://media/a.wav\", \"force\": true}",
            "{\"uris\": [\"s3://media/a.wav\", \"file:///tmp/b.wav\"]}");

    private static JsonNode mutated(Random r) {
        JsonNode root;
        try {
            root = FunctionFixtures.JSON.readTree(SHAPES.get(r.nextInt(SHAPES.size())));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<JsonNode> containers = new java.util.ArrayList<>();
        collect(root, containers);
        JsonNode at = containers.get(r.nextInt(containers.size()));
        if (at instanceof ObjectNode o) {
            List<String> names = new java.util.ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            if (r.nextInt(4) == 0) o.remove(names.get(r.nextInt(names.size())));
            else o.set(names.get(r.nextInt(names.size())), value(r, 1 + r.nextInt(4)));
        } else if (at instanceof ArrayNode a) {
            if (r.nextInt(4) == 0) a.removeAll();
            else a.set(r.nextInt(a.size()), value(r, 1 + r.nextInt(4)));
        }
        return root;
    }

    private static void collect(JsonNode n, List<JsonNode> containers) {
        if ((n.isObject() || n.isArray()) && !n.isEmpty()) containers.add(n);
        n.elements().forEachRemaining(c -> collect(c, containers));
    }

    private static JsonNode value(Random r, int depth) {
        int kind = depth == 0 ? 0 : r.nextInt(depth > 4 ? 5 : 8);
        return switch (kind) {
            case 0, 5, 6 -> {
                ObjectNode o = F.objectNode();
                for (int n = r.nextInt(4) + (depth == 0 ? 1 : 0); n > 0; n--) o.set(FIELDS.get(r.nextInt(FIELDS.size())), value(r, depth + 1));
                yield o;
            }
            case 7 -> {
                ArrayNode a = F.arrayNode();
                for (int n = r.nextInt(3); n > 0; n--) a.add(value(r, depth + 1));
                yield a;
            }
            case 1 -> F.textNode(TEXTS.get(r.nextInt(TEXTS.size())));
            case 2 -> r.nextBoolean() ? F.numberNode(r.nextLong()) : F.numberNode(r.nextDouble() * 1e30);
            case 3 -> F.booleanNode(r.nextBoolean());
            default -> F.nullNode();
        };
    }
}
