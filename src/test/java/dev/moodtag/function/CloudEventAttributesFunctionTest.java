package dev.moodtag.function;

import dev.moodtag.publish.CloudEventSenderAccess;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attributes the function reads from a binary CloudEvent's ce-* headers (the id, kept as the result's
 * {@code requestId}; the type) are what the sender meant: the HTTP binding percent-encodes them (as publish does) and
 * Funqy hands them over as they came, so "id 1" arrived as "id%201". A structured event's attributes are JSON, not
 * encoded, and stay as they are. S3's test event answers 200 ignored over HTTP too.
 */
@QuarkusTest
@TestProfile(UnlabelledFunctionTest.Profile.class)
@Tag("quarkus")
class CloudEventAttributesFunctionTest {

    static final String TEST_EVENT = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-12-06T07:00:00.000Z\","
            + "\"Bucket\":\"media\",\"RequestId\":\"5582815E1AEA5ADF\",\"HostId\":\"x\"}";

    static Map<String, String> binary(String id, String type) {
        return Map.of("ce-id", id, "ce-specversion", "1.0", "ce-type", type, "ce-source", "test");
    }

    @Test
    void binaryAttributesArePercentDecodedAndStructuredOnesAreNot() {
        List<String> wrong = new ArrayList<>();
        for (String id : List.of("id 1", "\"quoted\" id", "100% sure", "%41", "会議 € 😀", " lead", "trail ", "a+b", "\\",
                "moodtag-0123abcd")) {
            Response r = given().contentType("application/json").headers(binary(CloudEventSenderAccess.header(id),
                    CloudEventSenderAccess.header("s3 test \"x\""))).body(TEST_EVENT).post("/");
            if (r.statusCode() != 200 || !id.equals(r.path("requestId")) || !"ignored".equals(r.path("objects[0].outcome")))
                wrong.add("binary " + id + ": " + r.statusCode() + " " + r.asString());
            String structured = "{\"specversion\":\"1.0\",\"id\":" + json(id) + ",\"source\":\"test\",\"type\":\"t\",\"data\":" + TEST_EVENT + "}";
            // Funqy answers a structured event with a structured one: the answer is its data
            r = given().contentType("application/cloudevents+json").body(structured.getBytes(StandardCharsets.UTF_8)).post("/");
            if (r.statusCode() != 200 || !id.equals(r.path("data.requestId")) || !"ignored".equals(r.path("data.objects[0].outcome")))
                wrong.add("structured " + id + ": " + r.statusCode() + " " + r.asString());
        }
        // Older senders quote a value (RFC 7230 quoted-string) instead of encoding it: unquoted first, as the binding says.
        Response quoted = given().contentType("application/json").headers(binary("\"a \\\"b\\\" c\"", "t")).body(TEST_EVENT).post("/");
        if (!"a \"b\" c".equals(quoted.path("requestId"))) wrong.add("quoted: " + quoted.asString());
        // Invalid encodings are refused naming the header, as the binding requires (not read as something else).
        for (String bad : List.of("bad%zz", "50%", "%C0%A0", "%FF", "%ED%A0%80")) {
            Response r = given().contentType("application/json").headers(binary(bad, "t")).body(TEST_EVENT).post("/");
            String reason = r.path("objects[0].reason");
            if (r.statusCode() != 400 || reason == null || !reason.contains("ce-id"))
                wrong.add("invalid " + bad + ": " + r.statusCode() + " " + r.asString());
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
