package dev.moodtag.tagging;

import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptConfig;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptRequest;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The media's copy from storage and its sidecar beside it, as the decoder then finds them. */
class ObjectCopierTest {
    /** A minute and a half-second per second of media: far more than any of these tests takes. */
    static final TimeBudgetConfig BUDGET = new TimeBudgetConfig() {
        @Override
        public java.time.Duration base() {
            return java.time.Duration.ofSeconds(60);
        }

        @Override
        public double perMediaSecond() {
            return 0.5;
        }

        @Override
        public double starvedCap() {
            return 4;
        }
    };

    @TempDir
    Path tmp;

    record Limits(long maxSidecarBytes) implements TranscriptConfig {
        public int maxTextChars() { return 8192; }
        public int maxCues() { return 20000; }
        public int maxWords() { return 100000; }
    }

    /**
     * The copy of a media whose name a local file name cannot keep ({@link ObjectCopier#safeName}) has its sidecar
     * copied under the copy's base name: the result names the sidecar it stands for, as a walk of the folder would.
     * Before, a result said its text came from {@code a_b.txt} for {@code a b.txt} and for {@code a+b.TXT} alike (32
     * of S3AwkwardKeysTest's 34 keys, and any such name in a local folder), a name found in no folder and no bucket.
     */
    @Test
    void aResultNamesTheSidecarObjectNotItsLocalCopy() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectCopier copier = new ObjectCopier(new TimelineTagger(null, null, null, new SegmentingSinkTest.Config(10, 2),
                BUDGET, null, new Limits(1 << 20)), new FunctionMetrics(new SimpleMeterRegistry()));
        List<String> wrong = new java.util.ArrayList<>();
        int n = 0;
        for (String base : List.of("a b", "a+b", "a%2Bb", "100%", "q\"'&=;#?", "caf\u00e9", "cafe\u0301", "\u65e5\u672c",
                "\ud83d\ude00", "plain")) {
            for (String ext : List.of("txt", "TXT", "srt")) {
                Path folder = Files.createDirectories(root.resolve("f" + n++));
                Path media = Files.copy(Fixtures.sample("03a05Fc.wav"), folder.resolve(base + ".wav"));
                Files.writeString(folder.resolve(base + "." + ext), ext.equals("srt")
                        ? "1\n00:00:00,000 --> 00:00:01,000\nThe dogs are sitting by the door.\n" : "The dogs are sitting.");
                ObjectCopier.Copy copy = copier.copy(store, store.stat(store.refFor(media)).orElseThrow(),
                        Files.createDirectories(tmp.resolve("scratch" + n)), 1L << 30);
                String origin;
                try (copy) {
                    origin = TranscriptChain.standard(new TranscriptLimits(1 << 20, 8192, 20000, 100000))
                            .resolve(TranscriptRequest.beside(copy.media())).transcript().origin();
                }
                if (!origin.equals(base + "." + ext)) wrong.add(base + "." + ext + " named " + origin);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /**
     * README: an unusable sidecar is a missing text with its reason, and is not guessed over by recognition. Before,
     * one over max-sidecar-bytes in storage was only logged: the chain said "no talk.txt ... beside talk.wav".
     */
    @Test
    void aSidecarOverTheLimitInStorageKeepsItsReasonAndIsNotRecognisedOver() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path media = Files.copy(Fixtures.sample("03a05Fc.wav"), root.resolve("talk.wav"));
        Files.writeString(root.resolve("talk.txt"), "word ".repeat(100)); // 500 bytes > 100
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        TimelineTagger timelines = new TimelineTagger(null, null, null, new SegmentingSinkTest.Config(10, 2), BUDGET,
                null, new Limits(100));
        ObjectCopier copier = new ObjectCopier(timelines, new FunctionMetrics(new SimpleMeterRegistry()));
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));

        ObjectCopier.Copy copy = copier.copy(store, store.stat(store.refFor(media)).orElseThrow(), scratch, 1L << 30);
        TranscriptResolution r = TranscriptChain.standard(new TranscriptLimits(100, 8192, 20000, 100000))
                .resolve(TranscriptRequest.beside(copy.media()));

        // Recognition listens only where no link found anything (TranscriptChain.listenFor).
        assertFalse(TranscriptChain.foundNone(r), "the recogniser would guess over talk.txt: " + r.whyMissing());
        assertTrue(r.whyMissing().startsWith("transcript not used: talk.txt: ")
                && r.whyMissing().contains("moodtag.transcript.max-sidecar-bytes=100"), r.whyMissing());
    }

    /**
     * A sidecar name that is a link to nothing (its transcript deleted or moved; a link inside the root or out of it)
     * is no sidecar, as a missing file is: the media is copied and tagged, and the chain goes on (to recognition).
     * Before, the store walked it eight times and refused the whole media as a link "that kept changing while it was
     * opened": the media's audio and video lost for a broken link beside it, with a reason that was not true.
     */
    @Test
    void aSidecarLinkThatLeadsNowhereIsNoSidecarAndTheMediaIsStillCopied() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path media = Files.copy(Fixtures.sample("03a05Fc.wav"), root.resolve("talk.wav"));
        Files.createSymbolicLink(root.resolve("talk.txt"), Path.of("deleted.txt"));
        Files.createSymbolicLink(root.resolve("talk.vtt"), tmp.resolve("outside-and-gone.vtt"));
        Files.createSymbolicLink(root.resolve("gone"), Path.of("no-such-folder"));
        // the function's store (links within the root followed) and moodtag tag's (links not followed)
        for (LocalObjectStorage store : List.of(new LocalObjectStorage(List.of(root), true), LocalObjectStorage.ofNamedFolder(root)))
            copiedWithoutASidecar(store, root, media);
    }

    private void copiedWithoutASidecar(LocalObjectStorage store, Path root, Path media) throws Exception {
        for (String key : List.of("talk.txt", "talk.vtt", "gone/talk.txt")) {
            dev.moodtag.storage.ObjectRef ref = store.refFor(root.resolve(key));
            assertTrue(store.stat(ref).isEmpty(), key);
            dev.moodtag.storage.StorageException e = assertThrows(dev.moodtag.storage.StorageException.class,
                    () -> store.copyTo(ref, tmp.resolve("copy"), 1 << 20), key);
            assertEquals(dev.moodtag.storage.StorageException.Kind.NOT_FOUND, e.kind(), e.getMessage());
        }
        ObjectCopier copier = new ObjectCopier(new TimelineTagger(null, null, null, new SegmentingSinkTest.Config(10, 2),
                BUDGET, null, new Limits(1 << 20)), new FunctionMetrics(new SimpleMeterRegistry()));
        Path scratch = Files.createTempDirectory(tmp, "scratch");

        ObjectCopier.Copy copy = copier.copy(store, store.stat(store.refFor(media)).orElseThrow(), scratch, 1L << 30);
        assertEquals(Files.size(media), Files.size(copy.media()));
        TranscriptResolution r = TranscriptChain.standard(TranscriptLimits.DEFAULTS).resolve(TranscriptRequest.beside(copy.media()));
        assertTrue(TranscriptChain.foundNone(r), r.whyMissing());
    }

    /** The local name of an object's copy, for any key a store may hold (S3 allows 1,024 bytes of UTF-8). */
    @Test
    void everyNameFitsBesideItsSidecarAndKeepsAShortExtension() {
        Random random = new Random(7);
        String alphabet = "aZ9._- /\\:é漢\u0000\n\uD83D\uDE00";
        Set<String> longOnes = new HashSet<>();
        for (int length = 0; length <= 1100; length += length < 300 ? 1 : 37) {
            for (String ext : new String[]{"", ".wav", ".mp4", ".x".repeat(20), "." + "e".repeat(15)}) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < length; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                String key = b + ext;
                String name = ObjectCopier.safeName(key);
                assertTrue(name.length() <= ObjectCopier.MAX_LOCAL_NAME, key.length() + " → " + name.length());
                assertTrue(name.matches("[A-Za-z0-9._~-]+"), name);
                assertFalse(name.startsWith("."), name);
                // room for "<base>.json" and "<base>.json.refused" under the 255 bytes of ext4 and most others
                assertTrue((name + ".json.refused").getBytes(StandardCharsets.UTF_8).length <= 255, name);
                if (ext.length() > 1 && ext.length() <= 16) assertTrue(name.endsWith(ext), key + " → " + name);
                if (key.length() > ObjectCopier.MAX_LOCAL_NAME) assertTrue(longOnes.add(name), "two keys, one name: " + name);
            }
        }
    }

    @Test
    void shortNamesAreKeptAsTheyWere() {
        assertEquals("03b01Wa__1_.wav", ObjectCopier.safeName("03b01Wa (1).wav"));
        assertEquals("media.hidden.wav", ObjectCopier.safeName(".hidden.wav"));
        assertEquals("media", ObjectCopier.safeName(""));
        String exact = "a".repeat(ObjectCopier.MAX_LOCAL_NAME - 4) + ".wav";
        assertEquals(exact, ObjectCopier.safeName(exact));
    }
}
