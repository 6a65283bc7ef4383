package dev.moodtag.tagging;

import dev.moodtag.support.Stopped;
import org.junit.jupiter.api.Test;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tagging that was stopped from outside (an interrupted decode, a model closed at shutdown) is retried, not written as
 * an internal error: a result from the same pack makes every redelivery skip the object. Before, the interrupted
 * decode's {@code IllegalStateException} was written as {@code internal} (found by a review).
 */
class StoppedWorkTest {

    @Test
    void interruptionsAndClosingModelsAreRetriedAndRealFailuresAreNot() {
        assertTrue(Recognizer.stoppedBeforeFinishing(new Stopped("interrupted while decoding",
                new InterruptedException()), "s3://b/k").isPresent());
        assertTrue(Recognizer.stoppedBeforeFinishing(new RuntimeException("encoder failed",
                new Stopped("the speech recogniser's model is closed (shutting down)")), "k").isPresent());
        assertTrue(Recognizer.stoppedBeforeFinishing(new UncheckedIOException(new InterruptedIOException("read")), "k")
                .isPresent());
        assertTrue(Recognizer.stoppedBeforeFinishing(new IllegalStateException("x",
                new java.nio.channels.ClosedByInterruptException()), "k").isPresent());
        RetryableException r = Recognizer.stoppedBeforeFinishing(new Stopped("interrupted while decoding"), "s3://b/k")
                .orElseThrow();
        assertTrue(r.getMessage().contains("s3://b/k") && r.getMessage().contains("interrupted while decoding"), r.getMessage());

        assertFalse(Recognizer.stoppedBeforeFinishing(new IllegalStateException("ONNX Runtime: bad shape"), "k").isPresent(),
                "a failure of the work itself stays an internal error");
        RuntimeException selfCaused = new RuntimeException("loop");
        selfCaused.initCause(new RuntimeException("inner", new IllegalArgumentException("deep")));
        assertFalse(Stopped.explains(selfCaused));
    }

    @Test
    void anInterruptedThreadsFailureIsRetried() {
        Thread.currentThread().interrupt();
        try {
            assertTrue(Recognizer.stoppedBeforeFinishing(new IllegalStateException("FFmpeg: Immediate exit requested"), "k")
                    .isPresent());
        } finally {
            assertTrue(Thread.interrupted(), "the flag is left for the caller");
        }
    }
}
