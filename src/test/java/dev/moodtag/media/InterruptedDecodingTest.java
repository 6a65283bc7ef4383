package dev.moodtag.media;

import dev.moodtag.support.Stopped;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A film decoded in parts is interrupted (a worker pool shut down, a request cancelled) while its audio thread is
 * inside the recogniser. The decode must not return, and so must not close the recogniser, before that thread has
 * left it: the recogniser is native memory, and closing it under a running {@code acceptWaveForm} is a use after
 * free. Before, the interrupted wait cancelled the audio part and returned at once (found by a review). The failure is
 * reported as stopped work, which the function answers as retryable.
 */
class InterruptedDecodingTest {

    @Test
    @Timeout(120)
    void anInterruptedFilmWaitsForItsAudioThreadBeforeClosingTheRecogniser() throws Exception {
        AtomicBoolean inside = new AtomicBoolean(), closedWhileInside = new AtomicBoolean();
        AtomicInteger closed = new AtomicInteger();
        CountDownLatch fed = new CountDownLatch(3);
        HeardTranscripts slow = new HearingStub(samples -> {
            inside.set(true);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(40);
            while (System.nanoTime() < until) Thread.onSpinWait(); // native code does not see interrupts
            inside.set(false);
            fed.countDown();
        }, () -> {
            if (inside.get()) closedWhileInside.set(true);
            closed.incrementAndGet();
        }) {
            @Override
            public Recording recording() {
                throw new AssertionError("one utterance, not a recording");
            }
        };
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(true),
                new TranscriptChain(List.of(), slow));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                decoder.decode(Fixtures.sample("01-01-01-01-01-01-01.mp4"), null, DecodeListener.NONE);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        caller.start();
        assertTrue(fed.await(60, TimeUnit.SECONDS), "the audio reached the recogniser");
        caller.interrupt();
        caller.join(60_000);
        assertFalse(caller.isAlive());
        assertFalse(closedWhileInside.get(), "the recogniser was closed while the audio thread was inside it");
        assertEquals(1, closed.get(), "and it was closed");
        assertInstanceOf(Stopped.class, failure.get(), String.valueOf(failure.get()));
    }
}
