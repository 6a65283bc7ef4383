package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.StorageException;
import dev.moodtag.support.Sha256;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ResultLocator#recordFileVersion}: a result found current by its bytes' hash gets the file's new version and
 * time, and nothing else of it changes; a result another run rewrote since its head was read, or one that cannot be
 * written, is left byte for byte as it was, and the failure does not reach the caller (the next run hashes again).
 */
class RecordFileVersionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static ResultLocator locator() {
        return new ResultLocator(new ObjectFilterTest.Config(new ObjectFilterTest.Result(Optional.empty(), ".emotion.json"),
                new ObjectFilterTest.Filter(Optional.empty(), Optional.empty(), Optional.empty(), 1)), null);
    }

    /** Writes the result of whatever store it is given, or fails as a store that cannot be written would. */
    private static final class Writer extends ResultWriter {
        final boolean fails;
        int writes;

        Writer(boolean fails) {
            super(new FunctionMetrics(new SimpleMeterRegistry()));
            this.fails = fails;
        }

        @Override
        public void write(ObjectStorage store, ObjectRef resultRef, JsonNode result) {
            writes++;
            if (fails) throw new StorageException(StorageException.Kind.FAILED, resultRef.uri() + ": read-only for the test");
            super.write(store, resultRef, result);
        }

        @Override
        public void writeStreamed(ObjectStorage store, ObjectRef resultRef, Streamed content) throws java.io.IOException {
            writes++;
            if (fails) throw new StorageException(StorageException.Kind.FAILED, resultRef.uri() + ": read-only for the test");
            super.writeStreamed(store, resultRef, content);
        }
    }

    private record Case(String name, Consumer<ObjectNode> recorded, Consumer<ObjectNode> headSeen, boolean writerFails,
                        boolean rewritten, boolean versionRecorded) {
    }

    @Test
    void onlyTheVersionAndTimeChangeAndOnlyWhereTheResultIsStillTheOneJudged() throws Exception {
        Consumer<ObjectNode> asIs = doc -> { };
        List<Case> cases = List.of(
                new Case("version and time moved", asIs, asIs, false, true, true),
                new Case("version and time moved, the store refuses the write", asIs, asIs, true, false, false),
                new Case("rewritten by another run since its head was read (another label)", asIs,
                        head -> head.put("label", "sad"), false, false, false),
                new Case("rewritten by another run since its head was read (another source)", asIs,
                        head -> ((ObjectNode) head.path("source")).put("sha256", Sha256.of("x")), false, false, false),
                // A result from before file versions: the time is recorded, no version is added (it would be 2.7).
                new Case("result without a file version, time moved", doc -> ((ObjectNode) doc.path("source"))
                        .remove("fileVersion"), asIs, false, true, false));
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (Case c : cases) {
            Path root = Files.createDirectories(tmp.resolve("case-" + n++));
            byte[] bytes = new byte[10_000];
            new Random(n).nextBytes(bytes);
            Path media = Files.write(root.resolve("clip.wav"), bytes);
            LocalObjectStorage store = new LocalObjectStorage(List.of(root), false);
            ObjectRef ref = store.refFor(media);
            ObjectNode doc = JSON.createObjectNode().put("schema", "https://moodtag.dev/schema/emotion-result-v2.7.json").put("version", 2)
                    .put("requestId", "first").put("status", "labelled").put("label", "happy");
            doc.putObject("source").put("uri", ref.uri()).put("size", bytes.length)
                    .put("lastModified", "2001-01-01T00:00:00Z").put("sha256", Sha256.of(bytes))
                    .put("fileVersion", "1:2");
            doc.putObject("pack").put("id", "p").put("version", "1");
            doc.putObject("classifier").put("description", "c");
            doc.putArray("segments").add(1).add(2);
            c.recorded().accept(doc);
            ObjectRef resultRef = locator().resultFor(ref);
            Path resultFile = root.resolve("clip.wav.emotion.json");
            Files.write(resultFile, JSON.writeValueAsBytes(doc));
            byte[] before = Files.readAllBytes(resultFile);
            ObjectNode head = JSON.createObjectNode();
            for (String f : List.of("version", "status", "label", "source", "pack", "classifier")) head.set(f, doc.get(f).deepCopy());
            c.headSeen().accept(head);
            Files.setLastModifiedTime(media, FileTime.fromMillis(1_600_000_000_123L));
            ObjectInfo now = store.stat(ref).orElseThrow();

            Writer writer = new Writer(c.writerFails());
            locator().recordFileVersion(store, resultRef, head, now, writer);

            byte[] after = Files.readAllBytes(resultFile);
            boolean rewritten = !java.util.Arrays.equals(before, after);
            if (rewritten != c.rewritten()) wrong.add(c.name() + (rewritten ? ": rewritten" : ": left"));
            if (!rewritten) continue;
            ObjectNode read = (ObjectNode) JSON.readTree(after);
            ObjectNode expected = doc.deepCopy();
            ((ObjectNode) expected.path("source")).put("lastModified", now.lastModified().orElseThrow().toString());
            if (c.versionRecorded()) ((ObjectNode) expected.path("source")).put("fileVersion", now.fileVersion().orElseThrow());
            if (!expected.equals(read)) wrong.add(c.name() + ": " + read + " is not " + expected);
        }
        assertEquals(List.of(), wrong, "results judged wrong by recordFileVersion");
    }

    /** Nothing to record (same time, same version or none known): the result is not even read. */
    @Test
    void nothingMovedNothingRead() throws Exception {
        Path media = Files.write(tmp.resolve("clip.wav"), new byte[]{1, 2, 3});
        LocalObjectStorage store = new LocalObjectStorage(List.of(tmp), false);
        ObjectInfo now = store.stat(store.refFor(media)).orElseThrow();
        ObjectNode head = JSON.createObjectNode();
        head.putObject("source").put("lastModified", now.lastModified().orElseThrow().toString())
                .put("fileVersion", now.fileVersion().orElseThrow());
        Path result = Files.write(tmp.resolve("clip.wav.emotion.json"), new byte[]{'{', '}'});
        Writer writer = new Writer(false);
        locator().recordFileVersion(store, locator().resultFor(store.refFor(media)), head, now, writer);
        assertEquals(0, writer.writes);
        assertArrayEquals(new byte[]{'{', '}'}, Files.readAllBytes(result));
    }
}
