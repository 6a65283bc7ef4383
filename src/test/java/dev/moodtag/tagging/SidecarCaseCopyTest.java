package dev.moodtag.tagging;

import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptRequest;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.StorageException;
import dev.moodtag.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sidecar copied from storage beside the media, as tag, watch and the function's local storage reach it
 * ({@link ObjectCopier}): found in any case of its extension, and confined exactly as the lower-case name is.
 */
class SidecarCaseCopyTest {
    @TempDir
    Path tmp;
    private Path root;
    private Path media;

    @BeforeEach
    void folder() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        assumeTrue(!Files.exists(tmp.resolve("ROOT")), "needs a case-sensitive file system");
        media = Files.copy(Fixtures.sample("03a05Fc.wav"), root.resolve("talk.wav"));
    }

    /** The function's store (links within the root followed) and moodtag tag's and watch's (links not followed). */
    private List<LocalObjectStorage> stores() {
        return List.of(new LocalObjectStorage(List.of(root), true), LocalObjectStorage.ofNamedFolder(root));
    }

    private TranscriptResolution copiedAndResolved(LocalObjectStorage store) throws Exception {
        ObjectCopier copier = new ObjectCopier(new TimelineTagger(null, null, null, new SegmentingSinkTest.Config(10, 2),
                ObjectCopierTest.BUDGET, null, new ObjectCopierTest.Limits(1 << 20)), new FunctionMetrics(new SimpleMeterRegistry()));
        Path scratch = Files.createTempDirectory(tmp, "scratch");
        ObjectCopier.Copy copy = copier.copy(store, store.stat(store.refFor(media)).orElseThrow(), scratch, 1L << 30);
        return TranscriptChain.standard(TranscriptLimits.DEFAULTS).resolve(TranscriptRequest.beside(copy.media()));
    }

    /** Every extension in three other cases, on both stores: the text is the sidecar's, its origin the name as stored. */
    @Test
    void aSidecarInAnotherCaseIsCopiedAndUsed() throws Exception {
        List<String> missed = new ArrayList<>();
        int n = 0;
        for (String name : List.of("talk.TXT", "talk.Txt", "talk.SRT", "talk.Srt", "talk.VTT", "talk.Vtt", "talk.JSON", "talk.jSoN")) {
            String ext = name.substring(5).toLowerCase();
            String body = switch (ext) {
                case "srt" -> "1\n00:00:00,000 --> 00:00:01,000\nKids are talking by the door.\n";
                case "vtt" -> "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nKids are talking by the door.\n";
                case "json" -> "{\"text\": \"Kids are talking by the door.\"}";
                default -> "Kids are talking by the door.";
            };
            Path sidecar = Files.writeString(root.resolve(name), body);
            for (LocalObjectStorage store : stores()) {
                n++;
                TranscriptResolution r = copiedAndResolved(store);
                if (r.transcript() == null || !"Kids are talking by the door.".equals(r.transcript().text())
                        || !name.equals(r.transcript().origin()))
                    missed.add(name + ": " + (r.transcript() == null ? r.whyMissing() : r.transcript().origin()));
            }
            Files.delete(sidecar);
        }
        assertEquals(List.of(), missed, missed.size() + " of " + n + " copies without their sidecar");
    }

    /** Two cases of one extension: the lower-case one, as the local lookup chooses. */
    @Test
    void theLowerCaseNameWinsInStorageToo() throws Exception {
        Files.writeString(root.resolve("talk.TXT"), "upper");
        Files.writeString(root.resolve("talk.txt"), "lower");
        Files.writeString(root.resolve("talk.Vtt"), "WEBVTT\n");
        for (LocalObjectStorage store : stores()) assertEquals("lower", copiedAndResolved(store).transcript().text());
        Files.delete(root.resolve("talk.txt"));
        for (LocalObjectStorage store : stores()) assertEquals("upper", copiedAndResolved(store).transcript().text());
    }

    /**
     * A sidecar name in another case that is a link out of the root is refused as the lower-case name is, on both
     * stores, and nothing outside is read: the found name goes through the same confinement as the exact one.
     */
    @Test
    void aLinkOutOfTheRootInAnotherCaseIsRefusedAsTheExactNameIs() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "the secret outside");
        for (LocalObjectStorage store : stores()) {
            List<String> answers = new ArrayList<>();
            for (String name : List.of("talk.txt", "talk.TXT", "talk.Srt", "talk.JSON")) {
                Path link = Files.createSymbolicLink(root.resolve(name), secret);
                try {
                    TranscriptResolution r = copiedAndResolved(store);
                    fail(name + " read through a link out of the root: " + (r.transcript() == null ? r.whyMissing() : r.transcript().text()));
                } catch (StorageException e) {
                    assertEquals(StorageException.Kind.NOT_ALLOWED, e.kind(), name + ": " + e.getMessage());
                    assertFalse(e.getMessage().contains("the secret outside"));
                    answers.add(e.getMessage().replace(name, "NAME"));
                }
                Files.delete(link);
            }
            assertEquals(1, answers.stream().distinct().count(), answers.toString());
        }
    }
}
