package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function's answers to S3 faults a real server does not make, through {@link FaultyS3Resource}'s proxy in front
 * of S3Mock: a transient fault is answered 503 with nothing written, and the redelivery does the work.
 */
@QuarkusTest
@TestProfile(S3FaultsFunctionTest.Profile.class)
@Tag("quarkus")
class S3FaultsFunctionTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // readiness asks the store each time, so that it sees a fault set by a test at once
            return Map.of("moodtag.onnx.device", "cpu", "moodtag.storage.reachability.cache-ttl", "PT0S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FaultyS3Resource.class));
        }
    }

    static final String BUCKET = S3MockResource.BUCKET;

    @Inject
    S3Client s3;

    @AfterEach
    void heal() {
        System.clearProperty(FaultyS3Resource.CUT_BODY);
        System.clearProperty(FaultyS3Resource.REFUSE);
        System.clearProperty(FaultyS3Resource.REPLACE_BEFORE_READ);
        System.clearProperty(FaultyS3Resource.NO_ETAG);
        System.clearProperty(FaultyS3Resource.REPLACE_AFTER_READ);
    }

    /**
     * A store that sends no ETag, the object replaced by another of the same size right after the function read it,
     * within the second its Last-Modified names: the stat after tagging saw the same size and time, so the result of
     * the old bytes was written, and before, the new version's event was answered skipped for good. The result now
     * records the store's time of its check (schema 2.8), which lies within that second, so the next event reads the
     * bytes, finds them changed and tags them; the event after that is skipped.
     */
    @Test
    void withoutETagsASameSizeReplacementWithinTheSecondOfTheReadIsTaggedAgain() throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.sample("03b01Wa.wav"));
        byte[] replaced = bytes.clone();
        replaced[replaced.length - 2] ^= 1;
        for (int attempt = 0; ; attempt++) {
            String key = "no-etag/" + attempt + "/03b01Wa.wav";
            String event = "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}";
            // From the start of a second, so that the put, the stat, the read and the replacement after it share it
            java.time.Instant now = java.time.Instant.now();
            Thread.sleep(1000 - now.getNano() / 1_000_000 + 20);
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
            System.setProperty(FaultyS3Resource.NO_ETAG, "true");
            System.setProperty(FaultyS3Resource.REPLACE_AFTER_READ, "/" + BUCKET + "/" + key);
            String outcome = SamplesRequests.plain("/recognize", event).then().statusCode(200).extract().path("objects[0].outcome");
            if (!outcome.equals("processed")) {
                // the second turned between the put and the replacement: seen as changed, as it should be
                assertTrue(attempt < 4, "5 tries in a row saw another second: " + outcome);
                System.clearProperty(FaultyS3Resource.NO_ETAG);
                continue;
            }
            JsonNode result = FunctionFixtures.validResult(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + ".emotion.json")).asByteArray());
            assertEquals(dev.moodtag.tagging.EmotionResult.SCHEMA_CHECKED_AT, result.path("schema").asText(), result.path("source").toString());
            assertTrue(result.at("/source/etag").isNull(), result.path("source").toString());
            assertEquals(dev.moodtag.support.Sha256.of(bytes), result.at("/source/sha256").asText(), "the bytes it read");
            assertEquals(java.time.Instant.parse(result.at("/source/lastModified").asText()).getEpochSecond(),
                    java.time.Instant.parse(result.at("/source/checkedAt").asText()).getEpochSecond(), "checked within the second");

            SamplesRequests.plain("/recognize", event).then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
            JsonNode again = FunctionFixtures.validResult(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + ".emotion.json")).asByteArray());
            assertEquals(dev.moodtag.support.Sha256.of(replaced), again.at("/source/sha256").asText(), "the new version tagged");
            SamplesRequests.plain("/recognize", event).then().statusCode(200).body("objects[0].outcome", equalTo("skipped"));
            return;
        }
    }

    /**
     * The object replaced by another of the same length between its stat and its read: before, the new bytes were
     * tagged under the old version's ETag and only the stat after tagging saw it (200 `skipped`, the tagging spent
     * for nothing). The read names the stat's version, S3Mock refuses it (412), and the answer is 503 with nothing
     * written; the redelivery tags the new version under its own ETag.
     */
    @Test
    void anObjectReplacedBetweenItsStatAndItsReadIsAnswered503AndTheRedeliveryTagsTheNewVersion() throws IOException {
        String key = "replaced/03b01Wa.wav";
        String event = answered503While(key, FaultyS3Resource.REPLACE_BEFORE_READ, "/" + BUCKET + "/" + key,
                "replaced since its stat");

        String now = s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", "");
        SamplesRequests.plain("/recognize", event).then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
        JsonNode result = FunctionFixtures.validResult(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + ".emotion.json")).asByteArray());
        assertEquals(now, result.at("/source/etag").asText(), "the result names the version it read");
    }

    /**
     * The connection closed halfway through the media's body: before, the half was tagged as the whole object
     * (answered 200 `processed`, its result kept and every redelivery skipped).
     */
    @Test
    void aBodyCutShortIsAnswered503WithNothingWrittenAndTheRedeliveryTagsTheWholeObject() throws IOException {
        String key = "cut/03b01Wa.wav";
        byte[] bytes = Files.readAllBytes(Fixtures.sample("03b01Wa.wav"));
        String event = answered503While(key, FaultyS3Resource.CUT_BODY, "/" + BUCKET + "/" + key,
                "of the " + bytes.length + " bytes announced");

        SamplesRequests.plain("/recognize", event).then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
        JsonNode result = FunctionFixtures.validResult(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + ".emotion.json")).asByteArray());
        assertEquals(bytes.length, result.at("/source/size").asLong());
        assertEquals("labelled", result.get("status").asText(), result.toPrettyString());
    }

    /**
     * S3 throttling whose Retry-After outlasts the call: the SDK waited it out for the whole call timeout (20 s) and the
     * event was answered as "storage unreachable"; the store's 503 now comes back at once, and is answered 503.
     */
    @Test
    void aThrottlingAnswerWithARetryAfterLongerThanTheCallIsAnswered503NamingIt() throws IOException {
        String key = "throttled/03b01Wa.wav";
        String event = answered503While(key, FaultyS3Resource.REFUSE, "503 SlowDown 3600", key + ": HTTP 503");
        SamplesRequests.plain("/recognize", event).then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
    }

    /**
     * The sample put at {@code key} and an event for it answered 503 `retry` with {@code reason} while the proxy's
     * {@code fault} is set to {@code value}, the fault then cleared and no result written: the event, for its
     * redelivery.
     */
    private String answered503While(String key, String fault, String value, String reason) throws IOException {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(Files.readAllBytes(Fixtures.sample("03b01Wa.wav"))));
        String event = "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}";
        System.setProperty(fault, value);
        SamplesRequests.plain("/recognize", event).then().statusCode(503).header("Retry-After", "5")
                .body("objects[0].outcome", equalTo("retry"))
                .body("objects[0].reason", containsString(reason));
        System.clearProperty(fault);
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(BUCKET).key(key + ".emotion.json")),
                "no result for what was not the whole object the stat described");
        return event;
    }

    /**
     * An expired session token (the credentials provider fetches a new one) was answered 200 `failed`, and the
     * platform dropped the event for good: 503 now, readiness down naming the cause, and the redelivery tags it.
     * The stat is a HEAD, whose refusal carries no error code.
     */
    @Test
    void expiredCredentialsAreAnswered503AndTheRedeliveryTagsTheObject() throws IOException {
        String key = "expired/03b01Wa.wav";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(Files.readAllBytes(Fixtures.sample("03b01Wa.wav"))));
        String event = "{\"uri\": \"s3://" + BUCKET + "/" + key + "\"}";

        System.setProperty(FaultyS3Resource.REFUSE, "400 ExpiredToken");
        SamplesRequests.plain("/recognize", event).then().statusCode(503).header("Retry-After", "5")
                .body("objects[0].outcome", equalTo("retry"))
                .body("objects[0].reason", containsString("the credentials have expired; retrying after they are refreshed"));
        io.restassured.RestAssured.get("/q/health/ready").then().statusCode(503)
                .body("checks[0].data.'storage.s3'", containsString("the credentials have expired"));

        System.clearProperty(FaultyS3Resource.REFUSE);
        SamplesRequests.plain("/recognize", event).then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
    }
}
