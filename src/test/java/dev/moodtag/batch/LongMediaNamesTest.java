package dev.moodtag.batch;

import dev.moodtag.function.FileTrees;
import dev.moodtag.publish.AcceptingSink;
import dev.moodtag.publish.ArchivePublisher;
import dev.moodtag.publish.PublishJournal;
import dev.moodtag.publish.PublishRecord;
import dev.moodtag.publish.PublishState;
import dev.moodtag.tagging.ObjectAddress;
import dev.moodtag.tagging.ObjectEvent;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.ResultRules;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.Utf8Names;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
 * Media names of 240 to 255 bytes, ASCII and two-byte characters: each is legal, and those whose result name
 * ({@code <name>.emotion.json}) passes the 255 bytes a file name can have (243 and up) get no result, for good. Tag,
 * the function's file:// path (watch's too) and now status and publish say the same: a permanent failure naming the
 * limit and how long the name may be, never the media read, never "none yet", never an event the function can only
 * fail. Before, status counted each as none yet for ever ({@code --wait} to its timeout, exit 3) and publish sent it.
 */
@QuarkusTest
@TestProfile(LongMediaNamesTest.Profile.class)
@Tag("quarkus")
public class LongMediaNamesTest {

    public static final Path ROOT = Path.of("target", "long-media-names").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(),
                    "moodtag.transcribe.enabled", "false",
                    "moodtag.onnx.device", "cpu");
        }
    }

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

    /** A {@code .wav} name of exactly {@code bytes} UTF-8 bytes, of 'a' or of 'é' (and one 'm' where odd). */
    private static String name(int bytes, boolean multiByte) {
        return Utf8Names.ofBytes(bytes, multiByte, ".wav");
    }

    @Test
    void everyCommandRefusesForGoodTheNamesWhoseResultNoFileSystemCanHoldAndTagsTheRest() throws Exception {
        Path dir = FileTrees.recreate(ROOT.resolve("grid"));
        Map<String, Integer> bytesOf = new TreeMap<>();
        for (int bytes = 240; bytes <= 255; bytes++) {
            for (boolean multiByte : new boolean[]{false, true}) {
                String n = name(bytes, multiByte);
                Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve(n));
                bytesOf.put("file://" + dir.resolve(n), bytes);
            }
        }
        BatchSummary tagged = tagger.tag(sources.resolve(dir.toString(), ".emotion.json"), 2, false,
                (row, done, total) -> { }, new AtomicBoolean());
        List<String> wrong = new ArrayList<>();
        Map<String, String> tagReasons = new TreeMap<>();
        int processed = 0, withFix = 0;
        for (BatchRow row : tagged.rows()) {
            int bytes = bytesOf.get(row.object());
            if (bytes <= 242) {
                if (ObjectOutcome.PROCESSED.equals(row.outcome())) processed++;
                else wrong.add("tag " + bytes + ": " + row);
            } else if (!ObjectOutcome.FAILED.equals(row.outcome()) || !row.reason().contains("has " + (bytes + 13)
                    + " bytes; file systems take at most 255")) {
                wrong.add("tag " + bytes + ": " + row.outcome() + " " + row.reason());
            } else {
                tagReasons.put(row.object(), row.reason());
                if (row.reason().contains("the media's name has " + bytes + " bytes and its result's adds 13")
                        && row.reason().contains("rename it to at most 242 bytes")) withFix++;
            }
        }
        String tagSays = "tag: " + processed + " processed, " + tagReasons.size() + " failed for the name, " + withFix
                + " saying how long it may be";

        // status: the same 26 failures with the same reasons, nothing left to wait for
        BatchSummary looked = status.scan(sources.resolve(dir.toString(), ".emotion.json"));
        ArchiveStatus.Counts counts = ArchiveStatus.Counts.of(looked, 5);
        int sameAsTag = 0;
        for (BatchRow row : looked.rows()) {
            String tagReason = tagReasons.get(row.object());
            if (tagReason != null && ObjectOutcome.FAILED.equals(row.outcome()) && tagReason.equals(row.reason())) sameAsTag++;
            else if (tagReason != null || !ObjectOutcome.PROCESSED.equals(row.outcome()))
                wrong.add("status " + bytesOf.get(row.object()) + ": " + row.outcome() + " " + row.reason());
        }
        String statusSays = "status: " + counts.objects() + " objects, " + counts.current() + " current, "
                + counts.errors() + " error results, " + sameAsTag + " failed as tag failed them, " + counts.pending()
                + " none yet, " + (counts.done() ? "done" : "not done");

        // publish: nothing sent, the 6 tagged skipped, the 26 failed naming why
        int requests;
        List<PublishRecord> records;
        try (AcceptingSink sink = AcceptingSink.start();
             PublishJournal journal = PublishJournal.open(ROOT.resolve("publish-log.jsonl"))) {
            records = publisher.publish(sources.resolve(dir.toString(), ".emotion.json"), new ArchivePublisher.Options(
                    sink.uri(), Optional.of(1000.0), Optional.of(4), false), journal, (r, done, total) -> { },
                    new AtomicBoolean());
            requests = sink.requests();
        }
        long skipped = records.stream().filter(r -> r.state() == PublishState.SKIPPED).count();
        long refused = records.stream().filter(r -> r.state() == PublishState.FAILED && r.reason()
                .startsWith("not sent, the function would answer failed: no result can be written for it: ")
                && r.reason().contains("file systems take at most 255")).count();
        String publishSays = "publish: " + requests + " requests, " + skipped + " skipped, " + refused + " not sent naming why";

        // the function's file:// path, which watch takes too, under a configured root: the same answer, before a read
        Path inRoot = Files.copy(Fixtures.sample("03b01Wa.wav"), ROOT.resolve(name(250, true)));
        ObjectOutcome o = recognizer.recognize(new ObjectEvent("test", "created", true, new ObjectAddress.LocalFile(inRoot),
                OptionalLong.of(Files.size(inRoot)), Optional.empty(), Optional.empty(), false), "long-name",
                recognizer::resultFor, ResultRules.watch(true));
        String functionSays = "function: " + o.outcome() + (o.reason().contains("has 263 bytes; file systems take at most 255")
                ? " naming the limit" : "") + (o.reason().contains("the media's name has 250 bytes and its result's adds 13")
                && o.reason().contains("rename it to at most 242 bytes") ? " and how long it may be" : "");

        assertEquals(String.join("\n", "tag: 6 processed, 26 failed for the name, 26 saying how long it may be",
                        "status: 32 objects, 6 current, 0 error results, 26 failed as tag failed them, 0 none yet, done",
                        "publish: 0 requests, 6 skipped, 26 not sent naming why",
                        "function: failed naming the limit and how long it may be"),
                String.join("\n", tagSays, statusSays, publishSays, functionSays),
                "odd rows: " + wrong.stream().limit(6).toList() + "\nfunction: " + o.reason());
        assertEquals(List.of(), wrong.stream().limit(6).toList(), wrong.size() + " wrong");
    }
}
