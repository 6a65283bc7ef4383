package dev.moodtag.storage;

import dev.moodtag.testing.LinkFlipper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 16: a symbolic link inside a root flipped between a folder inside the root and one outside it, while the
 * store stats, reads and writes through it. A check-then-open-by-name store reads the outside file (its sha256
 * leaks) and writes results and {@code .part} files outside; a race-free one only ever sees the inside folder or
 * refuses.
 */
class SymlinkRaceTest {

    /** Enough operations for a check-then-open race to show many times over; bounded in time on a loaded machine. */
    private static final int MIN_ROUNDS = 3000;
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(40);

    @TempDir
    Path tmp;

    @Test
    void aLinkFlippedInALoopNeverLetsAnythingBeReadOrWrittenOutsideTheRoot() throws Exception {
        race(true);
    }

    @Test
    void withoutFollowingLinksTheFlippingLinkIsAlwaysRefused() throws Exception {
        race(false);
    }

    private void race(boolean followLinksWithinRoot) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path inside = Files.createDirectories(root.resolve("real"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        byte[] insideBytes = "inside media".getBytes(StandardCharsets.UTF_8);
        byte[] secret = "SECRET outside the root, longer than the inside file".getBytes(StandardCharsets.UTF_8);
        Files.write(inside.resolve("clip.wav"), insideBytes);
        Files.write(outside.resolve("clip.wav"), secret);
        Files.writeString(outside.resolve("clip.txt"), "outside transcript");
        Path link = root.resolve("flip");
        Files.createSymbolicLink(link, Path.of("real"));
        String secretSha = sha256(secret), insideSha = sha256(insideBytes);

        LocalObjectStorage store = new LocalObjectStorage(List.of(root), followLinksWithinRoot);
        ObjectRef media = store.refFor(link.resolve("clip.wav"));
        ObjectRef result = media.withKey("flip/clip.wav.emotion.json");
        ObjectRef nested = media.withKey("flip/new/deeper/r.json");
        ObjectRef sidecar = media.withKey("flip/clip.txt");

        LinkFlipper flipper = LinkFlipper.start(LinkFlipper.Kind.SYMBOLIC, link, outside, Path.of("real"));
        int insideReads = 0, refused = 0, rounds = 0;
        List<String> leaks = new ArrayList<>(), wrong = new ArrayList<>();
        long start = System.nanoTime();
        Path copy = tmp.resolve("copy");
        try {
            while (rounds < MIN_ROUNDS && System.nanoTime() - start < MAX_NANOS) {
                rounds++;
                try {
                    Optional<ObjectInfo> info = store.stat(media);
                    if (info.isPresent() && info.get().size() != insideBytes.length)
                        leaks.add("stat saw the outside file's size " + info.get().size());
                } catch (StorageException e) {
                    refused += refusal(e, wrong);
                }
                try {
                    CopiedObject c = store.copyTo(media, copy, 1 << 20);
                    if (c.sha256().equals(secretSha)) leaks.add("read the outside file (sha256 " + secretSha + ")");
                    else if (c.sha256().equals(insideSha)) insideReads++;
                } catch (StorageException e) {
                    refused += refusal(e, wrong);
                }
                try {
                    store.copyTo(sidecar, copy, 1 << 20);
                    leaks.add("read the outside transcript");
                } catch (StorageException e) {
                    // The inside folder has no transcript: "does not exist" is the right answer there.
                    if (e.kind() != StorageException.Kind.NOT_FOUND) refused += refusal(e, wrong);
                }
                for (ObjectRef target : List.of(result, nested)) {
                    try {
                        store.writeAtomically(target, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
                    } catch (StorageException e) {
                        refused += refusal(e, wrong);
                    }
                }
                if (leaks.size() > 5) break;
            }
        } finally {
            flipper.close();
        }
        List<String> outsideNow;
        try (Stream<Path> walk = Files.walk(outside)) {
            outsideNow = walk.filter(p -> !p.equals(outside)).map(p -> outside.relativize(p).toString()).sorted().toList();
        }
        if (!outsideNow.equals(List.of("clip.txt", "clip.wav"))) leaks.add("written outside the root: " + outsideNow);
        if (!leaks.isEmpty()) fail(leaks.size() + " escapes in " + rounds + " rounds (" + flipper.flips() + " flips): " + leaks);
        assertEquals(List.of(), wrong.stream().distinct().limit(5).toList(), "every refusal names the link and is permanent");
        assertTrue(flipper.flips() > 100, "the link flipped while the store worked: " + flipper.flips());
        assertTrue(refused > 0, "some operations met the link pointing outside and were refused");
        if (followLinksWithinRoot) {
            assertTrue(insideReads > 0, "some reads met the link pointing inside and went through");
        } else {
            assertEquals(0, insideReads, "without following links, nothing is read through a link");
        }
        try (Stream<Path> walk = Files.walk(root)) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().endsWith(".part")).toList(),
                    "no .part file left in the root");
        }
    }

    /** A refusal must say the link was the problem and must not be retryable. */
    private static int refusal(StorageException e, List<String> wrong) {
        if (e.kind() != StorageException.Kind.NOT_ALLOWED || !e.getMessage().contains("symbolic link"))
            wrong.add("refused as " + e.kind() + ": " + e.getMessage());
        return 1;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
