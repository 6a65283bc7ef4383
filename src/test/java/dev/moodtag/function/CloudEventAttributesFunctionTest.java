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

    /**
     * A CloudEvent's spec version, binary (ce-specversion) and structured ("specversion"), is "1.0" or the event is
     * refused, permanently (400, rejected), naming the attribute and the value. Funqy logged a version it did not know
     * and went on, so "2.0", "", "1" and the number 1.0 were all answered as 1.0 events (200), and 0.3, which Funqy
     * reads, was answered as 1.0 too: its binary attributes percent-decoded (0.3 does not encode them) and its base64
     * data (datacontentencoding) read as the notification. A binary event (ce-id) without ce-specversion is no
     * CloudEvent and is refused as well; a plain request without ce-* headers is still read.
     */
    @Test
    void aCloudEventOtherThanVersion1Point0IsRefusedNamingTheVersion() throws Exception {
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        List<String> binaryVersions = new ArrayList<>(List.of("0.3", "2.0", "", "1", "1.00", "01.0", "1.0.0", "v1.0", "1.O",
                "1,0"));
        binaryVersions.add(null); // ce-id without ce-specversion
        for (String v : binaryVersions) {
            Map<String, String> headers = new java.util.HashMap<>(binary("v-" + cells, "t"));
            if (v == null) headers.remove("ce-specversion");
            else headers.put("ce-specversion", v);
            Response r = given().contentType("application/json").headers(headers).body(TEST_EVENT).post("/");
            cells++;
            String reason = r.path("objects[0].reason");
            String named = v == null ? "without a ce-specversion header" : "ce-specversion header '" + v + "'";
            if (r.statusCode() != 400 || !"rejected".equals(r.path("objects[0].outcome")) || reason == null
                    || !reason.contains(named) || !reason.contains("reads CloudEvents 1.0"))
                wrong.add("binary " + (v == null ? "<none>" : v) + ": " + r.statusCode() + " " + r.asString());
        }
        for (String v : List.of("\"0.3\"", "\"2.0\"", "\"\"", "\"1\"", "1.0", "1", "true", "[\"1.0\"]", "{\"v\": \"1.0\"}",
                "\"1.0 \"", "\" 1.0\"", "\"1.00\"")) {
            String structured = "{\"specversion\":" + v + ",\"id\":\"s-" + cells + "\",\"source\":\"test\",\"type\":\"t\",\"data\":"
                    + TEST_EVENT + "}";
            Response r = given().contentType("application/cloudevents+json").body(structured.getBytes(StandardCharsets.UTF_8)).post("/");
            cells++;
            String reason = r.path("objects[0].reason");
            String shown = new com.fasterxml.jackson.databind.ObjectMapper().readTree(v).toString();
            if (r.statusCode() != 400 || !"rejected".equals(r.path("objects[0].outcome")) || reason == null
                    || !reason.contains("specversion " + shown) || !reason.contains("reads CloudEvents 1.0"))
                wrong.add("structured " + v + ": " + r.statusCode() + " " + r.asString());
        }
        // 0.3's base64 data: the notification's JSON encoded, as a 0.3 sender writes it
        String base64 = java.util.Base64.getEncoder().encodeToString(TEST_EVENT.getBytes(StandardCharsets.UTF_8));
        Response r03 = given().contentType("application/cloudevents+json").body(("{\"specversion\":\"0.3\",\"id\":\"b\","
                + "\"source\":\"test\",\"type\":\"t\",\"datacontentencoding\":\"base64\",\"data\":\"" + base64 + "\"}")
                .getBytes(StandardCharsets.UTF_8)).post("/");
        cells++;
        if (r03.statusCode() != 400 || !String.valueOf((Object) r03.path("objects[0].reason")).contains("specversion \"0.3\""))
            wrong.add("structured 0.3 base64: " + r03.statusCode() + " " + r03.asString());
        // what is read stays read: 1.0 binary and structured, and a plain request without ce-* headers
        Response plain = given().contentType("application/json").body(TEST_EVENT).post("/");
        Response one = given().contentType("application/json").headers(binary("ok", "t")).body(TEST_EVENT).post("/");
        cells += 2;
        if (plain.statusCode() != 200 || one.statusCode() != 200)
            wrong.add("1.0 or plain refused: " + plain.statusCode() + " " + plain.asString() + " / " + one.asString());
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
