package dev.moodtag.encode;

import dev.moodtag.media.AudioTrack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the voice-activity detector once per audio track however many speech encoders ask. The encoders of one
 * utterance run concurrently, so the second asker waits for the first one's pass instead of repeating it.
 * Tracks are keyed by identity (an {@link AudioTrack}'s equality is its sample array's identity), and only the
 * most recent few are remembered, since the engine handles a bounded number of utterances at a time.
 */
final class SharedSpeechRegions implements SpeechActivityDetector {

    private static final int REMEMBERED = 16;

    private final SpeechActivityDetector detector;
    private final Map<AudioTrack, CompletableFuture<List<Region>>> recent = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AudioTrack, CompletableFuture<List<Region>>> eldest) {
            return size() > REMEMBERED;
        }
    };

    SharedSpeechRegions(SpeechActivityDetector detector) {
        this.detector = detector;
    }

    @Override
    public List<Region> speechRegions(AudioTrack audio) {
        CompletableFuture<List<Region>> mine = new CompletableFuture<>();
        CompletableFuture<List<Region>> shared;
        synchronized (recent) {
            shared = recent.putIfAbsent(audio, mine);
        }
        if (shared != null) return shared.join();
        try {
            List<Region> regions = List.copyOf(detector.speechRegions(audio));
            mine.complete(regions);
            return regions;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            synchronized (recent) {
                recent.remove(audio);
            }
            throw e;
        }
    }

    @Override
    public AudioTrack keepSpeech(AudioTrack audio) {
        return detector.keepSpeech(audio);
    }

    @Override
    public void close() {
        detector.close();
    }
}
