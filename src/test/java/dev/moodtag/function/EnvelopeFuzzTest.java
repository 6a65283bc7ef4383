package dev.moodtag.function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request bodies as senders get them wrong, checked by the envelope before Funqy reads them: each good event, cut at
 * every point, followed by more (a second event, a batch written as JSON lines, a stray bracket, text, a NUL), and
 * under every Content-Type a sender writes, plain and structured. A body the envelope lets through is exactly one JSON
 * value, as the event is read, and one it refuses says why with 400 or 415. A body of two events let the first through
 * and dropped the second unread with 200, for good, as Jackson reads the first value of a body and stops (found by
 * this grid); a transcript sidecar with anything after its value was refused already.
 */
class EnvelopeFuzzTest {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final List<String> EVENTS = List.of("{\"uri\": \"s3://media/a.wav\"}",
            "{\"uris\": [\"s3://media/a.wav\", \"file:///data/in/b.wav\"], \"force\": true}",
            "{\"Records\": [{\"eventSource\": \"aws:s3\", \"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\":"
                    + " \"media\"}, \"object\": {\"key\": \"a+b.wav\", \"size\": 5}}}]}");
    private static final List<String> AFTER = List.of("", " ", "\n", "\r\n\t ", "{\"uri\": \"s3://media/b.wav\"}",
            "\n{\"uri\": \"s3://media/b.wav\"}\n", "}", "]", "x", "null", "1", "\"s\"", "[]", ",{}", "\u0000", "// c", "/* c */");
    private static final List<String> TYPES = Arrays.asList("application/json", "application/json; charset=utf-8",
            "APPLICATION/JSON", "application/cloudevents+json", "application/x-amz+json", "text/plain", "", null,
            "application/json;", "application/jsonx");

    private static String structured(String data) {
        return "{\"specversion\": \"1.0\", \"id\": \"e1\", \"source\": \"test\", \"type\": \"t\", \"data\": " + data + "}";
    }

    @Test
    void aBodyLetThroughIsExactlyOneJsonValueAndARefusalSaysWhy() {
        EnvelopeCheck check = new EnvelopeCheck(null);
        Random random = new Random(20261207);
        List<String> wrong = new ArrayList<>();
        int through = 0, refused = 0, cases = 0;
        for (String event : EVENTS) {
            List<String> bodies = new ArrayList<>();
            for (String after : AFTER) bodies.add(event + after);
            for (int cut = 0; cut < event.length(); cut += 1 + random.nextInt(4)) bodies.add(event.substring(0, cut));
            for (String body : bodies) {
                for (String type : TYPES) {
                    boolean ce = type != null && type.startsWith("application/cloudevents");
                    String sent = ce ? structured(body.isEmpty() ? "null" : body) : body;
                    // the structured envelope itself followed by more, as well as its data
                    if (ce && random.nextBoolean()) sent = structured(event) + body.substring(Math.min(body.length(), event.length()));
                    cases++;
                    Optional<EnvelopeCheck.Refusal> refusal = check.refusal(type, Buffer.buffer(sent.getBytes(StandardCharsets.UTF_8)));
                    if (refusal.isPresent()) {
                        refused++;
                        int status = refusal.get().status();
                        if ((status != 400 && status != 415) || refusal.get().reason().isBlank())
                            wrong.add(type + " " + sent + ": " + refusal.get());
                        continue;
                    }
                    through++;
                    try {
                        STRICT.readTree(sent);
                    } catch (Exception e) {
                        wrong.add("let through under " + type + ", though it is not one JSON value: " + sent.replace("\u0000", "\\0"));
                    }
                }
            }
        }
        assertEquals(List.of(), wrong.stream().limit(12).toList(), wrong.size() + " of " + cases + " wrong");
        assertTrue(through > 50 && refused > 500, through + " through, " + refused + " refused");
    }
}
