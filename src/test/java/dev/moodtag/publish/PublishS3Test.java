package dev.moodtag.publish;

import dev.moodtag.function.FunctionFixtures;
import dev.moodtag.function.S3MockResource;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 against a real S3-compatible server (S3Mock): {@code moodtag tag s3://media/archive/ --publish URL} through
 * a sink that refuses and loses answers for a while, exactly one result object per media object, a second publish
 * that sends nothing, and {@code moodtag status} over the prefix with the corrupt object as an error.
 */
@QuarkusTest
@TestProfile(PublishS3Test.Profile.class)
@Tag("quarkus")
class PublishS3Test {

    static final String BUCKET = S3MockResource.BUCKET, PREFIX = "archive/";
    static final Path OUT = Path.of("target", "publish-s3").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.function.max-concurrent", "2",
                    "moodtag.function.retry-after", "PT1S",
                    "moodtag.publish.initial-backoff", "PT0.05S",
                    "moodtag.publish.max-backoff", "PT0.5S",
                    "moodtag.publish.retry-after-max", "PT0.5S",
                    "moodtag.publish.max-attempts", "30",
                    "moodtag.transcribe.enabled", "false",
                    "moodtag.onnx.device", "cpu");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3MockResource.class));
        }
    }

    @TestHTTPResource("/")
    URL function;
    @Inject
    S3Client s3;
    @Inject
    Recognizer recognizer;

    @Test
    void aPrefixIsPublishedThroughAFlakySinkWithOneResultPerObjectAndStatusReadsThemBack() throws Exception {
        // The in-memory S3 starts empty; so must the publish journal, or a second run of the tests finds its events
        // acknowledged by the first and sends nothing.
        dev.moodtag.function.FileTrees.recreate(OUT);
        upload(PREFIX + "clips/03a05Fc.wav", Files.readAllBytes(Fixtures.sample("03a05Fc.wav")));
        upload(PREFIX + "faces/Cole Chapman (1).jpg", Files.readAllBytes(Fixtures.sample("Cole_Chapman_0001.jpg")));
        upload(PREFIX + "clips/cut.wav", Arrays.copyOf(Files.readAllBytes(Fixtures.sample("03b01Wa.wav")), 300));
        upload("elsewhere/John_Brady_0002.jpg", Files.readAllBytes(Fixtures.sample("John_Brady_0002.jpg")));
        List<String> media = List.of(PREFIX + "clips/03a05Fc.wav", PREFIX + "faces/Cole Chapman (1).jpg", PREFIX + "clips/cut.wav");
        String prefix = "s3://" + BUCKET + "/" + PREFIX;

        try (FlakySink sink = new FlakySink(function.toURI(), 4, 1)) {
            InProcessCli.Run run = InProcessCli.run("tag", prefix, "--publish", sink.uri().toString(), "--out", OUT.toString(),
                    "--max-in-flight", "3");
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains("3 object(s) to " + sink.uri() + ": 3 published, 0 skipped, 0 failed to publish"),
                    run.output());
            for (String key : media) {
                List<String> seen = sink.outcomes().get("s3://" + BUCKET + "/" + key);
                assertEquals(1, seen == null ? 0 : seen.stream().filter("processed"::equals).count(),
                        key + " must be processed exactly once; the function answered " + seen);
            }
            String pack = recognizer.packIdentity();
            assertEquals(media.stream().map(k -> EventIds.of("s3://" + BUCKET + "/" + k, "etag "
                    + s3.headObject(b -> b.bucket(BUCKET).key(k)).eTag().replace("\"", ""), pack)).collect(Collectors.toSet()),
                    new HashSet<>(sink.ids()), "one stable id per object, kept across retries");
        }
        Set<String> results = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key)
                .filter(k -> k.endsWith(".emotion.json")).collect(Collectors.toSet());
        assertEquals(media.stream().map(k -> k + ".emotion.json").collect(Collectors.toSet()), results,
                "one result per object under the prefix, none elsewhere");
        for (String key : media) {
            JsonNode r = FunctionFixtures.validResult(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + ".emotion.json")).asByteArray());
            assertEquals(key.endsWith("cut.wav") ? "error" : "labelled", r.path("status").asText(), r.toPrettyString());
        }

        try (FlakySink counting = new FlakySink(function.toURI(), 0, 0)) {
            InProcessCli.Run again = InProcessCli.run("tag", prefix, "--publish", counting.uri().toString(), "--out", OUT.toString());
            assertEquals(0, again.exitCode(), again.output());
            assertEquals(0, counting.requests(), "a second publish sends nothing: " + again.output());
        }

        InProcessCli.Run st = InProcessCli.run("status", prefix, "--out", OUT.toString(), "--wait", "--timeout", "PT10S");
        assertEquals(1, st.exitCode(), st.output());
        assertTrue(st.output().contains("3 object(s): 3 with a current result (1 of them errors), 0 none yet"), st.output());
        List<String> index = Files.readAllLines(OUT.resolve("index.jsonl"));
        assertEquals(3, index.size(), index.toString());
        assertTrue(index.stream().anyMatch(l -> l.contains("cut.wav") && l.contains("\"status\":\"error\"")), index.toString());
    }

    private void upload(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }
}
