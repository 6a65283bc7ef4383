package dev.moodtag.function;

import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the function answers over HTTP, and what a platform that retries may conclude from it (issue 16): every
 * malformed envelope is a 4xx with a reason, never a 5xx; the concurrency limit counts recognitions, not
 * connections; one object is worked on once at a time; log lines cannot be forged; shutdown drains the work.
 */
@QuarkusTest
@TestProfile(HttpAnswersTest.Profile.class)
@Tag("quarkus")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpAnswersTest {

    static final Path ROOT = Path.of("target", "http-answers-root").toAbsolutePath();
    static final Path LOG = Path.of("target", "http-answers.log").toAbsolutePath();
    static final String VIDEO = "01-01-01-01-01-01-01.mp4";
    static final int LIMIT = 2;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            try {
                Files.deleteIfExists(LOG);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>();
            config.put("moodtag.storage.local.roots", ROOT.toString());
            config.put("moodtag.function.max-concurrent", Integer.toString(LIMIT));
            config.put("moodtag.onnx.device", "cpu");
            // The log lines as the console writes them, escaped by the same filter, read back by the injection test.
            config.put("quarkus.log.file.enabled", "true");
            config.put("quarkus.log.file.path", LOG.toString());
            config.put("quarkus.log.file.format", "%d{HH:mm:ss} %-5p [%c{1.}] %X{requestId} %X{object} %s%e%n");
            return config;
        }
    }

    @Inject
    GracefulDrain drain;

    /** A request that must be refused with a 4xx that says why. */
    record Bad(String name, String contentType, Map<String, String> headers, String path, String body, int status) {
    }

    static Map<String, String> binaryCe(String id) {
        return Map.of("ce-id", id, "ce-specversion", "1.0", "ce-type", "dev.moodtag.request", "ce-source", "test");
    }

    static String structured(String rest) {
        return "{\"specversion\": \"1.0\", \"id\": \"s-1\", \"source\": \"test\", \"type\": \"dev.moodtag.request\"" + rest + "}";
    }

    static final String JSON = "application/json", CE_JSON = "application/cloudevents+json";

    @Test
    @Order(1)
    void everyMalformedEnvelopeIsA4xxWithAReason() {
        List<Bad> cases = List.of(
                new Bad("empty body on /recognize", JSON, Map.of(), "/recognize", "", 400),
                new Bad("empty body on /", JSON, Map.of(), "/", "", 400),
                new Bad("empty binary CloudEvent", JSON, binaryCe("e-1"), "/", "", 400),
                new Bad("structured with data_base64", CE_JSON, Map.of(), "/",
                        structured(", \"data_base64\": \"eyJ1cmkiOiAiczM6Ly9tZWRpYS9hLndhdiJ9\""), 400),
                new Bad("structured without data", CE_JSON, Map.of(), "/", structured(""), 400),
                new Bad("structured with data null", CE_JSON, Map.of(), "/", structured(", \"data\": null"), 400),
                new Bad("structured, invalid JSON", CE_JSON, Map.of(), "/", "{\"specversion\": \"1.0\", \"id\": ", 400),
                new Bad("structured, not an object", CE_JSON, Map.of(), "/", "[1, 2]", 400),
                new Bad("structured, datacontenttype text/xml", CE_JSON, Map.of(), "/",
                        structured(", \"datacontenttype\": \"text/xml\", \"data\": \"<uri>s3://media/a.wav</uri>\""), 415),
                new Bad("binary, text/xml body", "text/xml", binaryCe("e-2"), "/", "<uri>s3://media/a.wav</uri>", 415),
                new Bad("plain, text/plain body", "text/plain", Map.of(), "/recognize", "s3://media/a.wav", 415),
                new Bad("NUL in a file: path", JSON, Map.of(), "/recognize", "{\"uri\": \"file://" + ROOT + "/a\\u0000b.wav\"}", 400),
                new Bad("NUL percent-encoded in a file: URI", JSON, Map.of(), "/recognize", "{\"uri\": \"file://" + ROOT + "/a%00b.wav\"}", 400),
                new Bad("bad percent-encoding in an S3 key", JSON, Map.of(), "/recognize",
                        FunctionFixtures.event("aws-s3-put.json", "media", "x", 10, false).replace("\"x\"", "\"clips/100%.wav\""), 400),
                new Bad("truncated percent-encoding in an S3 key", JSON, Map.of(), "/recognize",
                        FunctionFixtures.event("aws-s3-put.json", "media", "x", 10, false).replace("\"x\"", "\"clips/a%2\""), 400),
                new Bad("JSON null", JSON, Map.of(), "/recognize", "null", 400),
                new Bad("JSON array", JSON, Map.of(), "/recognize", "[{\"uri\": \"s3://media/a.wav\"}]", 400),
                new Bad("JSON string", JSON, Map.of(), "/recognize", "\"s3://media/a.wav\"", 400),
                new Bad("uris not strings", JSON, Map.of(), "/recognize", "{\"uris\": [1, {\"a\": 2}]}", 400),
                new Bad("invalid JSON", JSON, Map.of(), "/recognize", "{\"uri\": ", 400),
                // the second of two events was dropped unread, and the first answered 200, for good
                new Bad("two events in one body", JSON, Map.of(), "/recognize",
                        "{\"uri\": \"s3://media/a.wav\"}\n{\"uri\": \"s3://media/b.wav\"}", 400),
                new Bad("structured, then another event", CE_JSON, Map.of(), "/",
                        structured(", \"data\": {\"uri\": \"s3://media/a.wav\"}") + "{\"uri\": \"s3://media/b.wav\"}", 400));
        List<String> wrong = new ArrayList<>();
        for (Bad c : cases) {
            Response r = given().contentType(c.contentType()).headers(c.headers()).body(c.body()).post(c.path());
            String reason = reason(r);
            if (r.statusCode() != c.status() || reason == null || reason.isBlank())
                wrong.add(c.name() + ": " + r.statusCode() + " " + r.asString());
        }
        assertTrue(wrong.isEmpty(), "expected 400/415 with a reason:\n" + String.join("\n", wrong));
        assertServing();
    }

    /**
     * Generated extremes: every truncation of real notifications (plain JSON, binary and structured CloudEvents),
     * seeded byte flips, and keys from a grid of hostile characters. No answer may be a 5xx (the platform would
     * redeliver it forever); every 4xx says why.
     */
    @Test
    @Order(2)
    void fuzzedEnvelopesAndKeysAreNeverAnswered5xx() {
        String s3 = FunctionFixtures.event("aws-s3-put.json", "media", "clips/a.wav", 10, false);
        String gcs = FunctionFixtures.event("gcs-finalized-cloudevent.json", "media", "clips/a.wav", 10, false);
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (int cut = 0; cut < s3.length(); cut += 37) {
            check(wrong, "s3 cut " + cut, given().contentType(JSON).body(s3.substring(0, cut)).post("/recognize"));
            check(wrong, "binary cut " + cut, given().contentType(JSON).headers(binaryCe("f-" + cut)).body(s3.substring(0, cut)).post("/"));
            sent += 2;
        }
        for (int cut = 0; cut < gcs.length(); cut += 37) {
            check(wrong, "structured cut " + cut, given().contentType(CE_JSON).body(gcs.substring(0, cut)).post("/"));
            sent++;
        }
        Random random = new Random(16);
        for (int i = 0; i < 40; i++) {
            char[] chars = (i % 2 == 0 ? s3 : gcs).toCharArray();
            for (int flips = 0; flips < 3; flips++) chars[random.nextInt(chars.length)] = (char) random.nextInt(128);
            check(wrong, "flipped " + i, given().contentType(i % 2 == 0 ? JSON : CE_JSON).body(new String(chars)).post(i % 2 == 0 ? "/recognize" : "/"));
            sent++;
        }
        List<String> hostile = List.of("%", "%%", "%zz", "%0", "%C3%28", "%00", "%0A", "%0D%0A", "\\u0000", "\\n", "..",
                "../../etc/passwd", "a".repeat(5000), "\\ud800", "+", "%2F%2F", "\\\"", "\\u2028", "\\u001b[31m");
        for (String h : hostile) {
            String key = "clips/" + h + ".wav";
            check(wrong, "s3 key " + h, given().contentType(JSON).body(s3.replace("clips/a.wav", key)).post("/recognize"));
            check(wrong, "s3 uri " + h, given().contentType(JSON).body("{\"uri\": \"s3://media/" + key + "\"}").post("/recognize"));
            check(wrong, "file uri " + h, given().contentType(JSON).body("{\"uri\": \"file://" + ROOT + "/" + key + "\"}").post("/recognize"));
            check(wrong, "gcs name " + h, given().contentType(CE_JSON).body(gcs.replace("clips/a.wav", key)).post("/"));
            sent += 4;
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + sent + " answered wrongly:\n" + String.join("\n", wrong));
        assertServing();
    }

    @Test
    @Order(3)
    void newlinesInUrisCloudEventIdsAndKeysCannotForgeLogLines() throws IOException {
        SamplesRequests.plain("/recognize", "{\"uri\": \"file://" + ROOT + "/a\\nFORGED-URI 00:00:00 INFO fake.wav\"}")
                .then().statusCode(400);
        given().contentType(CE_JSON).body("{\"specversion\": \"1.0\", \"id\": \"evt\\nFORGED-ID\\r\\nFORGED-CR\", \"source\": \"t\","
                        + " \"type\": \"dev.moodtag.request\", \"data\": {\"uri\": \"file://" + ROOT + "/b.wav\"}}")
                .post("/").then().statusCode(200);
        SamplesRequests.plain("/recognize", FunctionFixtures.event("aws-s3-put.json", "media", "x", 10, false)
                .replace("\"x\"", "\"clips/c%0AFORGED-KEY.wav\"")).then().statusCode(200);
        SamplesRequests.plain("/recognize", "{\"uri\": \"ftp://host/d\\nFORGED-BAD.wav\"}").then().statusCode(400);
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        for (String line : log.split("\n")) {
            assertFalse(line.startsWith("FORGED") || line.contains("\r"), "a forged line:\n" + line);
        }
        for (String forged : List.of("a\\nFORGED-URI", "evt\\nFORGED-ID\\r\\nFORGED-CR", "c\\nFORGED-KEY", "d\\nFORGED-BAD"))
            assertTrue(log.contains(forged), "escaped, not dropped: " + forged + "\n" + log);
    }

    @Test
    @Order(4)
    void objectsNotRequestsAreCountedAndBounded() throws IOException {
        Path media = copy(VIDEO);
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < 40; i++) uris.add("\"" + media.toUri() + "?" + i + "\"");
        SamplesRequests.plain("/recognize", "{\"uris\": [" + String.join(",", uris) + "]}").then().statusCode(400)
                .body("objects[0].reason", containsString("max-objects-per-event"));
        assertFalse(Files.exists(result(media)), "nothing of a refused event is processed");
        assertEquals(0, inFlight());
    }

    /**
     * Clients that give up after half a second: their recognitions run on, each holding its permit, so at most
     * {@code max-concurrent} run at once and readiness reports them; the others are turned away with 429.
     */
    @Test
    @Order(5)
    void clientsThatDisconnectKeepTheirRecognitionsCountedAndBounded() throws Exception {
        awaitIdle();
        List<Path> media = new ArrayList<>();
        for (int i = 0; i < 6; i++) media.add(copy(VIDEO, "hang-up-" + i + ".mp4")); // six objects: no per-object wait
        List<Integer> statuses = new ArrayList<>();
        for (Path m : media) statuses.add(postAndHangUp("/recognize", "{\"uri\": \"" + m.toUri() + "\"}", 500));
        int during = inFlight();
        assertTrue(during > 0 && during <= LIMIT, "readiness counts the recognitions whose clients left: " + during);
        assertTrue(statuses.contains(429), "over the limit the answer is 429 even though the first clients left: " + statuses);
        awaitIdle();
        int peak = peakFromMetrics();
        assertTrue(peak >= 1 && peak <= LIMIT, "at most " + LIMIT + " recognitions at once, saw " + peak + " (" + statuses + ")");
        assertTrue(Files.exists(result(media.get(0))), "the work of a client that left is finished and written");
    }

    @Test
    @Order(6)
    void theSameObjectTwiceAtOnceIsWorkedOnOnce() throws Exception {
        awaitIdle();
        Path media = copy(VIDEO);
        String body = "{\"uri\": \"" + media.toUri() + "\", \"force\": true}";
        assertEquals(-1, postAndHangUp("/recognize", body, 300), "the first is still running");
        await(() -> inFlight() == 1 ? 1 : 0);
        // file:// URIs that differ only in spelling name the same object
        String again = "{\"uri\": \"file://" + ROOT + "/./" + VIDEO + "\", \"force\": true}";
        SamplesRequests.plain("/recognize", again).then().statusCode(503).header("Retry-After", "5")
                .body("objects[0].outcome", equalTo("in_progress"))
                .body("objects[0].reason", containsString("being processed"));
        awaitIdle();
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("skipped"));
    }

    /** Last: the process is shutting down afterwards (the drain is what SIGTERM runs before the sessions close). */
    @Test
    @Order(100)
    void shutdownWaitsForRecognitionsInFlightAndRefusesNewOnes() throws Exception {
        awaitIdle();
        Path media = copy(VIDEO);
        Files.deleteIfExists(result(media));
        String body = "{\"uri\": \"" + media.toUri() + "\", \"force\": true}";
        assertEquals(-1, postAndHangUp("/recognize", body, 300));
        await(() -> inFlight() == 1 ? 1 : 0);
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> drain.drain(Duration.ofMinutes(2)));
        await(() -> drain.draining() ? 1 : 0);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\", \"force\": true}").then().statusCode(503)
                .header("Retry-After", "5").body("objects[0].outcome", equalTo("retry"))
                .body("objects[0].reason", containsString("shutting down"));
        assertTrue(drained.get(3, TimeUnit.MINUTES), "drained within the grace period");
        assertEquals(0, inFlight());
        assertTrue(Files.exists(result(media)), "the recognition in flight finished and wrote its result");
    }

    // --- helpers ---

    private static void check(List<String> wrong, String name, Response r) {
        int s = r.statusCode();
        if (s >= 500 || (s >= 400 && (reason(r) == null || reason(r).isBlank())))
            wrong.add(name + ": " + s + " " + shorten(r.asString()));
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static String reason(Response r) {
        try {
            // A structured CloudEvent is answered with one: the function's answer is its data.
            Object reason = r.jsonPath().get("objects[0].reason");
            if (reason == null) reason = r.jsonPath().get("data.objects[0].reason");
            return reason == null ? null : reason.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void assertServing() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * Sends one request on a raw socket and closes it after {@code waitMs} if no answer came: the status code, or
     * -1 when the client hung up first.
     */
    static int postAndHangUp(String path, String body, int waitMs) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(waitMs);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            try {
                while (n < head.length) {
                    int r = in.read(head, n, head.length - n);
                    if (r < 0) break;
                    n += r;
                }
            } catch (SocketTimeoutException e) {
                return -1;
            }
            return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
        }
    }

    static int inFlight() {
        Object v = given().get("/q/health/ready").then().extract().jsonPath().get("checks.find { it.name == 'moodtag' }.data.inFlight");
        assertNotNull(v, "readiness reports inFlight");
        return ((Number) v).intValue();
    }

    static int peakFromMetrics() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^moodtag_recognitions_in_flight_peak(?:\\{[^}]*})? ([0-9.eE+]+)$").matcher(metrics);
        assertTrue(m.find(), "a peak gauge in /q/metrics");
        return (int) Double.parseDouble(m.group(1));
    }

    static void awaitIdle() throws InterruptedException {
        await(() -> inFlight() == 0 ? 1 : 0);
    }

    /** Polls an observable condition (readiness) with a generous deadline; not a sleep standing in for a latch. */
    static void await(IntSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (condition.getAsInt() == 0) {
            if (System.nanoTime() > deadline) fail("condition not reached within 3 minutes");
            Thread.sleep(50);
        }
    }

    private static Path copy(String sample) throws IOException {
        return copy(sample, sample);
    }

    private static Path copy(String sample, String name) throws IOException {
        return Files.copy(Fixtures.sample(sample), ROOT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path result(Path media) {
        return media.resolveSibling(media.getFileName() + ".emotion.json");
    }
}
