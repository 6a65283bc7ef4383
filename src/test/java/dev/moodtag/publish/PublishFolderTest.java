package dev.moodtag.publish;

import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchSources;
import dev.moodtag.function.FileTrees;
import dev.moodtag.function.FunctionFixtures;
import dev.moodtag.storage.ForwardingStorage;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 on the local filesystem: {@code moodtag tag DIR --publish URL} sends the real samples as CloudEvents to the
 * function this application serves (the one the Knative Service runs), through a sink that refuses and loses answers
 * for a while; every object ends with exactly one result, a second publish sends nothing, an interrupted publish's
 * acknowledged events are not sent again, and {@code moodtag status} reports the corrupt file as an error.
 */
@QuarkusTest
@TestProfile(PublishFolderTest.Profile.class)
@Tag("quarkus")
class PublishFolderTest {

    static final Path ROOT = Path.of("target", "publish-root").toAbsolutePath();
    static final List<String> GOOD = List.of("03a05Fc.wav", "03b09Tc.wav", "Cole_Chapman_0001.jpg", "John_Brady_0002.jpg");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            return Map.ofEntries(Map.entry("moodtag.storage.local.roots", ROOT.toString()),
                    Map.entry("moodtag.function.max-concurrent", "2"),
                    Map.entry("moodtag.function.retry-after", "PT1S"),
                    Map.entry("moodtag.publish.initial-backoff", "PT0.05S"),
                    Map.entry("moodtag.publish.max-backoff", "PT0.5S"),
                    Map.entry("moodtag.publish.retry-after-max", "PT0.5S"),
                    Map.entry("moodtag.publish.max-attempts", "30"),
                    Map.entry("moodtag.transcribe.enabled", "false"),
                    Map.entry("moodtag.onnx.device", "cpu"));
        }
    }

    @TestHTTPResource("/")
    URL function;
    @Inject
    Recognizer recognizer;
    @Inject
    BatchSources sources;
    @Inject
    ArchiveStatus status;
    @Inject
    ArchivePublisher publisher;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyObjectGetsExactlyOneResultThroughAFlakySinkAndASecondPublishSendsNothing() throws Exception {
        Path dir = FileTrees.recreate(ROOT.resolve("archive"));
        for (String n : GOOD) Files.copy(Fixtures.sample(n), dir.resolve(n));
        Files.createDirectories(dir.resolve("sub"));
        byte[] wav = Files.readAllBytes(Fixtures.sample("03b01Wa.wav"));
        Files.write(dir.resolve("sub/cut.wav"), Arrays.copyOf(wav, 300)); // header and a sliver: corrupt media
        Files.writeString(dir.resolve("notes.docx"), "meeting notes");     // not media: never sent
        Path out = ROOT.resolve("report");
        List<String> media = List.of("03a05Fc.wav", "03b09Tc.wav", "Cole_Chapman_0001.jpg", "John_Brady_0002.jpg", "sub/cut.wav");

        InProcessCli.Run first;
        try (FlakySink sink = new FlakySink(function.toURI(), 6, 2)) {
            first = InProcessCli.run("tag", dir.toString(), "--publish", sink.uri().toString(), "--out", out.toString(),
                    "--rate", "50", "--max-in-flight", "4");
            assertEquals(0, first.exitCode(), first.output());
            assertTrue(first.output().contains("6 object(s) to " + sink.uri() + ": 5 published, 1 skipped, 0 failed to publish"),
                    first.output());
            // The refusals and lost answers really happened and were retried.
            assertTrue(sink.requests() >= media.size() + 8, "requests: " + sink.requests());
            Map<String, List<String>> outcomes = sink.outcomes();
            for (String m : media) {
                String uri = uri(dir.resolve(m));
                List<String> seen = outcomes.get(uri);
                assertEquals(1, seen == null ? 0 : seen.stream().filter("processed"::equals).count(),
                        uri + " must be processed exactly once; the function answered " + seen);
            }
            // Each event kept its id across retries: one id per object, the stable one.
            String pack = recognizer.packIdentity();
            assertEquals(media.stream().map(m -> id(dir.resolve(m), pack)).collect(Collectors.toSet()),
                    new HashSet<>(sink.ids()));
        }
        String pack = recognizer.packIdentity();
        for (String m : media) {
            Path resultFile = dir.resolve(m + ".emotion.json");
            assertTrue(Files.isRegularFile(resultFile), m + " has no result");
            JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(resultFile));
            assertEquals(id(dir.resolve(m), pack), r.path("requestId").asText(),
                    "the result names the event that made it");
            assertEquals(m.equals("sub/cut.wav") ? "error" : "labelled", r.path("status").asText(), r.toPrettyString());
        }
        try (var files = Files.walk(dir)) {
            assertEquals(media.size(), files.filter(f -> f.toString().endsWith(".emotion.json")).count(), "one result each");
        }
        List<JsonNode> log = journal(out.resolve("publish-log.jsonl"));
        assertEquals(6, log.size(), log.toString());
        assertEquals(5, log.stream().filter(l -> l.path("state").asText().equals("published")).count(), log.toString());

        // Second publish, straight to the function: every object has its result, nothing is sent.
        try (FlakySink counting = new FlakySink(function.toURI(), 0, 0)) {
            InProcessCli.Run second = InProcessCli.run("tag", dir.toString(), "--publish", counting.uri().toString(),
                    "--out", out.toString());
            assertEquals(0, second.exitCode(), second.output());
            assertEquals(0, counting.requests(), second.output());
            assertTrue(second.output().contains(": 0 published, 6 skipped, 0 failed to publish"), second.output());
            assertEquals(5, second.output().lines().filter(l -> l.contains(": has a current result")).count(), second.output());
        }

        // status: 5 objects with a current result, one of them the corrupt file's error; the report is written.
        InProcessCli.Run st = InProcessCli.run("status", dir.toString(), "--out", out.toString());
        assertEquals(1, st.exitCode(), "done, with an error result: " + st.output());
        assertTrue(st.output().contains("5 object(s): 5 with a current result (1 of them errors), 0 none yet"), st.output());
        assertTrue(st.output().matches("(?s).*top error reasons:\\n\\s+1  \\S+: .*"), st.output());
        List<String> index = Files.readAllLines(out.resolve("index.jsonl"));
        assertEquals(6, index.size(), index.toString());
        assertTrue(index.stream().anyMatch(l -> l.contains("cut.wav") && l.contains("\"status\":\"error\"")), index.toString());
        assertTrue(Files.readString(out.resolve("report.html")).contains("cut.wav"));
        assertTrue(Files.readString(out.resolve("index.csv")).startsWith("object,outcome,status"));
    }

    @Test
    void aResumedPublishSendsOnlyWhatHasNoResultAndWasNotAcknowledged() throws Exception {
        Path dir = FileTrees.recreate(ROOT.resolve("resume"));
        Files.copy(Fixtures.sample("Junichi_Inamoto_0001.jpg"), dir.resolve("acked.jpg"));
        Files.copy(Fixtures.sample("Cole_Chapman_0001.jpg"), dir.resolve("unsent.jpg"));
        Path out = ROOT.resolve("resume-report");
        Path log = Files.createDirectories(out).resolve("publish-log.jsonl");
        String ackedId = id(dir.resolve("acked.jpg"), recognizer.packIdentity());
        // An earlier publish, killed while writing its last line: one acknowledged event (a Broker took it and has not
        // delivered it yet), then half a line.
        Files.writeString(log, json.writeValueAsString(new PublishRecord(uri(dir.resolve("acked.jpg")), ackedId,
                PublishState.PUBLISHED, 202, 1, null, 0.01, "2026-01-01T00:00:00Z")) + "\n{\"object\":\"file:///x\",\"sta");

        try (FlakySink sink = new FlakySink(function.toURI(), 0, 0)) {
            InProcessCli.Run run = InProcessCli.run("tag", dir.toString(), "--publish", sink.uri().toString(), "--out",
                    out.toString());
            assertEquals(0, run.exitCode(), run.output());
            assertEquals(List.of(id(dir.resolve("unsent.jpg"), recognizer.packIdentity())), sink.ids());
            assertTrue(run.output().contains("skipped " + uri(dir.resolve("acked.jpg")) + ": acknowledged by an earlier publish"),
                    run.output());
        }
        assertTrue(Files.isRegularFile(dir.resolve("unsent.jpg.emotion.json")));
        // The acknowledged one has no result yet: status says so and exits 3; --resend-acknowledged sends it.
        InProcessCli.Run st = InProcessCli.run("status", dir.toString(), "--out", out.toString());
        assertEquals(3, st.exitCode(), st.output());
        assertTrue(st.output().contains("2 object(s): 1 with a current result (0 of them errors), 1 none yet"), st.output());
        List<JsonNode> lines = journal(log);
        assertEquals(3, lines.size(), "the torn line is skipped, the new record starts on a line of its own: " + lines);

        InProcessCli.Run resend = InProcessCli.run("tag", dir.toString(), "--publish", function.toString(), "--out",
                out.toString(), "--resend-acknowledged");
        assertEquals(0, resend.exitCode(), resend.output());
        assertTrue(resend.output().contains(": 1 published, 1 skipped, 0 failed to publish"), resend.output());
        InProcessCli.Run waited = InProcessCli.run("status", dir.toString(), "--out", out.toString(), "--wait",
                "--timeout", "PT30S", "--interval", "PT0.2S");
        assertEquals(0, waited.exitCode(), waited.output());
    }

    /**
     * An object replaced after its event was acknowledged, before its result came, is new work: it is sent again with
     * a new id. Before, its id named the object and pack only, so the publish log's "acknowledged" kept it from ever
     * being sent (found by a review); only --resend-acknowledged, which re-sends everything, reached it.
     */
    @Test
    void anObjectReplacedAfterItsEventWasAcknowledgedIsSentAgain() throws Exception {
        Path dir = FileTrees.recreate(ROOT.resolve("replaced"));
        Path clip = Files.copy(Fixtures.sample("Junichi_Inamoto_0001.jpg"), dir.resolve("clip.jpg"));
        Path out = ROOT.resolve("replaced-report");
        Path log = Files.createDirectories(out).resolve("publish-log.jsonl");
        String before = id(clip, recognizer.packIdentity());
        Files.writeString(log, json.writeValueAsString(new PublishRecord(uri(clip), before, PublishState.PUBLISHED, 202, 1,
                null, 0.01, "2026-01-01T00:00:00Z")) + "\n");
        Files.copy(Fixtures.sample("Cole_Chapman_0001.jpg"), clip, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(clip, FileTime.from(Instant.now().plusSeconds(5)));
        String after = id(clip, recognizer.packIdentity());
        assertEquals(List.of(after), publishedThroughTheFunction(dir, out));
        assertTrue(Files.isRegularFile(dir.resolve("clip.jpg.emotion.json")));
        assertNotEquals(before, after, "a new version, a new id");
    }

    /**
     * A file published, tagged by the function, then replaced by other bytes of the same size with its time set back,
     * is sent again with a new id and tagged again. Before, its id named its size and time only: its result was no
     * longer current for the new bytes, but the publish log's "acknowledged" for the same id kept it from being sent.
     */
    @Test
    void aFileReplacedBySameSizeAndTimeAfterItWasTaggedIsSentAgain() throws Exception {
        Path dir = FileTrees.recreate(ROOT.resolve("same-stat"));
        Path clip = Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve("clip.wav"));
        Path out = ROOT.resolve("same-stat-report");
        String before = id(clip, recognizer.packIdentity());
        assertEquals(List.of(before), publishedThroughTheFunction(dir, out));
        Path result = dir.resolve("clip.wav.emotion.json");
        String firstRequest = json.readTree(result.toFile()).path("requestId").asText();
        FileTime t = Files.getLastModifiedTime(clip);
        byte[] b = Fixtures.withOneSampleChanged(clip);
        Files.write(clip, b);
        Files.setLastModifiedTime(clip, t);
        String after = id(clip, recognizer.packIdentity());
        assertEquals(List.of(after), publishedThroughTheFunction(dir, out));
        assertNotEquals(before, after, "a new version, a new id");
        JsonNode tagged = json.readTree(result.toFile());
        assertNotEquals(firstRequest, tagged.path("requestId").asText(), "tagged again");
        assertEquals(dev.moodtag.support.Sha256.of(b), tagged.at("/source/sha256").asText(), "the result is of the new bytes");
    }

    @Test
    void aSinkThatRefusesForGoodEndsAsFailedToPublishPerObject() throws Exception {
        Path dir = FileTrees.recreate(ROOT.resolve("refused"));
        Files.copy(Fixtures.sample("John_Brady_0002.jpg"), dir.resolve("a.jpg"));
        Path out = ROOT.resolve("refused-report");
        // A sink that answers 400 (the contract's "unparsable event") refuses the event itself: permanent, reported
        // per object, never retried, and not acknowledged in the log. (A 404 is the endpoint not there yet: retried.)
        com.sun.net.httpserver.HttpServer refusing = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        refusing.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                requests.incrementAndGet();
                ex.sendResponseHeaders(400, -1);
            }
        });
        refusing.start();
        try {
            String url = "http://127.0.0.1:" + refusing.getAddress().getPort() + "/";
            InProcessCli.Run run = InProcessCli.run("tag", dir.toString(), "--publish", url, "--out", out.toString());
            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.output().matches("(?s).*failed-to-publish " + java.util.regex.Pattern.quote(uri(dir.resolve("a.jpg")))
                    + ": the sink refused the event for good: HTTP 400.*"), run.output());
        } finally {
            refusing.stop(0);
        }
        List<JsonNode> lines = journal(out.resolve("publish-log.jsonl"));
        assertEquals(1, lines.size());
        assertEquals(1, lines.get(0).path("attempts").asInt(), "a permanent refusal is not retried");
        assertEquals(1, requests.get(), "a permanent refusal is not retried");
        assertTrue(Files.notExists(dir.resolve("a.jpg.emotion.json")));
    }

    /**
     * Ctrl-C while an event is in flight: that event ends (published when its answer comes before the stop is seen,
     * else cancelled as not known to have arrived: StopDuringWaitTest), and every object not yet begun ends stopped before it
     * was sent without a look at the store. Each was still checked first (its stat and its result: two requests per
     * object on S3, three with its head), so the summary of a stopped 100,000-object publish waited for 200,000.
     */
    @Test
    void aStopLeavesTheObjectsNotYetBegunUnreadInTheStore() throws Exception {
        Path dir = FileTrees.recreate(ROOT.resolve("stopped"));
        int objects = 20;
        for (int i = 0; i < objects; i++) Files.copy(Fixtures.sample("John_Brady_0002.jpg"), dir.resolve("f" + i + ".jpg"));
        AtomicInteger looks = new AtomicInteger(), looksAtStop =
                new AtomicInteger(-1), requests = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<BatchItem> items = sources.resolve(dir.toString(), ".emotion.json").stream()
                .map(i -> new BatchItem(i.ref(), new CountingStore(i.store(), looks), i.named())).toList();
        assertEquals(objects, items.size());
        // The sink takes the first event as Ctrl-C comes: the stop is raised while it is in flight.
        com.sun.net.httpserver.HttpServer sink = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
        sink.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                if (requests.incrementAndGet() == 1) {
                    looksAtStop.set(looks.get());
                    stop.set(true);
                }
                ex.sendResponseHeaders(202, -1);
            }
        });
        sink.start();
        List<PublishRecord> records;
        try (PublishJournal journal = PublishJournal.open(ROOT.resolve("stopped-report/publish-log.jsonl"))) {
            records = publisher.publish(items, new ArchivePublisher.Options(URI.create("http://127.0.0.1:"
                    + sink.getAddress().getPort() + "/"), Optional.of(1000.0), Optional.of(1), false),
                    journal, (r, done, total) -> {
                    }, stop);
        } finally {
            sink.stop(0);
        }
        assertEquals(1, requests.get(), "only the event in flight was sent");
        // The sink raises the stop and answers 202 at once: the answer and the stop race, either end is the truth
        assertEquals(1, records.stream().filter(r -> r.state() == PublishState.PUBLISHED
                || CloudEventSender.STOPPED_IN_FLIGHT.equals(r.reason())).count(), records.toString());
        assertEquals(objects - 1, records.stream().filter(r -> r.state() == PublishState.FAILED
                && CloudEventSender.STOPPED_BEFORE_SENT.equals(r.reason())).count(), records.toString());
        assertEquals(0, looks.get() - looksAtStop.get(), "looks at the store after the stop, for " + (objects - 1)
                + " objects not yet begun");
    }

    /** A store that counts every look at an object (its stat and its bytes), passing each on. */
    private static final class CountingStore extends ForwardingStorage {
        private final AtomicInteger looks;

        CountingStore(ObjectStorage store, AtomicInteger looks) {
            super(store);
            this.looks = looks;
        }

        @Override
        public Optional<ObjectInfo> stat(ObjectRef ref) {
            looks.incrementAndGet();
            return store.stat(ref);
        }

        @Override
        public <T> T read(ObjectRef ref, ContentReader<T> reader) {
            looks.incrementAndGet();
            return store.read(ref, reader);
        }

        @Override
        public <T> T read(ObjectInfo stat, ContentReader<T> reader) {
            looks.incrementAndGet();
            return store.read(stat, reader);
        }
    }

    /** The ids of the events {@code tag dir --publish} sent, through a sink that hands each to the function. */
    private List<String> publishedThroughTheFunction(Path dir, Path out) throws Exception {
        try (FlakySink sink = new FlakySink(function.toURI(), 0, 0)) {
            InProcessCli.Run run = InProcessCli.run("tag", dir.toString(), "--publish", sink.uri().toString(), "--out",
                    out.toString());
            assertEquals(0, run.exitCode(), run.output());
            return sink.ids();
        }
    }

    private List<JsonNode> journal(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (IOException e) {
                return null;
            }
        }).filter(n -> n != null && n.isObject()).toList();
    }

    private static String uri(Path file) {
        return "file://" + file;
    }

    /** The event id of the file as it is now. */
    private static String id(Path file, String pack) {
        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(file.getParent());
        return EventIds.of(uri(file), EventIds.version(store.stat(store.refFor(file)).orElseThrow()), pack);
    }
}
