package dev.moodtag.encode;

import dev.moodtag.media.AudioTrack;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The voice-activity regions of one utterance, found once however many of its speech encoders ask. The engine makes
 * one per utterance and drops it with the utterance, so nothing is shared between requests and nothing needs
 * evicting. The encoders of one utterance run concurrently: a second asker waits for the first one's pass.
 */
final class UtteranceSpeechRegions {

    /** Keyed by track identity: an utterance has one audio track, but the object behind it is what was encoded. */
    private final Map<AudioTrack, CompletableFuture<List<SpeechActivityDetector.Region>>> found = new IdentityHashMap<>(2);

    List<SpeechActivityDetector.Region> of(AudioTrack audio, SpeechActivityDetector detector) {
        CompletableFuture<List<SpeechActivityDetector.Region>> mine = new CompletableFuture<>();
        CompletableFuture<List<SpeechActivityDetector.Region>> shared;
        synchronized (found) {
            shared = found.putIfAbsent(audio, mine);
        }
        if (shared != null) return shared.join();
        try {
            List<SpeechActivityDetector.Region> regions = List.copyOf(detector.speechRegions(audio));
            mine.complete(regions);
            return regions;
        } catch (RuntimeException e) {
            // A failed pass is not remembered: the next asker of this utterance tries again.
            synchronized (found) {
                found.remove(audio);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }
}
