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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The media's copy from storage and its sidecar beside it, as the decoder then finds them. */
class ObjectCopierTest {
    @TempDir
    Path tmp;

    record Limits(long maxSidecarBytes) implements TranscriptConfig {
        public int maxTextChars() { return 8192; }
        public int maxCues() { return 20000; }
        public int maxWords() { return 100000; }
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
        TimelineTagger timelines = new TimelineTagger(null, null, null, new SegmentingSinkTest.Config(10, 2), null,
                null, new Limits(100));
        ObjectCopier copier = new ObjectCopier(timelines, new FunctionMetrics(new SimpleMeterRegistry()));
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));

        ObjectCopier.Copy copy = copier.copy(store, store.refFor(media), scratch, 1L << 30);
        TranscriptResolution r = TranscriptChain.standard(new TranscriptLimits(100, 8192, 20000, 100000))
                .resolve(TranscriptRequest.beside(copy.media()));

        // Recognition listens only where no link found anything (TranscriptChain.listenFor).
        assertFalse(TranscriptChain.foundNone(r), "the recogniser would guess over talk.txt: " + r.whyMissing());
        assertTrue(r.whyMissing().startsWith("transcript not used: talk.txt: ")
                && r.whyMissing().contains("moodtag.transcript.max-sidecar-bytes=100"), r.whyMissing());
    }
}
