package dev.moodtag.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fuzz grids over a JSON document's fields: every field removed, nulled, or given a value of another shape. */
public final class JsonFuzz {
    private JsonFuzz() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final List<String> MUTATIONS = List.of("remove", "null", "string", "object", "array", "number");

    /**
     * JSON-pointer paths of every field and of every array element that is itself an object or array (elements of
     * number lists, such as a scaler's means, are left whole), except below the fields named in {@code skip}.
     */
    public static List<String> paths(JsonNode root, Set<String> skip) {
        List<String> out = new ArrayList<>();
        collect(root, "", skip, out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, Set<String> skip, List<String> out) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isContainerNode()) continue;
                out.add(prefix + "/" + i);
                collect(node.get(i), prefix + "/" + i, skip, out);
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            // JSON Pointer escapes: model roles such as "asr/.../final.mdl" hold slashes
            String step = prefix + "/" + f.getKey().replace("~", "~0").replace("/", "~1");
            out.add(step);
            if (!skip.contains(f.getKey()) && f.getValue().isContainerNode())
                collect(f.getValue(), step, skip, out);
        }
    }

    /** Reads one variant of the document the way the product does. */
    @FunctionalInterface
    public interface Reader {
        void read(ObjectNode variant) throws Exception;
    }

    /**
     * Feeds every variant (each path × each mutation, applied to a fresh {@code original}) to {@code reader}.
     *
     * @return how many were refused with {@code refusal}
     * @throws AssertionError naming the path and mutation when anything else escapes
     */
    public static int refusals(java.util.concurrent.Callable<ObjectNode> original, Set<String> skip,
                               Class<? extends RuntimeException> refusal, Reader reader) throws Exception {
        int refused = 0;
        for (String path : paths(original.call(), skip)) {
            for (String mutation : MUTATIONS) {
                ObjectNode variant = original.call();
                mutate(variant, path, mutation);
                try {
                    reader.read(variant);
                } catch (RuntimeException e) {
                    if (!refusal.isInstance(e)) throw new AssertionError(path + " " + mutation + " escaped as " + e, e);
                    refused++;
                }
            }
        }
        return refused;
    }

    /** Applies one of {@link #MUTATIONS} to the field at {@code path} of {@code root}, in place. */
    public static void mutate(ObjectNode root, String path, String mutation) {
        int cut = path.lastIndexOf('/');
        JsonNode parent = cut == 0 ? root : root.at(path.substring(0, cut));
        String name = path.substring(cut + 1).replace("~1", "/").replace("~0", "~");
        JsonNode value = switch (mutation) {
            case "remove" -> null;
            case "null" -> JSON.nullNode();
            case "string" -> JSON.getNodeFactory().textNode("x");
            case "object" -> JSON.createObjectNode();
            case "array" -> JSON.createArrayNode();
            case "number" -> JSON.getNodeFactory().numberNode(-1);
            default -> throw new IllegalArgumentException(mutation);
        };
        if (parent instanceof ArrayNode a) {
            int i = Integer.parseInt(name);
            if (value == null) a.remove(i);
            else a.set(i, value);
        } else if (value == null) {
            ((ObjectNode) parent).remove(name);
        } else {
            ((ObjectNode) parent).set(name, value);
        }
    }
}
