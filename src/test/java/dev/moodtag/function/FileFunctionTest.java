package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function on an edge box: local root folder, results beside the media. Also what only this set-up can show:
 * S3 configured but down (retryable 503), path and symlink escapes, and the concurrency limit (1 here).
 */
@QuarkusTest
@TestProfile(FileFunctionTest.Profile.class)
@Tag("quarkus")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FileFunctionTest {

    static final Path ROOT = Path.of("target", "function-root").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            int nobodyListens;
            try {
                nobodyListens = S3MockResource.freePort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("moodtag.storage.local.roots", ROOT.toString(),
                        // S3 configured, but nothing listens there: storage down.
                        "moodtag.storage.s3.buckets", "media",
                        "quarkus.s3.endpoint-override", "http://127.0.0.1:" + nobodyListens,
                        "quarkus.s3.path-style-access", "true",
                        "quarkus.s3.aws.region", "us-east-1",
                        "quarkus.s3.aws.credentials.type", "static",
                        "quarkus.s3.aws.credentials.static-provider.access-key-id", "k",
                        "quarkus.s3.aws.credentials.static-provider.secret-access-key", "s",
                        "moodtag.function.max-concurrent", "1",
                        "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    @Order(1)
    void aVideoWithItsTranscriptIsTaggedAndTheResultWrittenBesideIt() throws IOException {
        Path dir = Files.createDirectories(ROOT.resolve("inbox/interview 1"));
        Path media = copy("01-01-01-01-01-01-01.mp4", dir);
        copy("01-01-01-01-01-01-01.txt", dir);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        Path result = dir.resolve("01-01-01-01-01-01-01.mp4.emotion.json");
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(result));
        assertEquals("file://" + ROOT + "/inbox/interview 1/01-01-01-01-01-01-01.mp4", r.at("/source/uri").asText());
        assertEquals(64, r.at("/source/sha256").asText().length());
        for (String m : List.of("text", "speech", "video")) assertTrue(r.at("/modalities/" + m + "/present").asBoolean(), m);
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "media, transcript, result: no temporary or partial files left");
        }
    }

    @Test
    @Order(2)
    void theSameFileAsABinaryCloudEventIsSkipped() {
        Path media = ROOT.resolve("inbox/interview 1/01-01-01-01-01-01-01.mp4");
        SamplesRequests.binary("dev.moodtag.request", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("skipped"));
    }

    @Test
    @Order(3)
    void pathsEscapingTheRootAreRejected() throws IOException {
        Path outside = Files.createDirectories(Path.of("target", "function-outside").toAbsolutePath());
        Path secret = copy("03b01Wa.wav", outside);
        SamplesRequests.plain("/recognize", "{\"uri\": \"file://" + ROOT + "/../function-outside/03b01Wa.wav\"}")
                .then().statusCode(200).body("objects[0].outcome", equalTo("rejected"))
                .body("objects[0].reason", containsString(".."));
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + secret.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("rejected")).body("objects[0].reason", containsString("root"));
        Path link = ROOT.resolve("linked");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, outside);
        SamplesRequests.plain("/recognize", "{\"uri\": \"file://" + ROOT + "/linked/03b01Wa.wav\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("rejected")).body("objects[0].reason", containsString("symbolic link"));
        assertFalse(Files.exists(outside.resolve("03b01Wa.wav.emotion.json")), "nothing written outside the root");
    }

    @Test
    @Order(4)
    void storageDownIsARetryable503AndReadinessSaysWhy() {
        Response r = SamplesRequests.binary("com.amazonaws.s3.ObjectCreated",
                FunctionFixtures.event("aws-s3-put.json", "media", "clips/a.wav", 1000, false));
        r.then().statusCode(503).header("Retry-After", "5").body("objects[0].outcome", equalTo("retry"))
                .body("objects[0].reason", containsString("unreachable"));
        given().get("/q/health/ready").then().statusCode(503).body("checks.find { it.name == 'moodtag' }.data.'storage.s3'",
                containsString("unreachable"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    @Order(5)
    void overTheConcurrencyLimitTheAnswerIs429WithRetryAfter() throws Exception {
        Path dir = ROOT.resolve("inbox/interview 1");
        String body = "{\"uri\": \"" + dir.resolve("01-01-01-01-01-01-01.mp4").toUri() + "\", \"force\": true}";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) calls.add(pool.submit(() -> SamplesRequests.plain("/recognize", body)));
            List<Integer> codes = new ArrayList<>();
            for (Future<Response> f : calls) {
                Response r = f.get();
                codes.add(r.statusCode());
                if (r.statusCode() == 429) assertEquals("5", r.header("Retry-After"));
            }
            assertTrue(codes.contains(200) && codes.contains(429), "one at a time, the others turned away: " + codes);
        } finally {
            pool.shutdownNow();
        }
        // still serving, and the file tagged once more
        SamplesRequests.plain("/recognize", body).then().statusCode(200).body("objects[0].outcome", equalTo("processed"));
    }

    /**
     * FFmpeg's error text for random bytes reaches the result document and the HTTP answer as its words only: it was
     * read as a whole native buffer and carried a NUL and leftover memory (issue 16).
     */
    @Test
    @Order(6)
    void randomBytesGiveAnErrorResultWithPrintableText() throws IOException {
        Path dir = Files.createDirectories(ROOT.resolve("inbox/noise"));
        int errors = 0;
        for (int seed = 0; seed < 6; seed++) {
            byte[] noise = new byte[1 + new java.util.Random(seed).nextInt(32 * 1024)];
            new java.util.Random(seed).nextBytes(noise);
            Path media = Files.write(dir.resolve("noise-" + seed + ".mp4"), noise);
            String answer = SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then()
                    .statusCode(200).body("objects[0].outcome", equalTo("processed")).extract().asString();
            String result = Files.readString(dir.resolve("noise-" + seed + ".mp4.emotion.json"));
            for (String json : List.of(answer, result)) {
                assertFalse(json.matches("(?s).*\\\\u00[01][0-9a-fA-F].*"), "a control character escaped in " + json);
                assertTrue(json.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t'
                        || c == 0xFFFD), "a control character in " + json);
            }
            JsonNode r = FunctionFixtures.validResult(result.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // Random bytes are nearly always refused; whatever FFmpeg made of them, the text above is clean.
            if (r.at("/status").asText().equals("error")) {
                errors++;
                assertTrue(r.at("/error/message").asText().contains("noise-" + seed + ".mp4"), result);
            }
        }
        assertTrue(errors > 0, "random bytes never refused");
    }

    private static Path copy(String sample, Path dir) throws IOException {
        return Files.copy(Fixtures.sample(sample), dir.resolve(sample), StandardCopyOption.REPLACE_EXISTING);
    }
}
