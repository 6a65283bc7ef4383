package dev.moodtag.batch;

import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What {@code moodtag tag} turns its arguments into, without tagging anything. */
class BatchSourcesTest {

    private final BatchSources sources = new BatchSources(new S3ObjectStorage(List.of("media"), Optional.empty(),
            () -> {
                throw new AssertionError("no S3 call expected");
            }));

    @Test
    void aFolderListsMediaAndOtherFilesButNotSidecarsResultsOrPartialWrites(@TempDir Path dir) throws IOException {
        for (String f : List.of("a.wav", "a.txt", "a.wav.emotion.json", "sub/b.mp4", "sub/b.vtt", "notes.docx",
                ".hidden.wav", ".c.wav.emotion.json123.part", ".d.wav.emotion.json456.part"))
            Files.createDirectories(dir.resolve(f).getParent()).resolve(dir.resolve(f).getFileName()).toFile().createNewFile();
        Files.setLastModifiedTime(dir.resolve(".c.wav.emotion.json123.part"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        List<String> keys = sources.resolve(dir.toString(), ".emotion.json").stream().map(i -> i.ref().key()).toList();
        assertEquals(List.of("a.wav", "notes.docx", "sub/b.mp4"), keys);
        assertTrue(Files.notExists(dir.resolve(".c.wav.emotion.json123.part")), "a killed run's partial result is removed");
        // A .part file written just now may be a live writer's (watch or serve in the same folder): it stays.
        assertTrue(Files.exists(dir.resolve(".d.wav.emotion.json456.part")), "a write in progress is left alone");
    }

    /**
     * A result whose suffix is in another case (written on a case-insensitive card, copied off one) is a result to
     * {@code tag} and {@code status} as to the function: not listed. Before, the walk compared with case, so each such
     * file was offered to the tagger and came out as a row "ignored: a moodtag result" in the batch's index and report
     * and in status's count of ignored objects, where its lower-case twin was not listed at all.
     */
    @Test
    void aResultInAnyCaseIsNotListed(@TempDir Path dir) throws IOException {
        List<String> results = List.of("a.wav.emotion.json", "a.wav.EMOTION.JSON", "b.mp4.Emotion.Json", "sub/c.flac.emotion.JSON",
                "d.wav.eMoTiOn.JsOn");
        for (String f : List.of("a.wav", "b.mp4", "sub/c.flac", "notes.json", "e.wav.emotion.jsonx"))
            Files.createDirectories(dir.resolve(f).getParent()).resolve(dir.resolve(f).getFileName()).toFile().createNewFile();
        for (String f : results) Files.writeString(dir.resolve(f), "{\"status\": \"labelled\"}");
        List<String> keys = sources.resolve(dir.toString(), ".emotion.json").stream().map(i -> i.ref().key()).toList();
        assertEquals(List.of("a.wav", "b.mp4", "e.wav.emotion.jsonx", "notes.json", "sub/c.flac"), keys);
        for (String f : results)
            assertEquals("{\"status\": \"labelled\"}", Files.readString(dir.resolve(f)), f + " untouched");
    }

    /** A folder given as a link lists what the folder holds. Before, the walk stopped at the link: 0 files. */
    @Test
    void aFolderGivenAsALinkListsWhatItLeadsTo(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectories(dir.resolve("card/recordings"));
        for (String f : List.of("a.wav", "sub/b.mp4"))
            Files.createDirectories(real.resolve(f).getParent()).resolve(real.resolve(f).getFileName()).toFile().createNewFile();
        Path link = Files.createSymbolicLink(dir.resolve("recordings"), real);
        List<BatchItem> items = sources.resolve(link.toString(), ".emotion.json");
        assertEquals(List.of("a.wav", "sub/b.mp4"), items.stream().map(i -> i.ref().key()).toList());
        assertEquals(real.toRealPath().toString(), items.get(0).ref().container().replaceAll("/$", ""));
    }

    /**
     * A folder moodtag's user cannot read (lost+found at a mounted disk's root, another user's .Trash-0) is passed over,
     * and the rest is listed. Before, the walk failed at it and the batch ended with exit 2, nothing tagged.
     */
    @Test
    void anUnreadableFolderIsPassedOverAndTheRestListed(@TempDir Path dir) throws IOException {
        for (String f : List.of("a.wav", "lost+found/b.wav", "sub/c.mp4"))
            Files.createDirectories(dir.resolve(f).getParent()).resolve(dir.resolve(f).getFileName()).toFile().createNewFile();
        Path locked = dir.resolve("lost+found");
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        try {
            // Root (with CAP_DAC_OVERRIDE) reads any folder: there is nothing to pass over then.
            assumeTrue(unreadable(locked), "the folder is readable to this user (root?)");
            List<String> keys = sources.resolve(dir.toString(), ".emotion.json").stream().map(i -> i.ref().key()).toList();
            assertEquals(List.of("a.wav", "sub/c.mp4"), keys);
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * A link to a folder inside a batch's folder is not followed (it may lead anywhere, or in a loop), and now says so:
     * it was passed over without a word, and the batch ended "0 failed" with its files untagged (found by a review).
     */
    @Test
    void aLinkToAFolderIsPassedOverSayingWhy(@TempDir Path dir) throws IOException {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("x.wav"), "");
        Path batch = Files.createDirectories(dir.resolve("batch"));
        Files.writeString(batch.resolve("a.wav"), "");
        Files.createSymbolicLink(batch.resolve("sub"), Path.of("../other"));
        java.util.Map<Path, String> passed = new java.util.HashMap<>();
        List<Path> files = dev.moodtag.storage.LocalObjectStorage.regularFiles(batch, passed::put);
        assertEquals(List.of(batch.resolve("a.wav")), files);
        assertEquals(java.util.Set.of(batch.resolve("sub")), passed.keySet());
        assertTrue(passed.get(batch.resolve("sub")).contains("a link to a folder, not followed"), passed.toString());
    }

    /**
     * Links to files inside a batch's folder (found by a review: every one was "rejected ... goes through a symbolic
     * link", though the folder's files are what the user named). A link to a media file elsewhere is tagged under the
     * link's own name, reading the file it leads to, and its result is written in the folder (a link planted at the
     * result's name is refused, never written through); a link to a file the batch lists anyway is that file, tagged
     * once; a loop of links, a link to nothing and a link to a FIFO are passed over, each saying why.
     */
    @Test
    void aLinkToAFileIsTaggedUnderItsNameOnceAndLoopsAndDanglingLinksArePassedOver(@TempDir Path dir) throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("x.wav"), "the linked recording");
        Files.writeString(elsewhere.resolve("x.vtt"), "WEBVTT");
        Files.writeString(elsewhere.resolve("evil.json"), "untouched");
        Path batch = Files.createDirectories(dir.resolve("batch"));
        Files.writeString(batch.resolve("a.wav"), "a");
        Files.createSymbolicLink(batch.resolve("linked.wav"), Path.of("../elsewhere/x.wav"));
        Files.createSymbolicLink(batch.resolve("linked.vtt"), elsewhere.resolve("x.vtt"));
        Files.createSymbolicLink(batch.resolve("also-linked.wav"), batch.resolve("linked.wav")); // a chain: the same file
        Files.createSymbolicLink(batch.resolve("same-as-a.wav"), Path.of("a.wav"));
        Files.writeString(batch.resolve(".hidden.wav"), "hidden"); // not tagged itself: a link to it is
        Files.createSymbolicLink(batch.resolve("shown.wav"), Path.of(".hidden.wav"));
        Files.createSymbolicLink(batch.resolve("loop1.wav"), Path.of("loop2.wav"));
        Files.createSymbolicLink(batch.resolve("loop2.wav"), Path.of("loop1.wav"));
        Files.createSymbolicLink(batch.resolve("dangling.wav"), Path.of("gone.wav"));
        Files.createSymbolicLink(batch.resolve("folder-loop"), Path.of("."));
        Files.createSymbolicLink(batch.resolve("linked.wav.emotion.json"), elsewhere.resolve("evil.json"));
        Process mkfifo = new ProcessBuilder("mkfifo", elsewhere.resolve("pipe").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Files.createSymbolicLink(batch.resolve("pipe.wav"), elsewhere.resolve("pipe"));
        assertEquals(0, new ProcessBuilder("mkfifo", batch.resolve("fifo.wav").toString()).start().waitFor());

        java.util.Map<Path, String> passed = new java.util.TreeMap<>();
        List<Path> files = dev.moodtag.storage.LocalObjectStorage.regularFiles(batch, passed::put);
        assertEquals(java.util.Set.of("loop1.wav", "loop2.wav", "dangling.wav", "folder-loop", "pipe.wav", "fifo.wav"),
                passed.keySet().stream().map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                passed.toString());
        assertTrue(passed.get(batch.resolve("loop1.wav")).contains("loop"), passed.toString());
        assertTrue(passed.get(batch.resolve("dangling.wav")).contains("leads nowhere"), passed.toString());
        assertTrue(passed.get(batch.resolve("pipe.wav")).contains("not a regular file"), passed.toString());
        assertEquals(dev.moodtag.support.NotARegularFile.OTHER, passed.get(batch.resolve("fifo.wav")), passed.toString());
        assertTrue(files.contains(batch.resolve("linked.wav")), files.toString());

        List<BatchItem> items = sources.resolve(batch.toString(), ".emotion.json");
        assertEquals(List.of("a.wav", "also-linked.wav", "shown.wav"), items.stream().map(i -> i.ref().key()).toList(),
                "a.wav once, the linked recording once (under the first of its names), no sidecar, nothing passed over");
        BatchItem linked = items.get(1);
        assertEquals(batch.toRealPath().resolve("also-linked.wav").toString(),
                Path.of(linked.ref().container(), linked.ref().key()).toString(), "tagged under the link's name");
        assertEquals(20, linked.store().stat(linked.ref()).orElseThrow().size());
        assertEquals(linked.ref(), linked.store().stat(linked.ref()).orElseThrow().ref());
        assertEquals("the linked recording", linked.store().read(linked.ref(), (in, n) -> new String(in.readAllBytes())));
        ObjectRef sidecar = linked.ref().sibling("linked.vtt");
        assertEquals("WEBVTT", linked.store().read(sidecar, (in, n) -> new String(in.readAllBytes())), "its linked sidecar too");
        linked.store().confine(linked.ref());

        linked.store().writeAtomically(linked.ref().sibling("also-linked.wav.emotion.json"), "{}".getBytes(), "application/json");
        assertEquals("{}", Files.readString(batch.resolve("also-linked.wav.emotion.json")), "the result is in the folder");
        assertEquals(List.of("evil.json", "pipe", "x.vtt", "x.wav"), Files.list(elsewhere).map(f -> f.getFileName().toString())
                .sorted().toList(), "nothing written where the link leads");
        StorageException planted = assertThrows(StorageException.class, () -> linked.store().writeAtomically(
                linked.ref().sibling("linked.wav.emotion.json"), "{}".getBytes(), "application/json"));
        assertEquals(StorageException.Kind.NOT_ALLOWED, planted.kind(), planted.getMessage());
        assertEquals("untouched", Files.readString(elsewhere.resolve("evil.json")), "nothing written through a planted link");
    }

    private static boolean unreadable(Path folder) {
        try (var list = Files.list(folder)) {
            return list.count() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void aManifestNamesLocalFilesRelativeToItselfAndS3Objects(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("clips"));
        Files.writeString(dir.resolve("clips/x.wav"), "");
        Path elsewhere = Files.createTempFile("moodtag-manifest", ".mp4");
        try {
            Files.writeString(dir.resolve("list.csv"), "path,speaker\nclips/x.wav,03\n\"" + elsewhere + "\",04\n"
                    + "# a comment\ns3://media/interviews/y.mp4,05\n");
            List<BatchItem> items = sources.resolve(dir.resolve("list.csv").toString(), ".emotion.json");
            assertEquals(3, items.size());
            assertEquals(dir.resolve("clips/x.wav").toUri().getPath(), Path.of(items.get(0).ref().container(), items.get(0).ref().key()).toUri().getPath());
            assertEquals(elsewhere.getFileName().toString(), items.get(1).ref().key());
            assertEquals(ObjectRef.s3("media", "interviews/y.mp4"), items.get(2).ref());
        } finally {
            Files.deleteIfExists(elsewhere);
        }
    }

    /**
     * A manifest row in a folder that does not exist names a file that does not exist: NOT_FOUND, for good, unlike a
     * configured root missing for a while (LocalObjectStorageTest).
     */
    @Test
    void aManifestRowInAMissingFolderIsNotFoundForGood(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("list.csv"), "gone/clip.wav\n");
        BatchItem item = sources.resolve(dir.resolve("list.csv").toString(), ".emotion.json").get(0);
        StorageException e = assertThrows(StorageException.class, () -> item.store().stat(item.ref()));
        assertEquals(StorageException.Kind.NOT_FOUND, e.kind(), e.getMessage());
    }

    @Test
    void aManifestReadsQuotedNamesWithCommasQuotesAndLineBreaks(@TempDir Path dir) throws IOException {
        List<String> names = List.of("plain.wav", "a, b.wav", "say \"hi\".wav", "\"\".wav", "two\nlines.wav",
                "#not-a-comment.wav", " spaced .wav", "é😀.wav");
        StringBuilder csv = new StringBuilder("\uFEFFpath,note\n# a comment line\n\n");
        for (String n : names) {
            Files.writeString(dir.resolve(n), "");
            csv.append('"').append(n.replace("\"", "\"\"")).append("\",\"x, \"\"y\"\"\"\n");
        }
        Files.writeString(dir.resolve("list.csv"), csv);
        List<String> keys = sources.resolve(dir.resolve("list.csv").toString(), ".emotion.json").stream()
                .map(i -> i.ref().key()).toList();
        assertEquals(names, keys);
    }

    @Test
    void aMalformedManifestIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.csv"), "path\n\"unclosed.wav,x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sources.resolve(dir.resolve("bad.csv").toString(), ".emotion.json"));
        assertTrue(e.getMessage().contains("bad.csv"), e.getMessage());
    }

    @Test
    void unusableInputsAreRefusedWithTheReason(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sources.resolve(dir.resolve("nothing-here").toString(), ".emotion.json"));
        assertTrue(e.getMessage().contains("neither a folder"), e.getMessage());
        assertThrows(StorageException.class, () -> sources.resolve("s3://other-bucket/x/", ".emotion.json"));
    }

    @Test
    void s3LinesOfAManifestThatNameNoObjectAreRefusedWithTheirLine(@TempDir Path dir) throws IOException {
        // Before S3Uri, "s3://media/dir/" became the object "dir/" and an invalid bucket reached S3.
        Files.createDirectories(dir.resolve("clips"));
        Files.writeString(dir.resolve("clips/ok.wav"), "");
        for (String bad : List.of("s3://", "s3:///x.wav", "s3://media", "s3://media/", "s3://media/dir/", "s3://Media/x.wav",
                "s3://me/x.wav", "s3://me_dia/x.wav", "s3://media/" + "k".repeat(1025))) {
            Files.writeString(dir.resolve("list.csv"), "path\nclips/ok.wav\n" + bad + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sources.resolve(dir.resolve("list.csv").toString(), ".emotion.json"), bad);
            assertTrue(e.getMessage().contains("list.csv line 3"), e.getMessage());
        }
    }

    @Test
    void s3ListingsNeedAValidBucket() {
        // Before S3Uri, "s3://" and "s3:///x" listed the bucket "" (a storage error, not a usage one).
        for (String bad : List.of("s3://", "s3:///", "s3:///x/", "s3://Media/x/", "s3://ab/"))
            assertThrows(IllegalArgumentException.class, () -> sources.resolve(bad, ".emotion.json"), bad);
    }
}
