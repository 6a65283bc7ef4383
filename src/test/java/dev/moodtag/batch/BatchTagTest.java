package dev.moodtag.batch;

import dev.moodtag.function.FileTrees;
import dev.moodtag.function.FunctionFixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.storage.CopiedObject;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch tagging of a folder through the function's per-object path: good files get results beside them, corrupt and
 * unsupported ones clear failures; a stopped batch keeps what it finished and a rerun continues without redoing it.
 */
@QuarkusTest
@TestProfile(BatchTagTest.Profile.class)
@Tag("quarkus")
class BatchTagTest {

    static final Path WORK = Path.of("target", "batch-test").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("moodtag.onnx.device", "cpu");
        }
    }

    @Inject
    BatchSources sources;
    @Inject
    BatchTagger tagger;
    @Inject
    Recognizer recognizer;
    @Inject
    ArchiveStatus status;

    private static Path copySamples(Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        for (String n : names) Files.copy(Fixtures.sample(n), dir.resolve(n));
        return dir;
    }

    private BatchSummary run(Path dir, int workers, BatchTagger.Listener listener, AtomicBoolean stop) {
        return tagger.tag(sources.resolve(dir.toString(), ".emotion.json"), workers, false, listener, stop);
    }

    @Test
    void goodFilesAreTaggedAndCorruptAndUnsupportedOnesFailClearly() throws IOException {
        Path dir = WORK.resolve("mixed");
        FileTrees.deleteQuietly(dir);
        copySamples(dir, "03a05Fc.wav", "Cole_Chapman_0001.jpg", "01-01-01-01-01-01-01.mp4", "01-01-01-01-01-01-01.txt");
        Files.createDirectories(dir.resolve("sub"));
        byte[] wav = Files.readAllBytes(Fixtures.sample("03b01Wa.wav"));
        Files.write(dir.resolve("sub/cut.wav"), java.util.Arrays.copyOf(wav, wav.length / 3)); // truncated
        Files.write(dir.resolve("garbage.mp4"), "%PDF-1.4\n% not a video at all\n".getBytes());   // unsupported
        Files.writeString(dir.resolve("notes.docx"), "meeting notes");                           // not media

        BatchSummary s = run(dir, 2, (row, done, total) -> { }, new AtomicBoolean());
        Map<String, BatchRow> rows = s.rows().stream().collect(Collectors.toMap(r -> name(r.object()), r -> r));
        assertEquals(6, rows.size(), "the sidecar transcript is not an object of its own: " + rows.keySet());
        for (String good : List.of("03a05Fc.wav", "Cole_Chapman_0001.jpg", "01-01-01-01-01-01-01.mp4")) {
            BatchRow r = rows.get(good);
            assertEquals("processed", r.outcome(), r.toString());
            assertEquals("labelled", r.status(), r.toString());
            assertFalse(r.failed());
            FunctionFixtures.validResult(Files.readAllBytes(dir.resolve(good + ".emotion.json")));
        }
        assertEquals("error", rows.get("cut.wav").status());
        assertTrue(rows.get("cut.wav").reason().startsWith("truncated: "), rows.get("cut.wav").reason());
        assertTrue(rows.get("garbage.mp4").reason().startsWith("unsupported: "), rows.get("garbage.mp4").reason());
        assertEquals("ignored", rows.get("notes.docx").outcome());
        assertTrue(rows.get("notes.docx").reason().contains("not a media file name"), rows.get("notes.docx").reason());
        assertEquals(2, s.failures().size(), "the two bad media files; notes.docx is ignored, not failed: " + s.failures());
        assertEquals(List.of(rows.get("notes.docx")), s.ignored());
        assertEquals(3, s.labels().values().stream().mapToLong(Long::longValue).sum());
        // An error result is written for a bad media file too, so the function and a rerun know it was tried.
        FunctionFixtures.validResult(Files.readAllBytes(dir.resolve("sub/cut.wav.emotion.json")));

        // A rerun skips everything, and still names what was wrong with the bad files.
        BatchSummary again = run(dir, 2, (row, done, total) -> { }, new AtomicBoolean());
        Map<String, BatchRow> rerun = again.rows().stream().collect(Collectors.toMap(r -> name(r.object()), r -> r));
        assertEquals("skipped", rerun.get("cut.wav").outcome());
        assertTrue(rerun.get("cut.wav").reason().startsWith("truncated: "), rerun.get("cut.wav").reason());
        assertEquals(2, again.failures().size(), again.failures().toString());

        Path out = WORK.resolve("mixed-report");
        Path html = new BatchReport().write(s, out, "mixed folder");
        List<String> jsonl = Files.readAllLines(out.resolve("index.jsonl"));
        assertEquals(6, jsonl.size());
        JsonNode first = new ObjectMapper().readTree(jsonl.get(0));
        assertTrue(first.has("outcome") && first.has("label") && first.has("reason") && !first.has("result"), first.toString());
        List<String> csv = Files.readAllLines(out.resolve("index.csv"));
        assertEquals("object,outcome,status,label,segments,dominant,reason,result,seconds", csv.get(0));
        assertEquals(7, csv.size());
        String report = Files.readString(html);
        assertTrue(report.contains("<svg") && report.contains("garbage.mp4") && report.contains("truncated"), "report lists failures");
        assertFalse(report.contains("src=") || report.contains("<script") || report.contains("<link"), "self-contained");
    }

    @Test
    void aStoppedBatchResumesWithoutRedoingFinishedFiles() throws IOException {
        Path dir = WORK.resolve("resume");
        FileTrees.deleteQuietly(dir);
        copySamples(dir, "03a05Fc.wav", "03b01Wa.wav", "03b09Tc.wav", "John_Brady_0002.jpg");
        AtomicBoolean stop = new AtomicBoolean();
        // One worker, stopped as the first file finishes: like Ctrl-C in the middle of an archive.
        BatchSummary first = run(dir, 1, (row, done, total) -> stop.set(true), stop);
        assertTrue(first.stopped());
        List<BatchRow> done = first.rows().stream().filter(r -> r.outcome().equals("processed")).toList();
        assertEquals(1, done.size(), first.rows().toString());
        assertEquals(3, first.rows().stream().filter(r -> r.outcome().equals(BatchTagger.NOT_RUN)).count());
        Path finished = dir.resolve(name(done.get(0).object()) + ".emotion.json");
        FileTime finishedAt = Files.getLastModifiedTime(finished);
        String finishedContent = Files.readString(finished);
        // What a process killed during the rename would leave, some time ago: the rerun removes it (one written in the
        // last minute may be a live writer's, and stays).
        Path abandoned = Files.writeString(dir.resolve(".03b09Tc.wav.emotion.json123456.part"), "{\"partial\":");
        Files.setLastModifiedTime(abandoned, FileTime.from(java.time.Instant.now().minusSeconds(3600)));

        Map<String, Integer> seen = new HashMap<>();
        BatchSummary second = run(dir, 2, (row, n, total) -> seen.merge(row.outcome(), 1, Integer::sum), new AtomicBoolean());
        assertFalse(second.stopped());
        assertEquals(Map.of("skipped", 1, "processed", 3), seen);
        BatchRow again = second.rows().stream().filter(r -> r.object().equals(done.get(0).object())).findFirst().orElseThrow();
        assertEquals("skipped", again.outcome());
        assertTrue(again.reason().contains("--force") && !again.reason().contains("\"force\""),
                "the CLI's own flag, not the event's field: " + again.reason());
        assertEquals(done.get(0).label(), again.label(), "a skipped object still reports its label");
        assertEquals(finishedAt, Files.getLastModifiedTime(finished), "the finished file was not redone");
        assertEquals(finishedContent, Files.readString(finished));
        assertTrue(second.failures().isEmpty(), second.failures().toString());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(8, names.size(), "4 media + 4 results, no partial or temporary files: " + names);
            assertTrue(names.stream().noneMatch(n -> n.startsWith(".") || n.endsWith(".part")), names.toString());
        }
        assertNull(second.rows().stream().filter(r -> r.outcome().equals(BatchTagger.NOT_RUN)).findAny().orElse(null));
    }

    @Test
    void anObjectDeletedWhileItIsTaggedGetsNoOrphanResult() throws IOException {
        Path dir = WORK.resolve("deleted");
        FileTrees.deleteQuietly(dir);
        copySamples(dir, "03b01Wa.wav");
        // The user deletes the original while it is tagged.
        LocalObjectStorage store = storeWhereAfterCopying(dir, FileTrees::deleteQuietly);
        ObjectOutcome o = recognizer.recognize(store.refFor(dir.resolve("03b01Wa.wav")), store, false, "deleted-1");
        assertEquals("failed", o.outcome(), o.toString());
        assertTrue(o.reason().contains("deleted while it was tagged"), o.reason());
        assertFalse(Files.exists(dir.resolve("03b01Wa.wav.emotion.json")), "no orphan result");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing left behind");
        }
    }

    /**
     * An object replaced while it is tagged (an upload over it; with two replicas, the other may already have tagged
     * the new version) gets no result for the old bytes. Before, only deletion was checked, and the old version's
     * result overwrote the new one's for good (found by a review). A batch's object fails so (nothing else tags the new
     * version); an event's is skipped, its new version's event tags it.
     */
    @Test
    void anObjectReplacedWhileItIsTaggedGetsNoResultForTheOldVersion() throws IOException {
        Path dir = WORK.resolve("replaced");
        FileTrees.deleteQuietly(dir);
        copySamples(dir, "03b01Wa.wav");
        LocalObjectStorage store = storeWhereAfterCopying(dir, original -> {
            try {
                Files.copy(Fixtures.sample("03a05Fc.wav"), original, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ObjectOutcome o = recognizer.recognize(store.refFor(dir.resolve("03b01Wa.wav")), store, false, "replaced-1");
        assertEquals("failed", o.outcome(), o.toString());
        assertTrue(o.reason().contains("changed while it was read for tagging (size "), o.reason());
        assertFalse(Files.exists(dir.resolve("03b01Wa.wav.emotion.json")), "no result for the old bytes");
    }

    /**
     * A long recording's result can be any size (its timeline holds every segment). One over 4 MB could not be read
     * back, so its object was tagged again on every run and every event. And a batch held every object's result until
     * it ended, growing with the archive; it now keeps only the timelines its report draws. Both found by a review.
     */
    @Test
    void resultsOfAnySizeAreDoneAndABatchKeepsOnlyTheTimelinesItDraws() throws IOException {
        Path dir = WORK.resolve("many-long");
        FileTrees.deleteQuietly(dir);
        copySamples(dir, "03a05Fc.wav");
        assertEquals("processed", run(dir, 1, (row, done, total) -> { }, new AtomicBoolean()).rows().get(0).outcome());
        Path media = dir.resolve("03a05Fc.wav");
        ObjectNode tagged = (ObjectNode) new ObjectMapper().readTree(dir.resolve("03a05Fc.wav.emotion.json").toFile());
        String label = tagged.path("label").asText();
        // Copies of the clip, each with the clip's own result (same pack, same size and time) as a long recording has
        // it: a timeline and its summary. The first copy's result is 6 MB.
        int copies = 24;
        for (int i = 0; i < copies; i++) {
            Path copy = Files.copy(media, dir.resolve(String.format("long%02d.wav", i)));
            Files.setLastModifiedTime(copy, Files.getLastModifiedTime(media));
            ObjectNode r = tagged.deepCopy();
            // The copy's own file version: the clip's names another file, whose result this is not.
            ObjectNode source = (ObjectNode) r.path("source");
            dev.moodtag.storage.FileVersion.of(copy, null).ifPresentOrElse(v -> source.put("fileVersion", v),
                    () -> source.remove("fileVersion"));
            ObjectNode timeline = r.putObject("timeline").put("durationSeconds", 50_000.0).put("segmentation", "vad");
            var segments = timeline.putArray("segments");
            for (int k = 0; k < (i == 0 ? 30_000 : 3); k++) {
                ObjectNode seg = segments.addObject().put("start", 3.0 * k).put("end", 3.0 * k + 2).put("status", "labelled")
                        .put("label", label);
                seg.putObject("probabilities").put(label, 0.9);
                seg.putObject("transcript").put("source", "asr").put("text", "and so we went back to the house to see what was left of it");
            }
            r.putObject("summary").put("dominant", label);
            new ObjectMapper().writeValue(dir.resolve(copy.getFileName() + ".emotion.json").toFile(), r);
        }
        assertTrue(Files.size(dir.resolve("long00.wav.emotion.json")) > 5 << 20);

        BatchSummary again = run(dir, 2, (row, done, total) -> { }, new AtomicBoolean());
        assertEquals(Map.of("skipped", (long) copies + 1), again.outcomes(), "nothing tagged again");
        BatchRow big = again.rows().stream().filter(r -> name(r.object()).equals("long00.wav")).findFirst().orElseThrow();
        assertEquals(30_000, big.segments(), big.toString());
        assertEquals(label, big.dominant());
        for (BatchSummary s : List.of(again, status.scan(sources.resolve(dir.toString(), ".emotion.json")))) {
            List<String> kept = s.rows().stream().filter(r -> r.drawing() != null).map(r -> name(r.object())).toList();
            assertEquals(java.util.stream.IntStream.range(0, BatchReport.MAX_TIMELINES)
                    .mapToObj(i -> String.format("long%02d.wav", i)).toList(), kept, "the timelines the report draws, no more");
            assertEquals(30_000, s.rows().stream().filter(r -> name(r.object()).equals("long00.wav")).findFirst()
                    .orElseThrow().segments());
            assertEquals(tagged.path("classifier").path("classes").size(), s.classes().size());
        }
        String report = Files.readString(new BatchReport().write(again, WORK.resolve("many-long-report"), "long"));
        assertTrue(report.contains("long00.wav</h2>"), "the big timeline is drawn");
        assertTrue(report.contains("30000 segments by vad"), "its segments are drawn from the whole result");
        assertTrue(report.contains("Further timelines are in the result files"), "25 timelines, 20 drawn: the report says so");
    }

    /**
     * Where a result should be, an mp4's bytes (which Jackson cannot even decode) are no result: the object is tagged
     * again, not answered "retry" for good. A result damaged after its head is current by its head everywhere (skip,
     * status), and the rows say it is damaged. Both found by a review.
     */
    @Test
    void aResultThatIsNotJsonIsRedoneAndOneDamagedAfterItsHeadIsSaidSo() throws IOException {
        Path dir = WORK.resolve("damaged");
        FileTrees.deleteQuietly(dir);
        copySamples(dir, "03a05Fc.wav");
        Path result = dir.resolve("03a05Fc.wav.emotion.json");
        assertEquals("processed", run(dir, 1, (row, done, total) -> { }, new AtomicBoolean()).rows().get(0).outcome());
        String whole = Files.readString(result);
        Files.write(result, new byte[]{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0, 'i', 's', 'o', 'm'});
        BatchRow redone = run(dir, 1, (row, done, total) -> { }, new AtomicBoolean()).rows().get(0);
        assertEquals("processed", redone.outcome(), redone.toString());
        whole = Files.readString(result);
        Files.writeString(result, whole.substring(0, whole.indexOf("\"timingsMs\"") + 14)); // cut short after the head
        BatchRow skipped = run(dir, 1, (row, done, total) -> { }, new AtomicBoolean()).rows().get(0);
        assertEquals("skipped", skipped.outcome());
        assertTrue(skipped.reason().contains("cannot be read past its first fields"), skipped.reason());
        BatchRow current = status.scan(sources.resolve(dir.toString(), ".emotion.json")).rows().get(0);
        assertEquals("processed", current.outcome(), "current by its head, as skip-if-done decides: " + current);
        assertTrue(current.reason().contains("cannot be read past its first fields"), current.reason());
    }

    /**
     * A media archive holding a web project: its TypeScript sources (.ts, .mts) share the transport stream's names. A
     * folder walk passes them over as not media, counted and named as ignored, with no result written beside them; the
     * transport stream beside them, and one whose first packet is damaged, are tagged. Named explicitly, a TypeScript
     * file is still tried and its error says what it is. Before, each source file was a failure of the batch with an
     * error result beside it ("unsupported: this is a text file").
     */
    @Test
    void typeScriptSourcesBesideATransportStreamAreNotMediaInAFolderWalk() throws Exception {
        Path dir = WORK.resolve("web-project");
        FileTrees.deleteQuietly(dir);
        Files.createDirectories(dir.resolve("site/src"));
        Files.writeString(dir.resolve("site/src/app.ts"), dev.moodtag.media.TransportStreamNamesTest.TYPESCRIPT);
        Files.writeString(dir.resolve("site/src/worker.mts"), dev.moodtag.media.TransportStreamNamesTest.TYPESCRIPT);
        // a web project's data beside its source: not a transcript of app.ts, which is no recording
        Files.writeString(dir.resolve("site/src/app.json"), "{\"name\": \"app\", \"version\": \"1.0.0\"}");
        // a recorded utterance as broadcast TS, written by the ffmpeg here
        dev.moodtag.media.TestMediaWriter.ffmpegAt(dir, "-i", Fixtures.sample("03a05Fc.wav").toAbsolutePath().toString(), "-c:a", "mp2",
                "-f", "mpegts", "clip.ts");
        byte[] damaged = Files.readAllBytes(dir.resolve("clip.ts"));
        java.util.Arrays.fill(damaged, 0, 188, (byte) 0);
        Files.write(dir.resolve("damaged-first-packet.ts"), damaged);

        BatchSummary s = run(dir, 2, (row, done, total) -> { }, new AtomicBoolean());
        Map<String, BatchRow> rows = s.rows().stream().collect(Collectors.toMap(r -> name(r.object()), r -> r));
        for (String media : List.of("clip.ts", "damaged-first-packet.ts")) {
            assertEquals("labelled", rows.get(media).status(), rows.get(media).toString());
            assertTrue(Files.exists(dir.resolve(media + ".emotion.json")), media);
        }
        for (String source : List.of("site/src/app.ts", "site/src/worker.mts")) {
            BatchRow r = rows.get(name(source));
            assertEquals("ignored", r.outcome(), r.toString());
            assertTrue(r.reason().contains("not an MPEG transport stream"), r.reason());
            assertFalse(Files.exists(dir.resolve(source + ".emotion.json")), "no result beside " + source);
        }
        BatchRow data = rows.get(name("site/src/app.json"));
        assertNotNull(data, "app.json is listed, not passed over as the transcript of a TypeScript file: " + rows.keySet());
        assertEquals("ignored", data.outcome(), data.toString());
        assertEquals(List.of(), s.failures());
        assertEquals(3, s.ignored().size(), s.ignored().toString());
        ArchiveStatus.Counts counts = ArchiveStatus.Counts.of(status.scan(sources.resolve(dir.toString(), ".emotion.json")), 3);
        assertEquals(3, counts.ignored(), "status agrees: " + counts);
        assertTrue(counts.done(), "nothing left pending: " + counts);

        BatchRow named = tagger.tag(sources.resolve(dir.resolve("site/src/app.ts").toString(), ".emotion.json"), 1, false,
                (row, done, total) -> { }, new AtomicBoolean()).rows().get(0);
        assertEquals("error", named.status(), named.toString());
        assertTrue(named.reason().startsWith("unsupported: ") && named.reason().contains("TypeScript"), named.reason());
    }

    /**
     * A media name of 242 to 255 bytes makes a result name over the 255 bytes a file name can have: that failure is
     * answered before the media is read, for good. Before, it was found only when the result was written, after the
     * whole tagging, on every run (found by a review).
     */
    @Test
    void aResultNameNoFileSystemCanHoldFailsBeforeTheMediaIsRead() throws IOException {
        Path dir = WORK.resolve("long-name");
        FileTrees.deleteQuietly(dir);
        String name = "a".repeat(241) + ".wav"; // 245 bytes; its result's name 258
        Files.createDirectories(dir);
        Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve(name));
        AtomicBoolean read = new AtomicBoolean();
        LocalObjectStorage store = storeWhereAfterCopying(dir, original -> read.set(true));
        BatchSummary s = tagger.tag(List.of(new BatchItem(store.refFor(dir.resolve(name)), store)), 1, false,
                (row, done, total) -> { }, new AtomicBoolean());
        BatchRow row = s.rows().get(0);
        assertEquals("failed", row.outcome(), "not retry: no run can write it: " + row);
        assertTrue(row.reason().contains("258 bytes") && row.reason().contains("at most 255"), row.reason());
        assertFalse(read.get(), "the media was not copied, decoded nor tagged: " + row);
        assertEquals(List.of(row), s.failures());
    }

    /**
     * In a batch, a file replaced while it was tagged is a failure that says to run the batch again: there is no event
     * for the new version. Before, it was "skipped" (not a failure, exit 0) and the row showed the result of an earlier
     * version as if it were current (found by a review).
     */
    @Test
    void aFileReplacedWhileABatchTagsItIsAFailureShowingNoOldResult() throws IOException {
        Path dir = WORK.resolve("replaced-batch");
        FileTrees.deleteQuietly(dir);
        copySamples(dir, "03b01Wa.wav");
        Path media = dir.resolve("03b01Wa.wav");
        assertEquals("processed", run(dir, 1, (row, done, total) -> { }, new AtomicBoolean()).rows().get(0).outcome());
        // A new version, replaced again while the batch tags it (a copy still being written).
        Files.copy(Fixtures.sample("03a05Fc.wav"), media, StandardCopyOption.REPLACE_EXISTING);
        LocalObjectStorage store = storeWhereAfterCopying(dir, original -> {
            try {
                Files.copy(Fixtures.sample("03b09Tc.wav"), original, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        BatchSummary s = tagger.tag(List.of(new BatchItem(store.refFor(media), store)), 1, false,
                (row, done, total) -> { }, new AtomicBoolean());
        BatchRow row = s.rows().get(0);
        assertEquals("failed", row.outcome(), row.toString());
        assertTrue(row.reason().contains("changed while it was read") && row.reason().contains("run the batch again"),
                row.reason());
        assertNull(row.label(), "no earlier version's result shown as current: " + row);
        assertNull(row.status(), row.toString());
        assertNull(row.resultUri(), row.toString());
        assertEquals(List.of(row), s.failures());
    }

    /**
     * An error result that says nothing of the file (a limit in the settings, an encoder that failed, a sidecar
     * transcript to be fixed) is redone by the next run, once the settings or the model are put right; one about the
     * file itself (unsupported, corrupt) is kept until the file changes. Before, every error result of the same pack
     * and file version was skipped until --force; the publisher's check (the function's skip-if-done) follows the
     * same rule.
     */
    @Test
    void anErrorResultNotAboutTheFileIsRedoneAndOneAboutTheFileIsKept() throws IOException {
        Path dir = WORK.resolve("error-results");
        FileTrees.deleteQuietly(dir);
        copySamples(dir, "03a05Fc.wav", "03b01Wa.wav", "John_Brady_0002.jpg");
        Files.write(dir.resolve("garbage.mp4"), "%PDF-1.4\n% not a video at all\n".getBytes());
        run(dir, 2, (row, done, total) -> { }, new AtomicBoolean());
        // What a run with a lower limit, a broken model or a bad sidecar wrote, for the same pack and file versions.
        asError(dir.resolve("03a05Fc.wav.emotion.json"), "limit_exceeded", "longer than the limit of 1 s");
        asError(dir.resolve("03b01Wa.wav.emotion.json"), "internal", "internal error (OrtException: broken model)");
        asError(dir.resolve("John_Brady_0002.jpg.emotion.json"), "bad_transcript", "not valid JSON");

        List<BatchItem> items = sources.resolve(dir.toString(), ".emotion.json");
        Map<String, Boolean> skipsPublish = items.stream().collect(Collectors.toMap(i -> name(i.ref().uri()),
                i -> recognizer.hasCurrentResult(i.ref(), i.store(), i.store().stat(i.ref()).orElseThrow())));
        assertEquals(Map.of("03a05Fc.wav", false, "03b01Wa.wav", false, "John_Brady_0002.jpg", false,
                "garbage.mp4", true), skipsPublish, "what publishing again would send");
        Map<String, BatchRow> rows = run(dir, 2, (row, done, total) -> { }, new AtomicBoolean()).rows().stream()
                .collect(Collectors.toMap(r -> name(r.object()), r -> r));
        for (String redone : List.of("03a05Fc.wav", "03b01Wa.wav", "John_Brady_0002.jpg")) {
            assertEquals("processed", rows.get(redone).outcome(), rows.get(redone).toString());
            assertEquals("labelled", rows.get(redone).status(), rows.get(redone).toString());
        }
        assertEquals("skipped", rows.get("garbage.mp4").outcome(), rows.get("garbage.mp4").toString());
        assertTrue(rows.get("garbage.mp4").reason().startsWith("unsupported: "), rows.get("garbage.mp4").reason());
    }

    private static void asError(Path result, String kind, String message) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(result.toFile());
        doc.put("status", "error");
        doc.putNull("label");
        doc.putNull("probabilities");
        doc.putObject("error").put("kind", kind).put("message", message);
        json.writeValue(result.toFile(), doc);
    }

    /** The real store, where {@code meanwhile} happens to the original once it is copied: while it is tagged. */
    private static LocalObjectStorage storeWhereAfterCopying(Path dir, java.util.function.Consumer<Path> meanwhile) {
        return new LocalObjectStorage(List.of(dir), false) {
            @Override
            public CopiedObject copyTo(ObjectInfo stat, Path target, long maxBytes) {
                CopiedObject copied = super.copyTo(stat, target, maxBytes);
                meanwhile.accept(dir.resolve(stat.ref().key()));
                return copied;
            }
        };
    }

    private static String name(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}
