package dev.moodtag.encode;

import dev.moodtag.media.AudioTrack;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.function.Supplier;

/**
 * The detector the speech encoders are given: while the engine runs an encoder on an utterance
 * ({@link #within}), regions come from that utterance's {@link UtteranceSpeechRegions}, so the detector runs once per
 * utterance; outside (tools, segmentation) every call is a pass of its own. Encoders keep asking the detector they
 * were built with, and never see another utterance's regions.
 */
final class UtteranceScopedDetector implements SpeechActivityDetector {

    private final SpeechActivityDetector detector;
    private final ThreadLocal<UtteranceSpeechRegions> current = new ThreadLocal<>();

    UtteranceScopedDetector(SpeechActivityDetector detector) {
        this.detector = detector;
    }

    /** Runs {@code work} on this thread with {@code regions} as the utterance's; restores what was there before. */
    <T> T within(UtteranceSpeechRegions regions, Supplier<T> work) {
        UtteranceSpeechRegions before = current.get();
        current.set(regions);
        try {
            return work.get();
        } finally {
            if (before == null) current.remove();
            else current.set(before);
        }
    }

    @Override
    public List<Region> speechRegions(AudioTrack audio) {
        return speechRegions(audio, AS_RECORDED);
    }

    @Override
    public List<Region> speechRegions(AudioTrack audio, UnaryOperator<AudioTrack> hearing) {
        UtteranceSpeechRegions regions = current.get();
        return regions == null ? detector.speechRegions(audio, hearing) : regions.of(audio, hearing, detector);
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
