package dev.moodtag.function;

import dev.moodtag.media.DecodeBounds;
import dev.moodtag.media.DecodeListener;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaSink;
import dev.moodtag.media.TimeBudget;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real decoder, whose decoding threads wait or compute on every frame as {@link #pace} says: an object starved by
 * the machine's load or one whose own work is over its time budget, for the tests of the budget's verdict
 * ({@link TimeBudgetFunctionTest}, the watch mode's).
 */
@Alternative // enabled by a test profile only: a @Priority would enable it in every Quarkus test
@ApplicationScoped
public class PacedDecoder implements MediaDecoder {
    /** How the decoding threads spend their time on each sampled frame, on top of decoding it. */
    public enum Pace { NONE, WAITING, COMPUTING }

    public static volatile Pace pace = Pace.NONE;

    /**
     * A test profile's settings with this decoder: {@code root} the local storage root, 5 s allowed whatever the length
     * (the sample's own work takes a fraction of it), and a starved object stops at 2 x 5 s.
     */
    public static Map<String, String> settings(Path root) {
        return Map.of("moodtag.storage.local.roots", root.toString(), "moodtag.onnx.device", "cpu",
                "moodtag.budget.base", "PT5S", "moodtag.budget.per-media-second", "0",
                "moodtag.budget.starved-cap", "2");
    }
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Inject
    FfmpegMediaDecoder real;

    @Override
    public Utterance decode(Path file, Transcript transcript, DecodeListener listener) {
        return decode(file, transcript, listener, DecodeBounds.NONE);
    }

    @Override
    public Utterance decode(Path file, Transcript transcript, DecodeListener listener, DecodeBounds bounds) {
        Pace now = pace;
        AtomicBoolean computed = new AtomicBoolean();
        return real.decode(file, transcript, new DecodeListener() {
            @Override
            public void audioAndText(Utterance withoutVideo) {
                listener.audioAndText(withoutVideo);
            }

            @Override
            public void frame(int part, VideoFrame frame) {
                // waiting: 1.5 s per frame on the wall clock (each part of the film has more than 7 frames), no
                // CPU time; computing: more CPU time than the whole budget, at once, so that no load can make it
                // look starved
                if (now == Pace.WAITING) sleep(1500);
                if (now == Pace.COMPUTING && computed.compareAndSet(false, true)) {
                    long end = THREADS.getCurrentThreadCpuTime() + 5_300_000_000L;
                    while (THREADS.getCurrentThreadCpuTime() < end) Thread.onSpinWait();
                }
                listener.frame(part, frame);
            }
        }, bounds);
    }

    @Override
    public String frameSampling() {
        return real.frameSampling();
    }

    @Override
    public void stream(Path file, MediaSink sink) {
        real.stream(file, sink);
    }

    @Override
    public void stream(Path file, MediaSink sink, TimeBudget budget) {
        real.stream(file, sink, budget);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
