package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.Mounts;
import dev.moodtag.testing.LinkFlipper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 through the function, on the local filesystem: links leading out of the root while events arrive, and
 * storage problems that retrying cannot fix (answered 200 with an outcome that says why, never 503 for ever) next to
 * ones that can pass (503 with Retry-After). The temporary folder is a small tmpfs where this process may mount one.
 */
@QuarkusTest
@TestProfile(LocalStorageFunctionTest.Profile.class)
@Tag("quarkus")
class LocalStorageFunctionTest {

    static final Path ROOT = Path.of("target", "storage-root").toAbsolutePath();
    static final Path OUTSIDE = Path.of("target", "storage-outside").toAbsolutePath();
    static final Path SCRATCH = Path.of("target", "storage-scratch").toAbsolutePath();
    static final long SCRATCH_BYTES = 8L << 20;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            FileTrees.recreate(OUTSIDE);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(),
                    "moodtag.function.max-concurrent", "4",
                    // About paths and links: text present must mean a transcript was read, not speech recognised.
                    "moodtag.transcribe.enabled", "false",
                    "moodtag.onnx.device", "cpu");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TinyScratch.class));
        }
    }

    /** The function's temporary folder: a tmpfs of {@link #SCRATCH_BYTES} where mounting is allowed. */
    public static class TinyScratch implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            FileTrees.recreate(SCRATCH);
            Mounts.tmpfs(SCRATCH, SCRATCH_BYTES);
            return Map.of("moodtag.storage.temp-dir", SCRATCH.toString());
        }

        @Override
        public void stop() {
            Mounts.unmount(SCRATCH);
        }
    }

    private static boolean scratchIsTiny() throws IOException {
        return Files.getFileStore(SCRATCH).getTotalSpace() <= SCRATCH_BYTES;
    }

    @Test
    void aResultOrTranscriptLinkedOutsideTheRootIsRejectedNotRetried() throws IOException {
        Path secretResult = Files.writeString(OUTSIDE.resolve("planted.json"), "{\"status\": \"labelled\"}");
        Path secretText = Files.writeString(OUTSIDE.resolve("planted.txt"), "a transcript from outside the root");
        Path withResult = Files.createDirectories(ROOT.resolve("linked-result"));
        Path media = copy("03b01Wa.wav", withResult);
        Files.createSymbolicLink(withResult.resolve("03b01Wa.wav.emotion.json"), secretResult);
        Path withText = Files.createDirectories(ROOT.resolve("linked-transcript"));
        Path media2 = copy("03b01Wa.wav", withText);
        Files.createSymbolicLink(withText.resolve("03b01Wa.txt"), secretText);
        for (String body : List.of("{\"uri\": \"" + media.toUri() + "\"}", "{\"uri\": \"" + media.toUri() + "\", \"force\": true}",
                "{\"uri\": \"" + media2.toUri() + "\"}")) {
            SamplesRequests.plain("/recognize", body).then().statusCode(200)
                    .body("objects[0].outcome", equalTo("rejected"))
                    .body("objects[0].reason", containsString("leads outside its root folder through a symbolic link"));
        }
        assertEquals("{\"status\": \"labelled\"}", Files.readString(secretResult), "the planted file is untouched");
        assertOutsideHolds("planted.json", "planted.txt");
    }

    @Test
    void aLinkFlippedInALoopWhileEventsArriveNeverLetsAnythingOutsideBeReadOrWritten() throws Exception {
        Path inside = Files.createDirectories(ROOT.resolve("race/real"));
        Path outside = Files.createDirectories(OUTSIDE.resolve("race"));
        Path insideMedia = copy("03b01Wa.wav", inside);
        // Outside: another recording under the same name, with a transcript that would give the text modality away.
        Files.copy(Fixtures.sample("03a05Fc.wav"), outside.resolve("03b01Wa.wav"));
        Files.writeString(outside.resolve("03b01Wa.txt"), "everything outside the root is secret");
        String insideSha = sha256(insideMedia), outsideSha = sha256(outside.resolve("03b01Wa.wav"));
        Path link = ROOT.resolve("race/flip");
        Files.createSymbolicLink(link, Path.of("real"));

        Random random = new Random(16);
        // Mostly inside, so that some events go through; outside for a moment, many times per event.
        LinkFlipper flipper = LinkFlipper.start(LinkFlipper.Kind.SYMBOLIC, link, outside, Path.of("real"), pointsOutside -> {
            if (random.nextInt(8) == 0) TimeUnit.MILLISECONDS.sleep(pointsOutside ? 1 : random.nextInt(300));
        });
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> leaks = new ArrayList<>();
        String body = "{\"uri\": \"" + link.resolve("03b01Wa.wav").toUri() + "\", \"force\": true}";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            for (int i = 0; i < 60 && System.nanoTime() < deadline; i++) {
                Response r = SamplesRequests.plain("/recognize", body);
                assertEquals(200, r.statusCode(), r.asString());
                JsonNode o = FunctionFixtures.JSON.readTree(r.asString()).at("/objects/0");
                String outcome = o.path("outcome").asText();
                outcomes.merge(outcome, 1, Integer::sum);
                String text = o.toString();
                if (text.contains(outsideSha)) leaks.add("the outside file's sha256 came back: " + text);
                if (outcome.equals("processed")) {
                    if (!insideSha.equals(o.at("/result/source/sha256").asText())) leaks.add("processed something else: " + text);
                    if (o.at("/result/modalities/text/present").asBoolean()) leaks.add("the outside transcript was read: " + text);
                } else if (outcome.equals("skipped")) {
                    // The link flipped between the stats before and after tagging: the name held another file, so
                    // what was read is no version the name settles as, and nothing is written for it.
                    if (!o.path("reason").asText().contains("changed while it was tagged"))
                        leaks.add("unexpected skip: " + text);
                } else if (!outcome.equals("rejected") || !o.path("reason").asText().contains("symbolic link")) {
                    leaks.add("unexpected answer: " + text);
                }
            }
        } finally {
            flipper.close();
        }
        assertEquals(List.of(), leaks, "outcomes " + outcomes);
        System.out.printf("symlink race through the function: %s, %d outward flips%n", outcomes, flipper.hostileFlips());
        assertTrue(flipper.hostileFlips() > 0);
        assertTrue(outcomes.values().stream().mapToInt(Integer::intValue).sum() >= 5, "events arrived: " + outcomes);
        try (Stream<Path> walk = Files.walk(outside)) {
            assertEquals(List.of("03b01Wa.txt", "03b01Wa.wav"), walk.filter(p -> !p.equals(outside))
                    .map(p -> outside.relativize(p).toString()).sorted().toList(), "nothing written outside the root");
        }
        try (Stream<Path> walk = Files.walk(ROOT.resolve("race"))) {
            assertEquals(List.of(), walk.filter(p -> p.toString().endsWith(".part")).toList(), "no .part left");
        }
    }

    @Test
    void anObjectLargerThanTheTemporaryFolderFailsForGoodAndAFullFolderIsRetried() throws IOException {
        Assumptions.assumeTrue(scratchIsTiny(), "skipped: the temporary folder is not a small tmpfs (mounting needs root)");
        Path dir = Files.createDirectories(ROOT.resolve("sizes"));
        Path big = Files.write(dir.resolve("big.wav"), new byte[(int) SCRATCH_BYTES + 4096]);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + big.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("failed"))
                .body("objects[0].reason", containsString("more than the temporary folder " + SCRATCH))
                .body("objects[0].reason", containsString("moodtag.storage.temp-dir"));

        Path media = copy("03b09Tc.wav", dir);
        long free = Files.getFileStore(SCRATCH).getUsableSpace();
        Path filler = Files.write(SCRATCH.resolve("filler"), new byte[(int) (free - Files.size(media) / 2)]);
        try {
            SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(503)
                    .header("Retry-After", "5").body("objects[0].outcome", equalTo("retry"))
                    .body("objects[0].reason", containsString("temporary folder " + SCRATCH + "/"))
                    .body("objects[0].reason", containsString(" is full ("));
        } finally {
            Files.delete(filler);
        }
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
    }

    @Test
    void aReadOnlyResultFolderFailsSayingSoInsteadOfWaitingForStorage() throws IOException {
        Path folder = ROOT.resolve("read-only");
        Assumptions.assumeTrue(Mounts.tmpfs(folder, 1L << 20), "skipped: mounting needs root");
        try {
            Path media = copy("03b01Wa.wav", folder);
            Assumptions.assumeTrue(Mounts.remountReadOnly(folder), "skipped: cannot remount read-only");
            SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                    .body("objects[0].outcome", equalTo("failed"))
                    .body("objects[0].reason", containsString("read-only file system"));
        } finally {
            Mounts.unmount(folder);
        }
    }

    /**
     * The result folder full (from the start, or with room for the media but not its result): transient, 503 with
     * Retry-After so that the event comes again, naming the result and the fault; nothing half-written is left beside
     * the media, and once there is room the same event is processed. A read-only one fails for good (above), as
     * README's storage section says.
     */
    @Test
    void aFullResultFolderIsRetriedLeavesNoPartOfTheResultAndIsProcessedOnceThereIsRoom() throws IOException {
        for (boolean fromTheStart : new boolean[]{true, false}) {
            Path folder = ROOT.resolve(fromTheStart ? "full-from-start" : "full-part-way");
            long mediaBytes = Files.size(Fixtures.sample("03b01Wa.wav"));
            // part-way: the media's pages and not one more for the result
            long size = fromTheStart ? 1L << 20 : (mediaBytes + 4095) / 4096 * 4096;
            Assumptions.assumeTrue(Mounts.tmpfs(folder, size), "skipped: mounting needs root");
            try {
                Path media = copy("03b01Wa.wav", folder);
                if (fromTheStart) Mounts.fill(folder, "other-files");
                SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(503)
                        .header("Retry-After", "5").body("objects[0].outcome", equalTo("retry"))
                        .body("objects[0].reason", containsString("03b01Wa.wav.emotion.json"))
                        .body("objects[0].reason", containsString("no space left"));
                try (Stream<Path> left = Files.list(folder)) {
                    assertEquals(List.of("03b01Wa.wav"), left.map(p -> p.getFileName().toString())
                            .filter(n -> !n.equals("other-files")).sorted().toList(), "nothing half-written beside the media");
                }
                Files.deleteIfExists(folder.resolve("other-files"));
                Assumptions.assumeTrue(Mounts.resize(folder, 4L << 20), "skipped: cannot remount with room");
                SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                        .body("objects[0].outcome", equalTo("processed"));
            } finally {
                Mounts.unmount(folder);
            }
        }
    }

    private static void assertOutsideHolds(String... names) throws IOException {
        try (Stream<Path> files = Files.list(OUTSIDE)) {
            List<String> present = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of(names), present, "nothing written outside the root");
        }
    }

    private static Path copy(String sample, Path dir) throws IOException {
        return Files.copy(Fixtures.sample(sample), dir.resolve(sample), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
