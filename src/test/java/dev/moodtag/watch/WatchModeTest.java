package dev.moodtag.watch;

import dev.moodtag.function.FileTrees;
import dev.moodtag.function.FunctionFixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The edge box's directory-watch mode with the filesystem storage: real samples dropped into an inbox while the
 * watcher runs are tagged by the function's recognizer, a corrupt file gets an error result and the watcher keeps
 * going, a file still being written is read only once complete, and results can go to an outbox.
 */
@QuarkusTest
@TestProfile(WatchModeTest.Profile.class)
@Tag("quarkus")
class WatchModeTest {

    static final Path WORK = Path.of("target", "watch-mode").toAbsolutePath();
    static final Duration SETTLE = Duration.ofMillis(1500), ERROR_SETTLE = Duration.ofSeconds(10),
            RESCAN = Duration.ofSeconds(1);
    static final long TIMEOUT_MS = 180_000, WRITE_PAUSE_MS = 300;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.deleteQuietly(WORK);
            return Map.of("moodtag.onnx.device", "cpu",
                    // the HTTP function is not what is tested here; a root keeps its readiness meaningful
                    "moodtag.storage.local.roots", WORK.toString());
        }
    }

    @Inject
    InboxWatchers watchers;

    private InboxWatcher watcher;
    private Thread thread;

    @AfterEach
    void stop() throws InterruptedException {
        if (watcher != null) watcher.stop();
        if (thread != null) thread.join(30_000);
    }

    private void start(Path inbox, Optional<Path> outbox) {
        watcher = watchers.create(inbox, outbox, SETTLE, ERROR_SETTLE, RESCAN);
        thread = new Thread(watcher, "inbox-watcher");
        thread.start();
    }

    @Test
    void filesDroppedIntoTheInboxAreTaggedBesideThemAndACorruptOneGetsAnErrorResult() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox"));
        start(inbox, Optional.empty());

        Path wav = copy("03b01Wa.wav", inbox);
        Path video = copy("01-01-01-01-01-01-01.mp4", inbox);
        copy("01-01-01-01-01-01-01.txt", inbox);
        byte[] noise = new byte[64 * 1024];
        ThreadLocalRandom.current().nextBytes(noise);
        Path corrupt = Files.write(inbox.resolve("corrupt.mp4"), noise);

        JsonNode speech = awaitResult(inbox.resolve("03b01Wa.wav.emotion.json"));
        assertEquals("labelled", speech.path("status").asText(), speech.toPrettyString());
        assertEquals("file://" + wav, speech.at("/source/uri").asText());
        assertEquals(Files.size(wav), speech.at("/source/size").asLong());
        assertTrue(speech.at("/modalities/speech/present").asBoolean());

        JsonNode clip = awaitResult(inbox.resolve("01-01-01-01-01-01-01.mp4.emotion.json"));
        assertEquals("file://" + video, clip.at("/source/uri").asText());
        for (String m : new String[]{"text", "speech", "video"})
            assertTrue(clip.at("/modalities/" + m + "/present").asBoolean(), m + " present (transcript sidecar used)");

        JsonNode broken = awaitResult(inbox.resolve("corrupt.mp4.emotion.json"));
        assertEquals("error", broken.path("status").asText());
        assertTrue(broken.path("label").isNull());
        assertFalse(broken.at("/error/message").asText().isBlank(), "the error names the problem");
        assertEquals("file://" + corrupt, broken.at("/source/uri").asText());

        // Still serving after the corrupt file: a file dropped now is tagged too.
        Path face = copy("Cole_Chapman_0001.jpg", inbox);
        JsonNode still = awaitResult(inbox.resolve("Cole_Chapman_0001.jpg.emotion.json"));
        assertEquals("file://" + face, still.at("/source/uri").asText());
        assertTrue(still.at("/modalities/video/present").asBoolean());

        // Results are never tagged themselves, and nothing temporary is left behind.
        Thread.sleep(SETTLE.toMillis() + RESCAN.toMillis() * 2);
        try (Stream<Path> files = Files.list(inbox)) {
            assertTrue(files.map(p -> p.getFileName().toString())
                            .noneMatch(n -> n.endsWith(".emotion.json.emotion.json") || n.startsWith(".") || n.endsWith(".part")),
                    "no result of a result, no partial files");
        }
    }

    /**
     * A TypeScript file dropped into the inbox beside a transport stream is passed over as not media at once: neither
     * held back as a possibly growing file nor given an error result. Before, each was held for the error settle time
     * and then got an error result ("unsupported: this is a text file") beside it.
     */
    @Test
    void aTypeScriptFileInTheInboxIsPassedOverAsNotMedia() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("web-inbox"));
        Path staging = Files.createDirectories(WORK.resolve("web-staging"));
        dev.moodtag.media.TestMediaWriter.ffmpegAt(staging, "-i", Fixtures.sample("03a05Fc.wav").toAbsolutePath().toString(),
                "-c:a", "mp2", "-f", "mpegts", "clip.ts");
        Files.writeString(staging.resolve("app.ts"), dev.moodtag.media.TransportStreamNamesTest.TYPESCRIPT);
        start(inbox, Optional.empty());
        for (String name : List.of("app.ts", "clip.ts"))
            Files.move(staging.resolve(name), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);

        assertEquals("labelled", awaitResult(inbox.resolve("clip.ts.emotion.json")).path("status").asText());
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (watcher.handled() < 2) {
            assertTrue(System.currentTimeMillis() < deadline, "app.ts not handled after " + TIMEOUT_MS + " ms");
            Thread.sleep(200);
        }
        assertEquals(0, watcher.heldBack(), "nothing held back as a file that may still be written");
        assertFalse(Files.exists(inbox.resolve("app.ts.emotion.json")), "no result beside the TypeScript file");
        assertEquals(2, watcher.handled());
    }

    /**
     * A result whose suffix is in another case (an SD card's FAT keeps names as the camera or a copy wrote them) is a
     * result to the watcher as to the function: never handed to the tagger, and left as it is. Before, the watcher
     * compared with case, so it took each such file for an input and handled it (the tagger then ignored it as a result):
     * 3 files handled for the one recording here.
     */
    @Test
    void aResultInAnotherCaseIsNeverHandled() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("case-inbox"));
        byte[] copied = "{\"status\":\"labelled\",\"source\":{\"uri\":\"file:///card/OLD.WAV\"}}".getBytes();
        Path upper = Files.write(inbox.resolve("OLD.WAV.EMOTION.JSON"), copied);
        Path mixed = Files.write(inbox.resolve("take.mp4.Emotion.Json"), copied);
        start(inbox, Optional.empty());
        copy("03b01Wa.wav", inbox);
        assertEquals("labelled", awaitResult(inbox.resolve("03b01Wa.wav.emotion.json")).path("status").asText());
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (watcher.handled() < 1) {
            assertTrue(System.currentTimeMillis() < deadline, "the recording not handled after " + TIMEOUT_MS + " ms");
            Thread.sleep(50);
        }
        Thread.sleep(SETTLE.toMillis() + RESCAN.toMillis() * 3); // long enough for the results to settle, were they inputs
        assertEquals(1, watcher.handled(), "only the recording handled");
        assertArrayEquals(copied, Files.readAllBytes(upper));
        assertArrayEquals(copied, Files.readAllBytes(mixed));
        assertFalse(Files.exists(inbox.resolve("OLD.WAV.EMOTION.JSON.emotion.json")), "no result of a result");
    }

    /**
     * An inbox given as a link to a folder (an SD card's mount point) is watched where it leads. Before, the scan
     * walked the link itself, listed nothing and tagged nothing, without a word (found by a review).
     */
    @Test
    void anInboxGivenAsALinkIsWatchedWhereItLeads() throws Exception {
        Path real = Files.createDirectories(WORK.resolve("card-inbox"));
        Path link = WORK.resolve("linked-inbox");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, real);
        start(link, Optional.empty());
        Path wav = copy("03b01Wa.wav", link);
        JsonNode speech = awaitResult(real.resolve("03b01Wa.wav.emotion.json"));
        assertEquals("labelled", speech.path("status").asText(), speech.toPrettyString());
        assertEquals("file://" + real.toRealPath().resolve("03b01Wa.wav"), speech.at("/source/uri").asText());
        assertTrue(Files.isRegularFile(wav));
    }

    @Test
    void aFileStillBeingWrittenIsTaggedWhenCompleteAndResultsCanGoToAnOutbox() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox2"));
        Path outbox = WORK.resolve("outbox2");
        Path session = Files.createDirectories(inbox.resolve("session 1"));
        start(inbox, Optional.of(outbox));
        Thread.sleep(RESCAN.toMillis() * 2); // watching the sub-folder: its file events now wake the watcher at once

        byte[] wav = Files.readAllBytes(Fixtures.sample("03a05Fc.wav"));
        Path target = session.resolve("03a05Fc.wav");
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(wav, 0, wav.length / 2);
            out.flush();
            Thread.sleep(WRITE_PAUSE_MS); // a recorder still writing: well inside the settle time
            out.write(wav, wav.length / 2, wav.length - wav.length / 2);
        }

        JsonNode r = awaitResult(outbox.resolve("session 1/03a05Fc.wav.emotion.json"));
        assertEquals(wav.length, r.at("/source/size").asLong(), "read once complete, never half-written");
        assertEquals("file://" + target, r.at("/source/uri").asText());
        assertFalse(Files.exists(session.resolve("03a05Fc.wav.emotion.json")), "the outbox, not beside the media");
    }

    @Test
    void danglingLinksNeitherStopTheWatcherNorHideFilesInSubFoldersAndOldPartFilesAreRemovedAtStart() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox3"));
        Path sub = Files.createDirectories(inbox.resolve("sub"));
        // Many dangling links in both folders: whatever the directory order, one comes before the file below.
        for (int i = 0; i < 20; i++) {
            Files.createSymbolicLink(inbox.resolve("broken-" + i + ".wav"), WORK.resolve("nothing-" + i + ".wav"));
            Files.createSymbolicLink(sub.resolve("broken-" + i + ".mp4"), WORK.resolve("nothing-" + i + ".mp4"));
        }
        // What a process killed between writing and renaming a result leaves; a fresh one may be a live write.
        Path abandoned = Files.writeString(sub.resolve(".x.wav.emotion.json123.part"), "{\"partial\":");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path live = Files.writeString(sub.resolve(".y.wav.emotion.json456.part"), "{\"partial\":");
        start(inbox, Optional.empty());
        assertFalse(Files.exists(abandoned), "an old partial result is removed when watching starts");
        assertTrue(Files.exists(live), "a fresh one is left to its writer");

        Path wav = copy("03b01Wa.wav", sub);
        JsonNode r = awaitResult(sub.resolve("03b01Wa.wav.emotion.json"));
        assertEquals("file://" + wav, r.at("/source/uri").asText());
        assertEquals("labelled", r.path("status").asText());
    }

    @Test
    void aWriterPausingLongerThanTheSettleTimeGetsNoInterimErrorResult() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox4"));
        start(inbox, Optional.empty());
        byte[] wav = Files.readAllBytes(Fixtures.sample("03a05Fc.wav"));
        Path target = inbox.resolve("03a05Fc.wav");
        Path result = inbox.resolve("03a05Fc.wav.emotion.json");
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(wav, 0, wav.length / 2);
            out.flush();
            // The recorder pauses until the watcher has tried the half file (a truncated wav: an error).
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (watcher.heldBack() == 0) {
                assertTrue(System.currentTimeMillis() < deadline, "the half-written file was never tried");
                Thread.sleep(100);
            }
            assertFalse(Files.exists(result), "no interim error result beside the file");
            assertEquals(0, watcher.handled());
            out.write(wav, wav.length / 2, wav.length - wav.length / 2);
        }
        JsonNode r = awaitResult(result);
        assertEquals("labelled", r.path("status").asText(), r.toPrettyString());
        assertEquals(wav.length, r.at("/source/size").asLong(), "the result is the complete file's");
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (watcher.handled() == 0) { // counted just after the result is written
            assertTrue(System.currentTimeMillis() < deadline, "the final try was never counted");
            Thread.sleep(50);
        }
        assertEquals(1, watcher.heldBack(), "tried twice in all: once held, once final");
        assertEquals(1, watcher.handled());
    }

    /**
     * An outbox missing for a while (a disk not mounted yet) leaves the file to be tagged again, and its result is
     * written once the outbox is back. Before, the result write answered NOT_FOUND, permanent: the file was marked
     * done and never got a result.
     */
    @Test
    void aFileWhoseOutboxIsMissingForAWhileGetsItsResultOnceTheOutboxIsBack() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox5"));
        Path outbox = startWithoutItsOutbox(inbox, WORK.resolve("outbox5"));
        copy("03b01Wa.wav", inbox);
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (watcher.retried() == 0 && watcher.handled() == 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the file was never tried");
            Thread.sleep(100);
        }
        assertEquals(0, watcher.handled(), "not done while its result cannot be written");
        Files.createDirectories(outbox);
        JsonNode r = awaitResult(outbox.resolve("03b01Wa.wav.emotion.json"));
        assertEquals("labelled", r.path("status").asText(), r.toPrettyString());
    }

    /**
     * A recording being written fires a watch event per flush. Each event made the watcher walk the whole inbox at
     * once, so a large inbox was walked without pause for as long as anything was written (found by a review: 34 full
     * walks of 20,000 files in 5 s). Scans now come at most every settle/4 while files are pending.
     */
    @Test
    void aFileBeingWrittenDoesNotMakeTheWatcherScanOnEveryWrite() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox6"));
        start(inbox, Optional.empty());
        Path growing = inbox.resolve("growing.wav");
        long before = watcher.scans();
        long t0 = System.nanoTime();
        int writes = 0;
        try (OutputStream out = Files.newOutputStream(growing)) {
            while (System.nanoTime() - t0 < 3_000_000_000L) {
                out.write(new byte[512]);
                out.flush();
                writes++;
                Thread.sleep(10);
            }
        }
        long scans = watcher.scans() - before;
        Files.delete(growing);
        // at most one scan per settle/4 (375 ms) over 3 s, and a few for timing at either end
        assertTrue(scans <= 14, scans + " scans for " + writes + " writes in 3 s");
    }

    /**
     * A try whose result cannot be written for now (a full disk, an outbox not mounted) is tried again later, each
     * time waiting longer: a failure at write time comes after the whole file was decoded and embedded, and trying
     * every scan redid that work every few seconds (found by a review).
     */
    @Test
    void triesOfAFileWhoseResultCannotBeWrittenBackOff() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox7"));
        Path outbox = startWithoutItsOutbox(inbox, WORK.resolve("outbox7"));
        long t0 = System.nanoTime();
        copy("03b01Wa.wav", inbox);
        awaitTries(3, t0);
        long scans = watcher.scans(), t3 = System.nanoTime();
        awaitTries(4, t0);
        double waited = (System.nanoTime() - t3) / 1e9;
        long secondsToFourth = (System.nanoTime() - t0) / 1_000_000_000L;
        // settle 1.5 s, then waits of 1.5, 3 and 6 s: the 4th try comes after 12 s or more, where every scan after
        // settling made one each 1.5-2.5 s (8 tries in 20 s)
        assertTrue(secondsToFourth >= 11, "4 tries in " + secondsToFourth + " s");
        // While it waits out its 6 s, the file does not make the watcher scan every settle/4 (375 ms: 15 scans in one
        // run); the rescan (1 s here) still comes, and one when the try is due (found by a review)
        long during = watcher.scans() - scans;
        assertTrue(during <= waited + 3, during + " scans while the file waited " + waited + " s for its 4th try");
        assertEquals(0, watcher.handled());

        // A new version of the file is new work: it waits to settle, not out the 12 s its predecessor earned
        Files.createDirectories(outbox);
        long t1 = System.nanoTime();
        Path tmp = Files.copy(Fixtures.sample("03a05Fc.wav"), inbox.resolve(".03b01Wa.wav.tmp"));
        Files.move(tmp, inbox.resolve("03b01Wa.wav"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        JsonNode r = awaitResult(outbox.resolve("03b01Wa.wav.emotion.json"));
        long seconds = (System.nanoTime() - t1) / 1_000_000_000L;
        assertTrue(seconds < 9, "the new version was tagged after " + seconds + " s");
        assertEquals("labelled", r.path("status").asText(), r.toPrettyString());
        assertEquals(Duration.ofSeconds(3), InboxWatcher.retryDelay(Duration.ofMillis(1500), 2));
        assertEquals(InboxWatcher.MAX_RETRY_DELAY, InboxWatcher.retryDelay(Duration.ofSeconds(2), 1_000));
    }

    /**
     * A tagged file that is deleted, renamed, or replaced by a folder or a link takes its result with it, beside the media and in
     * an outbox, once the watcher sees it gone; a result that names another file is left. Before, each such result stayed
     * for good, describing bytes no longer there (found by the watch race campaign, WatchRaceCampaignTest).
     */
    @Test
    void aTaggedFileThatGoesTakesItsResultWithIt() throws Exception {
        for (boolean useOutbox : new boolean[]{false, true}) {
            Path inbox = Files.createDirectories(WORK.resolve("inbox9-" + useOutbox));
            Optional<Path> outbox = useOutbox ? Optional.of(WORK.resolve("outbox9")) : Optional.empty();
            Path results = outbox.orElse(inbox);
            start(inbox, outbox);
            Path a = copy("03b01Wa.wav", inbox), b = copy("03a05Fc.wav", inbox), c = copy("03b09Tc.wav", inbox),
                    d = copy("John_Brady_0002.jpg", inbox);
            for (String name : List.of("03b01Wa.wav", "03a05Fc.wav", "03b09Tc.wav", "John_Brady_0002.jpg"))
                awaitResult(results.resolve(name + ".emotion.json"));
            // A result written by hand (or by another tool) for a file that never was here is not the watcher's to remove.
            Path foreign = Files.writeString(results.resolve("elsewhere.wav.emotion.json"), "{\"source\":{\"uri\":\"file:///x\"}}");
            // The count moves once the try has returned, a moment after its result is written: read before the 4th had
            // moved it, the baseline was one short and the check below saw one try too many (CI under load: 6 for 5)
            long settled = System.currentTimeMillis() + 30_000;
            while (watcher.handled() < 4) {
                assertTrue(System.currentTimeMillis() < settled, "the 4 tries were never counted: " + watcher.handled());
                Thread.sleep(20);
            }
            long handled = watcher.handled();

            Files.delete(a);
            Files.move(b, inbox.resolve("renamed.wav"), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(c);
            Files.createDirectories(c);
            Files.delete(d);
            Files.createSymbolicLink(d, Fixtures.sample("Cole_Chapman_0001.jpg").toAbsolutePath());
            awaitResult(results.resolve("renamed.wav.emotion.json"));
            long deadline = System.currentTimeMillis() + 30_000; // a rescan is 1 s
            for (String gone : List.of("03b01Wa.wav", "03a05Fc.wav", "03b09Tc.wav", "John_Brady_0002.jpg"))
                while (!useOutbox && Files.exists(results.resolve(gone + ".emotion.json"))) {
                    assertTrue(System.currentTimeMillis() < deadline, "the result of " + gone + " is still there");
                    Thread.sleep(200);
                }
            assertTrue(Files.exists(foreign), "a result naming another file is left");
            while (watcher.handled() < handled + 2) {
                assertTrue(System.currentTimeMillis() < deadline, "the renamed file was never counted");
                Thread.sleep(50);
            }
            Thread.sleep(RESCAN.toMillis() * 2);
            assertEquals(handled + 2, watcher.handled(), "only the renamed file and the link tried again");
            // An outbox keeps every result: it is where a user collects them, and may clear the inbox once tagged.
            if (useOutbox)
                for (String gone : List.of("03b01Wa.wav", "03a05Fc.wav", "03b09Tc.wav", "John_Brady_0002.jpg"))
                    assertTrue(Files.exists(results.resolve(gone + ".emotion.json")), "the outbox lost " + gone + "'s result");
            stop();
        }
    }

    /**
     * A file named as the result of a tagged file that goes is read only as far as a result's head (its first fields,
     * within 4 MiB) to tell whether it names that file, as skip-if-done reads it; a file whose head is not there is not
     * a result and is left. Before, the whole file was parsed into memory whatever its size: a planted file of any
     * size was read to its end, and one with 5 MB before its source naming the file was removed.
     */
    @Test
    void aFileNamedAsAResultIsReadOnlyAsFarAsAResultsHeadWhenItsFileGoes() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox10"));
        start(inbox, Optional.empty());
        Path a = copy("03b01Wa.wav", inbox), b = copy("03a05Fc.wav", inbox);
        JsonNode ra = awaitResult(inbox.resolve("03b01Wa.wav.emotion.json"));
        JsonNode rb = awaitResult(inbox.resolve("03a05Fc.wav.emotion.json"));
        // Its source first, then 5 MB: a document that names the file, but without a result's head in 4 MiB.
        Path planted = inbox.resolve("03b01Wa.wav.emotion.json");
        String uri = ra.at("/source/uri").asText();
        Files.writeString(planted, "{\"pad\":\"" + "x".repeat(5 << 20) + "\",\"source\":{\"uri\":\"" + uri + "\"}}");
        Files.delete(a);
        Files.delete(b);
        long deadline = System.currentTimeMillis() + 30_000; // a rescan is 1 s
        while (Files.exists(inbox.resolve("03a05Fc.wav.emotion.json"))) {
            assertTrue(System.currentTimeMillis() < deadline, "the result of the other file is still there: " + rb);
            Thread.sleep(200);
        }
        Thread.sleep(RESCAN.toMillis() * 2);
        assertTrue(Files.exists(planted), "a file without a result's head was taken for the result of the file that went");
        stop();
    }

    /**
     * A tagged file replaced by other bytes of the same size and modification time, rewritten in place with its time
     * set back ({@code cp -p}, {@code rsync -t}, {@code touch -r}) or renamed over by such a file, is tagged again, once;
     * a file beside it left alone is not. Before, the watcher knew a file by its size and time alone and kept the
     * result of the old bytes for good. Waits by counting scans, not time.
     */
    @Test
    void aFileReplacedBySameSizeAndTimeIsTaggedAgain() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("same-stat"));
        start(inbox, Optional.empty());
        Path inPlace = copy("03b01Wa.wav", inbox), renamedOver = copy("03a05Fc.wav", inbox), left = copy("03b09Tc.wav", inbox);
        JsonNode leftResult = awaitResult(inbox.resolve("03b09Tc.wav.emotion.json"));
        Map<Path, JsonNode> before = Map.of(inPlace, awaitResult(inbox.resolve("03b01Wa.wav.emotion.json")),
                renamedOver, awaitResult(inbox.resolve("03a05Fc.wav.emotion.json")));
        long handled = watcher.handled();

        FileTime t = Files.getLastModifiedTime(inPlace);
        byte[] changed = Fixtures.withOneSampleChanged(inPlace);
        // One byte overwritten where it is, never truncated: the size the watcher lists never moves.
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(inPlace, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(changed, changed.length / 2, 1), changed.length / 2);
        }
        Files.setLastModifiedTime(inPlace, t);
        t = Files.getLastModifiedTime(renamedOver);
        Path incoming = Files.write(inbox.resolve(".incoming.tmp"), Fixtures.withOneSampleChanged(renamedOver));
        Files.setLastModifiedTime(incoming, t);
        Files.move(incoming, renamedOver, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        long scans = watcher.scans(), deadline = System.currentTimeMillis() + TIMEOUT_MS;
        for (Path p : before.keySet()) {
            Path result = inbox.resolve(p.getFileName() + ".emotion.json");
            String sha = dev.moodtag.support.Sha256.of(Files.readAllBytes(p));
            // Scans follow at least a quarter of the settle time apart while a file settles: 40 are ten settle times.
            while (!sha.equals(FunctionFixtures.validResult(Files.readAllBytes(result)).at("/source/sha256").asText())) {
                assertTrue(watcher.scans() < scans + 40 && System.currentTimeMillis() < deadline,
                        p.getFileName() + " replaced by the same size and time was not tagged again in "
                                + (watcher.scans() - scans) + " scans");
                Thread.sleep(100);
            }
            assertFalse(before.get(p).path("requestId").equals(
                    FunctionFixtures.validResult(Files.readAllBytes(result)).path("requestId")), p + " tagged again");
        }
        long after = watcher.scans();
        while (watcher.scans() < after + 3) {
            assertTrue(System.currentTimeMillis() < deadline, "the watcher stopped scanning");
            Thread.sleep(100);
        }
        assertEquals(handled + 2, watcher.handled(), "each replaced file tagged again once, the one left alone not");
        assertEquals(leftResult.path("requestId"), awaitResult(inbox.resolve("03b09Tc.wav.emotion.json")).path("requestId"));
    }

    /**
     * An inbox restored with its results ({@code cp -a}: same bytes, size and times, every file a new inode) is not
     * tagged again by the watcher started on it: each file is handled once, skipped by its bytes' sha256, and its
     * result names its new file version. Before, every file was tagged again. Waits by counting handled files.
     */
    @Test
    void anInboxRestoredWithItsResultsIsNotTaggedAgain() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("before-restore"));
        start(inbox, Optional.empty());
        List<String> names = List.of("03b01Wa.wav", "03a05Fc.wav");
        Map<String, JsonNode> before = new java.util.HashMap<>();
        for (String n : names) copy(n, inbox);
        for (String n : names) before.put(n, awaitResult(inbox.resolve(n + ".emotion.json")));
        stop();

        Path restored = WORK.resolve("restored");
        Fixtures.copyPreserving(inbox, restored);
        start(restored, Optional.empty());
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (watcher.handled() < names.size()) {
            assertTrue(System.currentTimeMillis() < deadline, "the restored inbox's files were not handled");
            Thread.sleep(100);
        }
        for (String n : names) {
            JsonNode after = awaitResult(restored.resolve(n + ".emotion.json"));
            assertEquals(before.get(n).path("requestId"), after.path("requestId"), n + " tagged again");
            assertEquals(dev.moodtag.storage.FileVersion.of(restored.resolve(n), null).orElseThrow(),
                    after.at("/source/fileVersion").asText(), n + ": the restored file's version is recorded");
        }
    }

    /** Waits until the watcher has begun its second scan, so its first one is over; counts scans, not time. */
    private static void awaitFirstScan(InboxWatcher w) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (w.scans() < 2) {
            assertTrue(System.currentTimeMillis() < deadline, "no second scan after " + TIMEOUT_MS + " ms");
            Thread.sleep(50);
        }
    }

    /**
     * A file tagged by one watcher and deleted while none ran loses its result at the next watcher's first scan; the
     * file beside it, still there, keeps its own. Before, the new watcher knew nothing of the deleted file and its
     * result stayed for good.
     */
    @Test
    void aFileDeletedWhileNoWatcherRanLosesItsResultAtTheNextStart() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("orphans-restart"));
        start(inbox, Optional.empty());
        Path gone = copy("03b01Wa.wav", inbox), kept = copy("03a05Fc.wav", inbox);
        awaitResult(inbox.resolve("03b01Wa.wav.emotion.json"));
        JsonNode keptResult = awaitResult(inbox.resolve("03a05Fc.wav.emotion.json"));
        stop();

        Files.delete(gone);
        start(inbox, Optional.empty());
        InboxWatcher next = watcher;
        awaitFirstScan(next);
        assertFalse(Files.exists(inbox.resolve("03b01Wa.wav.emotion.json")), "the result of the deleted file is still there");
        assertTrue(Files.exists(kept) && Files.exists(inbox.resolve("03a05Fc.wav.emotion.json")),
                "the result of the file still there went: " + keptResult);
    }

    /** What the first scan of a new watcher must do with one result in the inbox. */
    private record Case(Path result, boolean removed, boolean judged, String what) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A real result of {@code template}'s run, naming {@code media} as its source. */
    private static Path resultNaming(JsonNode template, Path media, Path at) throws IOException {
        ObjectNode doc = template.deepCopy();
        ((ObjectNode) doc.path("source")).put("uri", "file://" + media);
        Files.createDirectories(at.getParent());
        return Files.write(at, JSON.writeValueAsBytes(doc));
    }

    /**
     * A generated grid of results left in an inbox while no watcher ran, judged by the next watcher's first scan as if
     * each file had gone under its eyes: results of missing files under awkward names (spaces, unicode, a leading dash,
     * deep folders), of a file now a folder, a dangling link or a FIFO go; a result whose file is there is kept and not
     * even read; a result naming another file, a file named as a result that is none (text, empty, 5 MB of junk, 5 MB
     * before a source naming the file), and a result that is a link are read (at most a result's head) and kept; the
     * result of a hidden file or of a result (never inputs, so never the watcher's) is kept unread. Later scans read
     * none of them again.
     */
    @Test
    void resultsLeftBeforeStartAreJudgedOnceAndOnlyWhereTheirFileIsMissing() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("orphans-grid"));
        start(inbox, Optional.empty());
        Path present = copy("03a05Fc.wav", inbox);
        JsonNode template = awaitResult(inbox.resolve("03a05Fc.wav.emotion.json"));
        stop();

        String suffix = ".emotion.json";
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(inbox.resolve("03a05Fc.wav" + suffix), false, false, "its file is there"));
        Random random = new Random(7);
        List<String> names = new ArrayList<>(List.of("plain.wav", "take 1 of 3.mp4", "-dash.wav", "--.jpg",
                "sub/deep er/x y.wav", "a.b.c.mp4", "trailing space .wav", "%20#?.wav"));
        if (LocalObjectStorage.FILE_NAMES_IN_UTF8) names.addAll(List.of("café ü 日本.wav", "😀.mp4", "sub/é/ñ.jpg"));
        String[] parts = {"a", " ", "-", "é", "日", "_", ".", "😀", "#", "take"};
        for (int n = 0; n < 12; n++) {
            StringBuilder name = new StringBuilder(random.nextBoolean() ? "-" : "");
            for (int i = random.nextInt(6); i >= 0; i--) name.append(parts[random.nextInt(parts.length)]);
            name.append(List.of(".wav", ".mp4", ".jpg").get(random.nextInt(3)));
            String generated = name.toString();
            if (!generated.startsWith(".") && (LocalObjectStorage.FILE_NAMES_IN_UTF8 || generated.chars().allMatch(c -> c < 128)))
                names.add("gen" + n + "/" + generated);
        }
        for (String name : names) {
            Path media = inbox.resolve(name);
            cases.add(new Case(resultNaming(template, media, inbox.resolve(name + suffix)), true, true, "missing: " + name));
        }
        Path folder = Files.createDirectories(inbox.resolve("now-a-folder.wav"));
        cases.add(new Case(resultNaming(template, folder, inbox.resolve("now-a-folder.wav" + suffix)), true, true, "now a folder"));
        Path dangling = Files.createSymbolicLink(inbox.resolve("dangling.wav"), inbox.resolve("nothing-there.wav"));
        cases.add(new Case(resultNaming(template, dangling, inbox.resolve("dangling.wav" + suffix)), true, true, "now a dangling link"));
        Path fifo = inbox.resolve("fifo.wav");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0)
            cases.add(new Case(resultNaming(template, fifo, inbox.resolve("fifo.wav" + suffix)), true, true, "now a FIFO"));

        cases.add(new Case(resultNaming(template, inbox.resolve("elsewhere.wav"), inbox.resolve("other.wav" + suffix)),
                false, true, "names another file"));
        cases.add(new Case(Files.writeString(inbox.resolve("text.wav" + suffix), "not a result"), false, true, "text"));
        cases.add(new Case(Files.write(inbox.resolve("empty.wav" + suffix), new byte[0]), false, true, "empty"));
        byte[] junk = new byte[5 << 20];
        random.nextBytes(junk);
        cases.add(new Case(Files.write(inbox.resolve("junk.wav" + suffix), junk), false, true, "5 MB of junk"));
        Path padded = inbox.resolve("padded.wav" + suffix);
        Files.writeString(padded, "{\"pad\":\"" + "x".repeat(5 << 20) + "\",\"source\":{\"uri\":\"file://"
                + inbox.resolve("padded.wav") + "\"}," + JSON.writeValueAsString(template).substring(1));
        cases.add(new Case(padded, false, true, "5 MB before a source naming its file"));
        Path outside = Files.createDirectories(WORK.resolve("orphans-grid-outside"));
        Path target = resultNaming(template, inbox.resolve("linked.wav"), outside.resolve("linked.wav" + suffix));
        cases.add(new Case(Files.createSymbolicLink(inbox.resolve("linked.wav" + suffix), target), false, true, "a link"));
        cases.add(new Case(resultNaming(template, inbox.resolve(".hidden.wav"), inbox.resolve(".hidden.wav" + suffix)),
                false, false, "of a hidden file"));
        cases.add(new Case(resultNaming(template, inbox.resolve("r.wav" + suffix), inbox.resolve("r.wav" + suffix + suffix)),
                false, false, "of a result"));

        start(inbox, Optional.empty());
        InboxWatcher next = watcher;
        awaitFirstScan(next);
        long judged = next.resultsJudged();
        for (Case c : cases)
            assertEquals(!c.removed(), Files.exists(c.result(), LinkOption.NOFOLLOW_LINKS), c.what() + ": " + c.result());
        assertEquals(cases.stream().filter(Case::judged).count(), judged, "results read: only those whose file is missing");
        assertTrue(Files.exists(present) && Files.exists(target), "the file there and the link's target stay");

        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (next.scans() < 5) {
            assertTrue(System.currentTimeMillis() < deadline, "no fifth scan");
            Thread.sleep(50);
        }
        assertEquals(judged, next.resultsJudged(), "later scans read the kept results again");
    }

    /** An outbox is where results are collected: a result left in the inbox stays, unread, as when its file goes live. */
    @Test
    void withAnOutboxNothingLeftBeforeStartIsRemovedOrRead() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("orphans-outbox-in"));
        Path orphan = Files.writeString(inbox.resolve("gone.wav.emotion.json"),
                "{\"source\":{\"uri\":\"file://" + inbox.resolve("gone.wav") + "\"}}");
        start(inbox, Optional.of(WORK.resolve("orphans-outbox-out")));
        InboxWatcher w = watcher;
        awaitFirstScan(w);
        assertTrue(Files.exists(orphan));
        assertEquals(0, w.resultsJudged());
    }

    /**
     * A result in a folder the watcher cannot list is not seen, so it stays; root reads any folder, so this runs only
     * where the folder is really unreadable (not in CI, which runs as root).
     */
    @Test
    void aResultInAFolderTheWatcherCannotListStays() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("orphans-locked"));
        Path locked = Files.createDirectories(inbox.resolve("locked"));
        Path orphan = Files.writeString(locked.resolve("gone.wav.emotion.json"),
                "{\"source\":{\"uri\":\"file://" + locked.resolve("gone.wav") + "\"}}");
        Files.setPosixFilePermissions(locked, Set.of());
        try {
            assumeTrue(!Files.isReadable(locked) || unlistable(locked), "the folder is readable to this user (root?)");
            start(inbox, Optional.empty());
            InboxWatcher w = watcher;
            awaitFirstScan(w);
            assertEquals(0, w.resultsJudged());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
        assertTrue(Files.exists(orphan));
    }

    private static boolean unlistable(Path folder) {
        try (var list = Files.list(folder)) {
            list.findAny();
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * An outbox that cannot be written is refused when the watcher is made, before its models load. Before, one under a
     * file ended the command in an UncheckedIOException; one that could be made but not written (read-only) watched,
     * decoded and encoded every file dropped in, then failed each result's write.
     */
    @Test
    void anOutboxThatCannotBeWrittenIsRefusedNamingIt() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox-unwritable-outbox"));
        Path file = Files.writeString(WORK.resolve("a-file"), "x");
        for (Path outbox : List.of(file, file.resolve("out"), file.resolve("out/deeper"))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> watchers.create(inbox, Optional.of(outbox), SETTLE, ERROR_SETTLE, RESCAN), outbox.toString());
            assertTrue(e.getMessage().startsWith("the outbox " + outbox + " cannot be written: "), e.getMessage());
            // in words naming the file in the way, where it was "java.nio.file.FileAlreadyExistsException: <file>"
            assertTrue(e.getMessage().endsWith("not a folder: " + file + " is a file in the way")
                    && !e.getMessage().contains("java."), e.getMessage());
        }
    }

    /**
     * Durations that would make the watcher spin, mean nothing or overflow its clock are refused before it starts,
     * saying which.
     */
    @Test
    void aRescanUnderOneSecondOrANegativeSettleIsRefused() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox8"));
        for (Duration rescan : new Duration[]{Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5),
                Duration.ofDays(1_000_000), Duration.ofDays(8)}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> watchers.create(inbox, Optional.empty(), SETTLE, ERROR_SETTLE, rescan));
            assertTrue(e.getMessage().contains("moodtag.watch.rescan"), e.getMessage());
        }
        // A settle past what nanoseconds count (about 292 years) ended the watch with an ArithmeticException at the
        // first file; one of 200,000 days made the scan gap overflow into a negative wait.
        for (Duration settle : new Duration[]{Duration.ofSeconds(-1), Duration.ofDays(1_000_000), Duration.ofDays(200_000)}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> watchers.create(inbox, Optional.empty(), settle, ERROR_SETTLE, RESCAN));
            assertTrue(e.getMessage().startsWith("moodtag.watch.settle must be within PT0S..PT168H, not "), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> watchers.create(inbox, Optional.empty(), SETTLE, settle, RESCAN));
            assertTrue(e.getMessage().startsWith("moodtag.watch.error-settle must be within PT0S..PT168H, not "), e.getMessage());
        }
    }

    /** Starts watching {@code inbox} into {@code outbox}, then removes the outbox (a disk not mounted yet). */
    private Path startWithoutItsOutbox(Path inbox, Path outbox) throws IOException {
        start(inbox, Optional.of(outbox));
        Files.delete(outbox);
        return outbox;
    }

    private void awaitTries(int tries, long t0) throws InterruptedException {
        while (watcher.retried() < tries) {
            assertTrue(System.nanoTime() - t0 < 90_000_000_000L, watcher.retried() + " tries after 90 s");
            Thread.sleep(20);
        }
    }

    /**
     * A sidecar whose extension is in another case, dropped beside its media, is the media's transcript in watch as in
     * tag (TranscriptLoader.sidecarNames), and is itself not tagged; before, the text was missing and recognised over.
     */
    @Test
    void aSidecarInAnotherCaseIsTheMediasTranscript() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox-sidecar-case"));
        Files.writeString(inbox.resolve("03a05Fc.TXT"), "The dogs are sitting by the door.");
        start(inbox, Optional.empty());
        copy("03a05Fc.wav", inbox);
        JsonNode r = awaitResult(inbox.resolve("03a05Fc.wav.emotion.json"));
        assertEquals("sidecar", r.at("/transcript/source").asText(), r.toPrettyString());
        assertEquals("03a05Fc.TXT", r.at("/transcript/origin").asText(), r.toPrettyString());
        Thread.sleep(SETTLE.toMillis() + RESCAN.toMillis() * 2);
        assertFalse(Files.exists(inbox.resolve("03a05Fc.TXT.emotion.json")), "the sidecar is not tagged");
    }

    private static Path copy(String sample, Path dir) throws IOException {
        // Copied under a hidden name and renamed, as a careful uploader does; the watcher ignores hidden files.
        Path tmp = Files.copy(Fixtures.sample(sample), dir.resolve("." + sample + ".tmp"), StandardCopyOption.REPLACE_EXISTING);
        return Files.move(tmp, dir.resolve(sample), StandardCopyOption.ATOMIC_MOVE);
    }

    static JsonNode awaitResult(Path result) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!Files.exists(result)) {
            assertTrue(System.currentTimeMillis() < deadline, "no result at " + result + " after " + TIMEOUT_MS + " ms");
            Thread.sleep(200);
        }
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(result));
        assertNotNull(r);
        return r;
    }
}
