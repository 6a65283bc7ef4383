package dev.moodtag.encode;

import dev.moodtag.media.AudioTrack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The voice-activity regions of one utterance, found once however many of its speech encoders ask. The engine makes
 * one per utterance and drops it with the utterance, so nothing is shared between requests and nothing needs
 * evicting. The encoders of one utterance run concurrently: a second asker waits for the first one's pass.
 */
final class UtteranceSpeechRegions {

    /**
     * A track as one hearing gives it to the detector. The track is compared by identity: an utterance has one audio
     * track, but the object behind it is what was encoded.
     */
    private record Heard(AudioTrack track, UnaryOperator<AudioTrack> hearing) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Heard h && h.track == track && h.hearing.equals(hearing);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(track) + hearing.hashCode();
        }
    }

    private final Map<Heard, CompletableFuture<List<SpeechActivityDetector.Region>>> found = new HashMap<>(4);

    List<SpeechActivityDetector.Region> of(AudioTrack audio, SpeechActivityDetector detector) {
        return of(audio, SpeechActivityDetector.AS_RECORDED, detector);
    }

    List<SpeechActivityDetector.Region> of(AudioTrack audio, UnaryOperator<AudioTrack> hearing,
                                           SpeechActivityDetector detector) {
        Heard key = new Heard(audio, hearing);
        CompletableFuture<List<SpeechActivityDetector.Region>> mine = new CompletableFuture<>();
        CompletableFuture<List<SpeechActivityDetector.Region>> shared;
        synchronized (found) {
            shared = found.putIfAbsent(key, mine);
        }
        if (shared != null) return shared.join();
        try {
            List<SpeechActivityDetector.Region> regions = List.copyOf(detector.speechRegions(audio, hearing));
            mine.complete(regions);
            return regions;
        } catch (RuntimeException e) {
            // A failed pass is not remembered: the next asker of this utterance tries again.
            synchronized (found) {
                found.remove(key);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }
}
