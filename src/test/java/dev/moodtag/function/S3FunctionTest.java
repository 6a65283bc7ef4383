package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function against a real S3-compatible server (S3Mock, started by {@link S3MockResource}): real samples are
 * uploaded, each platform's documented notification is sent the way that platform sends it, and the result object
 * is read back and checked against the published schema. Then every kind of bad input, and the function still serves.
 */
@QuarkusTest
@TestProfile(S3FunctionTest.Profile.class)
@Tag("quarkus")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3FunctionTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The mp4 sample is 3.4 MB; 5 MB lets it through and makes "too large" cheap to provoke.
            return Map.of("moodtag.function.filter.max-object-bytes", Long.toString(5L << 20),
                    "moodtag.onnx.device", "cpu");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3MockResource.class));
        }
    }

    static final String BUCKET = S3MockResource.BUCKET;

    @Inject
    S3Client s3;

    @Test
    @Order(1)
    void awsS3NotificationWithAnUrlEncodedKeyAsABinaryCloudEvent() throws IOException {
        String key = "aws/german speech/03b01Wa (1).wav";
        long size = upload(key, "03b01Wa.wav");
        Response r = binaryCloudEvent("com.amazonaws.s3.ObjectCreated",
                FunctionFixtures.event("aws-s3-put.json", BUCKET, key, size, false));
        r.then().statusCode(200).header("ce-type", "recognize.output")
                .body("objects[0].outcome", equalTo("processed"))
                .body("objects[0].resultUri", equalTo("s3://" + BUCKET + "/" + key + ".emotion.json"));
        JsonNode result = result(key);
        // 03b01Wa is EmoDB "anger". EmoDB is in the default classifier's training data, so this checks the wiring
        // from event to label, not accuracy (the cross-validated figures are in TRAINING.md).
        assertEquals("labelled", result.get("status").asText(), result.toPrettyString());
        assertEquals("angry", result.get("label").asText(), result.toPrettyString());
        double sum = 0;
        for (JsonNode p : result.get("probabilities")) sum += p.asDouble();
        // each probability is written to 6 decimals (SvmLabeller), so four of them sum to 1 within 4 x 0.5e-6:
        // 0.931038 + 0.001174 + 0.000877 + 0.066912 = 1.000001 failed a 1e-6 tolerance once
        assertEquals(1.0, sum, result.get("probabilities").size() * 0.5e-6 + 1e-12, result.toPrettyString());
        assertEquals("s3://" + BUCKET + "/" + key, result.at("/source/uri").asText());
        assertEquals(s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", ""), result.at("/source/etag").asText());
        assertEquals(size, result.at("/source/size").asLong());
        assertTrue(result.at("/modalities/speech/present").asBoolean());
        assertFalse(result.at("/modalities/video/present").asBoolean());
        assertTrue(result.at("/modalities/video/reason").asText().contains("no video stream"), result.toPrettyString());
        // No sidecar, so the recogniser listened: German speech is not trusted as English text.
        assertTrue(result.at("/modalities/text/reason").asText().startsWith("speech not recognised as English"),
                result.at("/modalities/text/reason")::asText);
        for (JsonNode e : result.get("encoders")) {
            assertFalse(e.get("provider").asText().isEmpty());
            assertFalse(e.get("precision").asText().isEmpty());
        }
        assertEquals("moodtag-default", result.at("/pack/id").asText());
        assertTrue(result.at("/timingsMs/encode").asDouble() > 0);
    }

    @Test
    @Order(2)
    void minioNotificationWithSlashesEncoded() throws IOException {
        String key = "minio/clips/03a05Fc.wav";
        long size = upload(key, "03a05Fc.wav");
        binaryCloudEvent("io.minio.s3.ObjectCreated", FunctionFixtures.event("minio-put.json", BUCKET, key, size, true))
                .then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
        assertTrue(result(key).at("/modalities/speech/present").asBoolean());
    }

    @Test
    @Order(3)
    void eventBridgeObjectCreatedAsPlainJson() throws IOException {
        String key = "eventbridge/03b09Tc.wav";
        long size = upload(key, "03b09Tc.wav");
        plain("/recognize", FunctionFixtures.event("eventbridge-object-created.json", BUCKET, key, size, false))
                .then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
        result(key);
    }

    @Test
    @Order(4)
    void gcsFinalizedAsAStructuredCloudEvent() throws IOException {
        String key = "gcs/faces/Cole_Chapman_0001.jpg";
        long size = upload(key, "Cole_Chapman_0001.jpg");
        given().contentType("application/cloudevents+json")
                .body(FunctionFixtures.event("gcs-finalized-cloudevent.json", BUCKET, key, size, false))
                .post("/").then().statusCode(200).body("data.objects[0].outcome", equalTo("processed"))
                .body("type", equalTo("recognize.output"));
        JsonNode result = result(key);
        assertTrue(result.at("/modalities/video/present").asBoolean(), result.toPrettyString());
        assertEquals("1234567890", result.get("requestId").asText(), "the CloudEvent id is the request id");
    }

    @Test
    @Order(5)
    void plainUriFindsTheTranscriptSidecarBesideTheVideo() throws IOException {
        String key = "plain/01-01-01-01-01-01-01.mp4";
        upload(key, "01-01-01-01-01-01-01.mp4");
        upload("plain/01-01-01-01-01-01-01.txt", "01-01-01-01-01-01-01.txt");
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        JsonNode result = result(key);
        for (String m : List.of("text", "speech", "video"))
            assertTrue(result.at("/modalities/" + m + "/present").asBoolean(), m + " missing: " + result.toPrettyString());
        assertTrue(result.at("/timingsMs/decode").asDouble() > 0);
        assertEquals("sidecar", result.at("/transcript/source").asText(), result.toPrettyString());
        assertEquals("01-01-01-01-01-01-01.txt", result.at("/transcript/origin").asText());
        assertTrue(result.at("/transcript/note").isNull(), "nothing was left out");
    }

    @Test
    @Order(6)
    void aSecondEventForTheSameObjectIsSkippedUnlessForced() throws IOException {
        String key = "plain/01-01-01-01-01-01-01.mp4";
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("skipped"))
                .body("objects[0].reason", containsString("exists"));
        String before = result(key).get("createdAt").asText();
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\", \"force\": true}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        assertFalse(before.equals(result(key).get("createdAt").asText()), "forced run rewrote the result");
    }

    @Test
    @Order(7)
    void ownOutputDeletionsAndSidecarsAreAcknowledgedAndIgnored() {
        String resultKey = "aws/german speech/03b01Wa (1).wav.emotion.json";
        binaryCloudEvent("com.amazonaws.s3.ObjectCreated", FunctionFixtures.event("aws-s3-put.json", BUCKET, resultKey, 100, false))
                .then().statusCode(200).body("objects[0].outcome", equalTo("ignored"))
                .body("objects[0].reason", containsString("loop"));
        binaryCloudEvent("com.amazonaws.s3.ObjectRemoved", FunctionFixtures.event("aws-s3-delete.json", BUCKET, "aws/x.wav", 0, false))
                .then().statusCode(200).body("objects[0].outcome", equalTo("ignored"))
                .body("objects[0].reason", containsString("not an object creation"));
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/plain/01-01-01-01-01-01-01.txt\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("ignored")).body("objects[0].reason", containsString("not a media file"));
    }

    @Test
    @Order(8)
    void tooLargeObjectsAreIgnoredWithoutBeingRead() {
        String key = "big/huge.mp4";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[(6 << 20)]));
        // the event says how large it is
        binaryCloudEvent("com.amazonaws.s3.ObjectCreated", FunctionFixtures.event("aws-s3-put.json", BUCKET, key, 6L << 20, false))
                .then().statusCode(200).body("objects[0].outcome", equalTo("ignored"))
                .body("objects[0].reason", containsString("max-object-bytes"));
        // the event does not: the store's size decides
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("ignored")).body("objects[0].reason", containsString("max-object-bytes"));
        assertThrows(NoSuchKeyException.class, () -> result(key));
    }

    @Test
    @Order(9)
    void corruptMediaGetsAnErrorResultSayingWhatToDo() {
        String key = "bad/broken.mp4";
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(garbage));
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed")).body("objects[0].status", equalTo("error"));
        JsonNode result = result(key);
        assertEquals("error", result.get("status").asText());
        assertTrue(List.of("corrupt", "unsupported", "truncated").contains(result.at("/error/kind").asText()), result.toPrettyString());
        String message = result.at("/error/message").asText();
        assertTrue(message.contains("broken.mp4") && (message.contains("re-") || message.contains("convert")),
                "names the file and says what to do: " + message);
    }

    @Test
    @Order(10)
    void mediaWithNoUsableModalityGetsAnErrorResult() throws IOException {
        BufferedImage grey = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grey.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, 160, 120);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        String key = "bad/no-face.png";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(png.toByteArray()));
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then().statusCode(200)
                .body("objects[0].status", equalTo("error"));
        JsonNode result = result(key);
        assertEquals("no_usable_modality", result.at("/error/kind").asText(), result.toPrettyString());
        assertTrue(result.at("/modalities/video/reason").asText().toLowerCase().contains("face"), result.toPrettyString());
    }

    @Test
    @Order(11)
    void aMissingObjectIsAFailureWithoutAResult() {
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/nowhere/gone.wav\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("failed")).body("objects[0].reason", containsString("does not exist"));
    }

    @Test
    @Order(12)
    void unconfiguredBucketsEndpointsAndEscapingKeysAreRejected() {
        s3.putObject(b -> b.bucket(S3MockResource.OTHER_BUCKET).key("x.wav"), RequestBody.fromBytes(new byte[100]));
        plain("/recognize", "{\"uri\": \"s3://" + S3MockResource.OTHER_BUCKET + "/x.wav\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("rejected")).body("objects[0].reason", containsString("not configured"));
        plain("/recognize", "{\"uri\": \"http://169.254.169.254/latest/meta-data/x.wav\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("rejected")).body("objects[0].reason", containsString("endpoint"));
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/../" + S3MockResource.OTHER_BUCKET + "/x.wav\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("rejected"));
        plain("/recognize", "{\"uri\": \"file:///etc/passwd\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("rejected"));
    }

    @Test
    @Order(13)
    void malformedAndUnknownEventsAre400() {
        plain("/recognize", "{not json").then().statusCode(400);
        plain("/recognize", "{\"Records\": \"nope\"}").then().statusCode(400);
        binaryCloudEvent("com.example.unknown", "{\"hello\": \"world\"}").then().statusCode(400)
                .body("objects[0].reason", containsString("com.example.unknown"));
        plain("/recognize", "{\"uri\": \"ftp://host/x.wav\"}").then().statusCode(400);
    }

    @Test
    @Order(14)
    void theFunctionKeepsServingAndCountsWhatItDid() throws IOException {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        String key = "after/03b01Wa.wav";
        upload(key, "03b01Wa.wav");
        plain("/", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        result(key);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("moodtag_objects_total{outcome=\"processed\""), metrics);
        assertTrue(metrics.contains("moodtag_stage_duration_seconds_bucket{stage=\"encode\""), "per-stage histogram");
        assertTrue(metrics.contains("moodtag_encoder_runs_total{encoder=\"speech-oww-embedding\",precision=\"fp32\",provider=\"cpu\""), metrics);
        assertTrue(metrics.contains("moodtag_bytes_read_bytes_total"), metrics);
    }

    @Inject
    dev.moodtag.batch.BatchSources batchSources;
    @Inject
    dev.moodtag.batch.BatchTagger batchTagger;

    /** Issue 13: a sidecar that cannot be read is a missing text with its reason, not a failed object. */
    @Test
    @Order(15)
    void anUnreadableSidecarLosesOnlyTheTextAndTheVideoIsStillLabelled() throws IOException {
        String key = "broken-sidecar/01-01-01-01-01-01-01.mp4";
        upload(key, "01-01-01-01-01-01-01.mp4");
        byte[] latin1 = "WEBVTT\n\n00:00.000 --> 00:01.000\nKids are talking by the d\u00f6or.\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        s3.putObject(b -> b.bucket(BUCKET).key("broken-sidecar/01-01-01-01-01-01-01.vtt"), RequestBody.fromBytes(latin1));
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        JsonNode result = result(key);
        assertEquals("labelled", result.get("status").asText(), result.toPrettyString());
        assertTrue(result.at("/modalities/speech/present").asBoolean() && result.at("/modalities/video/present").asBoolean());
        assertFalse(result.at("/modalities/text/present").asBoolean());
        String why = result.at("/modalities/text/reason").asText();
        assertTrue(why.contains("01-01-01-01-01-01-01.vtt") && why.contains("not UTF-8"), why);
        assertFalse(result.has("transcript"), "no transcript was read");
    }

    /**
     * An S3 key's last part may be up to 1,024 bytes, where a local filesystem takes 255: the local copy gets a
     * shorter name, and its sidecar still sits beside it. Before, the copy could not be created and the event was
     * answered 503 (retry) for ever.
     */
    @Test
    @Order(16)
    void anObjectWhoseNameIsLongerThanALocalFileNameCanBeIsTaggedWithItsSidecar() throws IOException {
        String base = "long-name/" + "emotion-".repeat(30) + "a".repeat(300);
        String key = base + ".wav";
        upload(key, "03a05Fc.wav");
        s3.putObject(b -> b.bucket(BUCKET).key(base + ".txt"), RequestBody.fromString("The dogs are sitting by the door."));
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then()
                .statusCode(200).body("objects[0].outcome", equalTo("processed"));
        JsonNode result = result(key);
        assertEquals("labelled", result.get("status").asText(), result.toPrettyString());
        assertTrue(result.at("/modalities/text/present").asBoolean(), result.toPrettyString());
        assertEquals("sidecar", result.at("/transcript/source").asText(), result.toPrettyString());
    }

    /**
     * A sidecar key whose extension is in another case ({@code .TXT}, as a camera card or a Windows tool names it) is
     * the media's sidecar in a bucket as beside a local file, and where two cases stand the same rule chooses
     * (TranscriptLoader.sidecarNames: the lower-case one, then code-point order). Before, only the lower-case key was
     * asked for, so the text was missing and recognised over.
     */
    @Test
    @Order(17)
    void aSidecarKeyInAnotherCaseIsTheMediasSidecar() throws IOException {
        String key = "case/03a05Fc.wav";
        upload(key, "03a05Fc.wav");
        s3.putObject(b -> b.bucket(BUCKET).key("case/03a05Fc.Txt"), RequestBody.fromString("Second in code-point order."));
        s3.putObject(b -> b.bucket(BUCKET).key("case/03a05Fc.TXT"), RequestBody.fromString("The dogs are sitting by the door."));
        s3.putObject(b -> b.bucket(BUCKET).key("case/03a05Fc.SRT"), RequestBody.fromString("1\n00:00:00,000 --> 00:00:01,000\nA later extension.\n"));
        plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}").then()
                .statusCode(200).body("objects[0].outcome", equalTo("processed"));
        JsonNode result = result(key);
        assertEquals("sidecar", result.at("/transcript/source").asText(), result.toPrettyString());
        assertEquals("03a05Fc.TXT", result.at("/transcript/origin").asText(), result.toPrettyString());
    }

    @Test
    @Order(20)
    void anS3PrefixIsTaggedAsABatchAndARerunSkipsIt() throws IOException {
        upload("batch/a/03a05Fc.wav", "03a05Fc.wav");
        upload("batch/b/Cole_Chapman_0001.jpg", "Cole_Chapman_0001.jpg");
        s3.putObject(b -> b.bucket(BUCKET).key("batch/readme.md"), RequestBody.fromString("notes"));
        List<dev.moodtag.batch.BatchItem> items = batchSources.resolve("s3://" + BUCKET + "/batch/", ".emotion.json");
        assertEquals(3, items.size(), items.toString());
        var first = batchTagger.tag(items, 2, false, (row, n, total) -> { }, new java.util.concurrent.atomic.AtomicBoolean());
        assertEquals(Map.of("processed", 2L, "ignored", 1L), first.outcomes(), first.rows().toString());
        assertEquals("labelled", result("batch/a/03a05Fc.wav").get("status").asText());
        assertEquals("labelled", result("batch/b/Cole_Chapman_0001.jpg").get("status").asText());
        // The listing now holds the results too: they are not objects to tag, and the media are skipped.
        List<dev.moodtag.batch.BatchItem> again = batchSources.resolve("s3://" + BUCKET + "/batch/", ".emotion.json");
        assertEquals(3, again.size(), again.toString());
        var second = batchTagger.tag(again, 2, false, (row, n, total) -> { }, new java.util.concurrent.atomic.AtomicBoolean());
        assertEquals(Map.of("skipped", 2L, "ignored", 1L), second.outcomes(), second.rows().toString());

        // A long recording's result can be any size: its head decides, and the rest of the body is not fetched (the
        // stream is aborted). Rounds after aborted reads show the client still works.
        var big = (com.fasterxml.jackson.databind.node.ObjectNode) result("batch/a/03a05Fc.wav");
        var segments = big.putObject("timeline").put("durationSeconds", 90_000.0).put("segmentation", "fixed").putArray("segments");
        for (int k = 0; k < 40_000; k++)
            segments.addObject().put("start", 3.0 * k).put("end", 3.0 * k + 2).put("status", "labelled").put("label", "sad")
                    .putObject("transcript").put("source", "asr").put("text", "and so we went back to the house to see what was left");
        byte[] bigBytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(big);
        assertTrue(bigBytes.length > 5 << 20, "over the 4 MB that once capped reading a result: " + bigBytes.length);
        s3.putObject(b -> b.bucket(BUCKET).key("batch/a/03a05Fc.wav.emotion.json"), RequestBody.fromBytes(bigBytes));
        for (int round = 0; round < 3; round++) {
            var third = batchTagger.tag(again, 2, false, (row, n, total) -> { }, new java.util.concurrent.atomic.AtomicBoolean());
            assertEquals(Map.of("skipped", 2L, "ignored", 1L), third.outcomes(), "round " + round);
            assertEquals(40_000, third.rows().stream().filter(r -> r.object().endsWith("03a05Fc.wav")).findFirst()
                    .orElseThrow().segments());
            plain("/recognize", "{\"uri\": \"s3://" + BUCKET + "/batch/a/03a05Fc.wav\"}").then().statusCode(200)
                    .body("objects[0].outcome", equalTo("skipped"));
        }
        assertThrows(dev.moodtag.storage.StorageException.class, () -> batchSources.resolve("s3://not-configured/x/", ".emotion.json"));
    }

    private long upload(String key, String sample) throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.sample(sample));
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        return bytes.length;
    }

    private JsonNode result(String key) {
        return FunctionFixtures.validResult(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + ".emotion.json")).asByteArray());
    }

    static Response binaryCloudEvent(String type, String data) {
        return SamplesRequests.binary(type, data);
    }

    static Response plain(String path, String body) {
        return SamplesRequests.plain(path, body);
    }
}
