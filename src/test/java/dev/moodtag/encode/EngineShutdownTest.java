package dev.moodtag.encode;

import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.Utterance;
import dev.moodtag.support.Stopped;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine closing under work (the process shutting down past its drain) stops that work as {@link Stopped}, which
 * the recognizer answers as retryable with nothing written. Before, the work failed with a refused pool task or a
 * closed ONNX session, was written as an {@code internal} error result and kept for good (found by a review).
 */
class EngineShutdownTest {

    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    @Test
    void workAfterTheEngineClosedIsStoppedNotAnError() {
        Utterance speech = decoder.decode(Fixtures.sample("03a05Fc.wav"), null);
        Path film = Fixtures.sample("01-01-01-01-01-01-01.mp4");
        for (boolean parallel : new boolean[]{false, true}) {
            EmbeddingEngine engine = new EmbeddingEngine(Fixtures.defaultPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, parallel);
            engine.close();
            Stopped s = assertThrows(Stopped.class, () -> engine.embed(speech), "parallel " + parallel);
            assertTrue(s.getMessage().contains("closed"), s.getMessage());
            assertThrows(Stopped.class, () -> engine.embedSequentially(speech), "parallel " + parallel);
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> engine.decodeAndEmbed(decoder, film, null), "parallel " + parallel);
            assertTrue(Stopped.explains(e), parallel + ": " + e);
            // the detector a long recording's segmenter calls (found by a review: it ran the closed session)
            assertThrows(Stopped.class, () -> engine.vad().orElseThrow().speechRegions(speech.audioTrack().orElseThrow()));
            engine.close(); // twice is harmless
        }
    }

    @Test
    void closingWhileUtterancesAreEmbeddedStopsThemAndCrashesNothing() throws Exception {
        Path film = Fixtures.sample("01-01-01-01-01-01-01.mp4");
        for (int round = 0; round < 3; round++) {
            EmbeddingEngine engine = new EmbeddingEngine(Fixtures.defaultPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, true);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicInteger done = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(2);
            Thread[] workers = new Thread[2];
            for (int w = 0; w < workers.length; w++) {
                workers[w] = new Thread(() -> {
                    started.countDown();
                    try {
                        while (true) {
                            engine.decodeAndEmbed(decoder, film, null);
                            done.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
                workers[w].start();
            }
            started.await();
            Thread.sleep(300L + 400L * round);
            engine.close();
            for (Thread t : workers) t.join(60_000);
            assertEquals(2, failures.size(), "each worker ends with one failure once the engine is closed");
            for (Throwable t : failures) assertTrue(Stopped.explains(t), "round " + round + ": " + t);
        }
    }
}
