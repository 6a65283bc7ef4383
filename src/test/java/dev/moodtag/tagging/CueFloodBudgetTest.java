package dev.moodtag.tagging;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.label.NoClassifierLabeller;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.TimeBudget;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.Utterance;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sidecar of many cues over the same second makes as many timeline segments, all complete at one packet: found by
 * the transcript fuzz campaign ({@code bench/text-fuzz.sh}), 20,000 cues of 0.5-1.5 s beside the 3.3 s sample film
 * were still being encoded after 6 minutes of CPU time against a 62 s budget, since only decoding checked it.
 */
class CueFloodBudgetTest {

    @TempDir
    Path dir;

    /** The text-only pack's engine, counting the segments it is asked to encode. */
    static final class CountingEngine extends EmbeddingEngine {
        final AtomicInteger embedded = new AtomicInteger();

        CountingEngine() {
            super(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
        }

        @Override
        public UtteranceEmbeddings embed(Utterance utterance) {
            embedded.incrementAndGet();
            return super.embed(utterance);
        }
    }

    @Test
    void segmentsMadeAtOnceStopWhenTheObjectsBudgetIsSpent() throws Exception {
        Path media = Files.copy(Fixtures.sample("03a05Fc.wav"), dir.resolve("flood.wav"));
        int cues = 20_000;
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("flood.srt"))) {
            for (int i = 1; i <= cues; i++) w.write(i + "\n00:00:00,500 --> 00:00:01,500\nagain\n\n");
        }
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        TimeBudgetConfig budget = new TimeBudgetConfig() {
            public Duration base() { return Duration.ofSeconds(1); }
            public double perMediaSecond() { return 0; }
            public double starvedCap() { return 1; }
        };
        try (CountingEngine engine = new CountingEngine()) {
            TimelineTagger timelines = new TimelineTagger(decoder, engine, new NoClassifierLabeller("none"),
                    new SegmentingSinkTest.Config(10, 2), budget, TranscriptChain.standard(TranscriptLimits.DEFAULTS),
                    new dev.moodtag.tagging.ObjectCopierTest.Limits(16L << 20));
            MediaException e = assertThrows(MediaException.class, () -> timelines.tag(media, decoder.probe(media), "flood.wav",
                    TimeBudget.start(budget.base(), budget.perMediaSecond(), budget.starvedCap())));
            assertEquals(MediaException.Kind.LIMIT_EXCEEDED, e.kind(), e.getMessage());
            // a second of work encodes a few hundred of these at most, not all of them
            assertTrue(engine.embedded.get() < cues / 4, engine.embedded.get() + " of " + cues + " segments encoded");
        }
    }
}
