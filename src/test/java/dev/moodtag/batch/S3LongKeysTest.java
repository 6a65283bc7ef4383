package dev.moodtag.batch;

import dev.moodtag.function.FileTrees;
import dev.moodtag.function.S3MockResource;
import dev.moodtag.publish.AcceptingSink;
import dev.moodtag.publish.ArchivePublisher;
import dev.moodtag.publish.PublishJournal;
import dev.moodtag.publish.PublishRecord;
import dev.moodtag.publish.PublishState;
import dev.moodtag.tagging.ObjectAddress;
import dev.moodtag.tagging.ObjectEvent;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.Utf8Names;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link LongMediaNamesTest}'s rule for S3, against a real S3 server (S3Mock): media keys of 1,008 to 1,024 bytes,
 * ASCII and two-byte characters. S3 takes keys of up to 1,024 UTF-8 bytes, so a media key of 1,012 bytes and up leaves
 * {@code <key>.emotion.json} no room: refused for good in every command (tag, status, publish, the function), naming
 * S3's limit and how long the media's key may be; keys of 1,011 bytes and less are tagged. Before, the refusal named
 * S3's limit alone ("an S3 key must have 1 to 1024 UTF-8 bytes"), which the media's key itself is within.
 */
@QuarkusTest
@TestProfile(S3LongKeysTest.Profile.class)
@Tag("quarkus")
class S3LongKeysTest {

    static final String BUCKET = S3MockResource.BUCKET, PREFIX = "long-keys/";
    static final Path OUT = Path.of("target", "s3-long-keys").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.transcribe.enabled", "false", "moodtag.onnx.device", "cpu");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3MockResource.class));
        }
    }

    @Inject
    S3Client s3;
    @Inject
    BatchSources sources;
    @Inject
    BatchTagger tagger;
    @Inject
    ArchiveStatus status;
    @Inject
    ArchivePublisher publisher;
    @Inject
    Recognizer recognizer;

    /** A {@code .wav} key under {@link #PREFIX} of exactly {@code bytes} UTF-8 bytes, of 'a' or of 'é' (and one 'm' where odd). */
    private static String key(int bytes, boolean multiByte) {
        return PREFIX + Utf8Names.ofBytes(bytes - PREFIX.length(), multiByte, ".wav");
    }

    private static String says(String reason, int bytes) {
        if (reason == null || !reason.contains("an S3 key must have 1 to 1024 UTF-8 bytes; this one has " + (bytes + 13)))
            return "odd: " + reason;
        return reason.contains("the media's key has " + bytes + " bytes and its result's adds 13")
                && reason.contains("rename it to at most 1011 bytes") ? "fix" : "limit only";
    }

    @Test
    void everyCommandRefusesForGoodTheKeysWhoseResultS3CannotHoldAndTagsTheRest() throws Exception {
        FileTrees.recreate(OUT);
        byte[] wav = Files.readAllBytes(Fixtures.sample("03b01Wa.wav"));
        Map<String, Integer> bytesOf = new TreeMap<>();
        for (int bytes = 1008; bytes <= 1024; bytes++) {
            for (boolean multiByte : new boolean[]{false, true}) {
                String k = key(bytes, multiByte);
                s3.putObject(b -> b.bucket(BUCKET).key(k), RequestBody.fromBytes(wav));
                bytesOf.put("s3://" + BUCKET + "/" + k, bytes);
            }
        }
        String prefix = "s3://" + BUCKET + "/" + PREFIX;
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> said = new TreeMap<>();

        BatchSummary tagged = tagger.tag(sources.resolve(prefix, ".emotion.json"), 2, false, (row, done, total) -> { },
                new AtomicBoolean());
        Map<String, String> tagReasons = new TreeMap<>();
        for (BatchRow row : tagged.rows()) {
            Integer bytes = bytesOf.get(row.object());
            if (bytes == null) wrong.add("tag listed " + row.object());
            else if (bytes <= 1011) said.merge("tag " + row.outcome(), 1, Integer::sum);
            else {
                said.merge("tag " + row.outcome() + " " + says(row.reason(), bytes), 1, Integer::sum);
                tagReasons.put(row.object(), row.reason());
            }
        }

        BatchSummary looked = status.scan(sources.resolve(prefix, ".emotion.json"));
        ArchiveStatus.Counts counts = ArchiveStatus.Counts.of(looked, 5);
        for (BatchRow row : looked.rows()) {
            String tagReason = tagReasons.get(row.object());
            if (tagReason == null) said.merge("status " + row.outcome(), 1, Integer::sum);
            else said.merge("status " + row.outcome() + (tagReason.equals(row.reason()) ? " as tag" : " otherwise"), 1,
                    Integer::sum);
        }
        said.put("status none yet", (int) counts.pending());

        int requests;
        List<PublishRecord> records;
        try (AcceptingSink sink = AcceptingSink.start();
             PublishJournal journal = PublishJournal.open(OUT.resolve("publish-log.jsonl"))) {
            records = publisher.publish(sources.resolve(prefix, ".emotion.json"), new ArchivePublisher.Options(
                    sink.uri(), Optional.of(1000.0), Optional.of(4), false), journal, (r, done, total) -> { },
                    new AtomicBoolean());
            requests = sink.requests();
        }
        said.put("publish requests", requests);
        for (PublishRecord r : records) {
            int bytes = bytesOf.get(r.object());
            said.merge("publish " + r.state() + (r.state() == PublishState.FAILED && r.reason()
                    .startsWith("not sent, the function would answer failed: no result can be written for it: ")
                    ? " " + says(r.reason(), bytes) : ""), 1, Integer::sum);
        }

        // the function, from an event naming one such key: the same answer, before a read
        for (int bytes : new int[]{1011, 1012, 1024}) {
            String k = key(bytes, true);
            ObjectOutcome o = recognizer.recognize(new ObjectEvent("test", "created", true,
                    new ObjectAddress.Bucket(BUCKET, k), OptionalLong.of(wav.length), Optional.empty(), Optional.empty(),
                    true), "long-key-" + bytes);
            said.merge("function " + bytes + " " + o.outcome() + (bytes > 1011 ? " " + says(o.reason(), bytes) : ""), 1,
                    Integer::sum);
        }

        Map<String, Integer> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("tag processed", 8), Map.entry("tag failed fix", 26),
                Map.entry("status processed", 8), Map.entry("status failed as tag", 26), Map.entry("status none yet", 0),
                Map.entry("publish requests", 0), Map.entry("publish SKIPPED", 8), Map.entry("publish FAILED fix", 26),
                Map.entry("function 1011 processed", 1), Map.entry("function 1012 failed fix", 1),
                Map.entry("function 1024 failed fix", 1)));
        assertEquals(expected.toString().replace(", ", "\n"), said.toString().replace(", ", "\n"),
                "tag's reasons: " + tagReasons.values().stream().limit(2).toList());
        assertEquals(List.of(), wrong);
    }
}
