package dev.moodtag.encode;

import dev.moodtag.media.AudioTrack;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SharedSpeechRegionsTest {

    /** Counts passes; the first pass waits until the test lets it finish, so concurrent askers really overlap. */
    static final class CountingDetector implements SpeechActivityDetector {
        final AtomicInteger passes = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean fail;

        @Override
        public List<Region> speechRegions(AudioTrack audio) {
            passes.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (fail) throw new IllegalStateException("detector failed");
            return List.of(new Region(0, audio.durationSeconds()));
        }

        @Override
        public AudioTrack keepSpeech(AudioTrack audio) {
            return audio;
        }
    }

    @Test
    void concurrentAskersOfOneTrackShareOnePass() throws Exception {
        CountingDetector counting = new CountingDetector();
        SharedSpeechRegions shared = new SharedSpeechRegions(counting);
        AudioTrack track = new AudioTrack(new float[16000]);
        CompletableFuture<List<SpeechActivityDetector.Region>> a = CompletableFuture.supplyAsync(() -> shared.speechRegions(track));
        CompletableFuture<List<SpeechActivityDetector.Region>> b = CompletableFuture.supplyAsync(() -> shared.speechRegions(track));
        Thread.sleep(100);
        counting.release.countDown();
        assertEquals(a.get(), b.get());
        assertEquals(1, counting.passes.get());

        shared.speechRegions(new AudioTrack(new float[16000])); // equal content, different track
        assertEquals(2, counting.passes.get());
    }

    @Test
    void aFailedPassIsNotRemembered() {
        CountingDetector counting = new CountingDetector();
        counting.release.countDown();
        counting.fail = true;
        SharedSpeechRegions shared = new SharedSpeechRegions(counting);
        AudioTrack track = new AudioTrack(new float[1600]);
        assertThrows(IllegalStateException.class, () -> shared.speechRegions(track));
        counting.fail = false;
        assertEquals(1, shared.speechRegions(track).size());
        assertEquals(2, counting.passes.get());
    }
}
