package dev.moodtag.media;

import dev.moodtag.media.FfmpegMediaDecoder.Opened;
import dev.moodtag.media.FfmpegMediaDecoder.Progress;
import dev.moodtag.media.MediaException.Kind;
import dev.moodtag.support.Stopped;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * A film decoded in parts, each with a demuxer of its own: the audio, and the video in two parts split at a keyframe
 * near its middle. Decoding the video is the long, serial part of an utterance (each frame refers to the one before);
 * split at a random-access point, the two parts can decode side by side, each sampled from its own first frame, and
 * the audio, with the speech and text encoders behind it, is ready within a few tens of milliseconds instead of at the
 * end. Each part's frames reach the collector (and the listener) as they are decoded. The end of the file is judged
 * on all parts together, as a single pass would judge it.
 *
 * <p><b>The parts are a function of the file and the configuration only.</b> Whether a film is split, and where, is
 * read from its header and index; how busy the machine is decides only whether the parts run side by side (on
 * {@link #sideThreads}) or one after another on the calling thread. Either way each part is decoded from the same
 * seek, stops at the same frame and is sampled on the same grid, and the face encoder restarts its tracking at the
 * same frame, so a file gets bit-identical embeddings and the same label whatever else is being decoded. (Deciding
 * the split itself by load, as before, gave a loaded machine one more frame and one less tracking restart.)
 *
 * <p><b>So is the failure it reports.</b> A part that finds a failure of the file stops; the others run on to their
 * own end, or until they are past the place on the file's clock where it was found (anything they found later would
 * not be reported), and the failure reported is the earliest on the clock, as in one pass ({@link DecodeFailures}).
 * Only a spent time budget, an interruption or an error that is not the file's stops every part at once.
 *
 * <p>Where the container indexes no keyframe far enough from both ends (Matroska's index is read only at the first
 * seek), or the film is declared longer than one utterance's frames, the video is decoded in one part. If the seek
 * fails, or the second part fails before its first frame, the first part decodes to the end instead: also a
 * property of the file.
 */
final class PartedFilmDecoder {

    private static final Logger LOG = Logger.getLogger(PartedFilmDecoder.class);
    /** The parts of a split video are each at least this long: splitting costs a second opening and a seek. */
    private static final double MIN_PART_SECONDS = 0.5;
    private static final int AVINDEX_KEYFRAME = 1;

    private final FfmpegMediaDecoder decoder;
    private final MediaConfig config;
    /** Decodes the audio and the second part of the video of films beside the first; threads end after a minute idle. */
    private final ExecutorService sideThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "moodtag-decode-part");
        t.setDaemon(true);
        return t;
    });

    PartedFilmDecoder(FfmpegMediaDecoder decoder, MediaConfig config) {
        this.decoder = decoder;
        this.config = config;
    }

    /**
     * Decodes the film whose video {@code video} has open. {@code sideBySide} (the caller's reading of the load) says
     * only where the parts run: on side threads while cores are idle; one after another on this thread when the files
     * are the parallelism (the audio first, so that the speech and text encoders start early; then the second part,
     * which finds where the first ends; then the first).
     */
    void decode(Path file, Opened video, UtteranceCollector collector, TimeBudget budget, boolean sideBySide) {
        StreamInfo info = video.info();
        DecodeFailures failures = new DecodeFailures();
        // Split only a video whose frames all fit in one utterance: the parts' frames are kept as they come.
        SplitPoint split = info.declaredSeconds() > 0 && info.declaredSeconds() * info.sampledFps() < config.maxFrames()
                ? splitPoint(video.grabber()) : null;
        Boundary boundary = split == null ? null : new Boundary(split.seconds());
        Side<Progress> audio = null, second = null;
        Progress audioProgress = null, rest = null;
        Progress first = new Progress(info, video.byteLengthChecked(), false, true);
        first.until = boundary;
        first.failures = failures;
        try {
            if (info.hasAudio()) {
                if (sideBySide) audio = onSide(budget, () -> decodeAudio(file, collector, failures, budget));
                else audioProgress = decodeAudio(file, collector, failures, budget);
            }
            if (split != null) {
                if (sideBySide) second = onSide(budget, () -> decodeSecondPart(file, split, boundary, collector, failures, budget));
                else rest = decodeSecondPart(file, split, boundary, collector, failures, budget);
            }
            FfmpegMediaDecoder.pump(video, new OnlyVideo(collector), first, false, budget);
            if (second != null) rest = await(second, failures);
            if (audio != null) audioProgress = await(audio, failures);
        } catch (RuntimeException | Error e) {
            failures.stop(e);
            if (second != null) awaitQuietly(second, failures);
            if (audio != null) awaitQuietly(audio, failures);
            failures.report();
            throw e;
        }
        // Every part has run to its end, or to where it was past the earliest failure: that one is the file's.
        failures.report();
        Progress videoProgress = rest != null && first.stoppedAtBoundary ? rest : first;
        if (audioProgress == null) audioProgress = new Progress(info, video.byteLengthChecked(), false, false);
        Progress both = Progress.together(audioProgress, videoProgress);
        if (both.cutShort(video.grabber())) throw new MediaException(Kind.TRUNCATED, info.source(), both.describeCut());
    }

    private Progress decodeAudio(Path file, UtteranceCollector collector, DecodeFailures failures, TimeBudget budget) {
        try {
            Opened opened = decoder.open(file, false, budget);
            try {
                Progress p = new Progress(opened.info(), opened.byteLengthChecked(), true, false);
                p.failures = failures;
                FfmpegMediaDecoder.pump(opened, new OnlyAudio(collector), p, false, budget);
                // decoded to its end, not stopped by a failure
                if (p.wantAudio) collector.audioEnded();
                return p;
            } finally {
                FfmpegMediaDecoder.release(opened.grabber());
            }
        } catch (RuntimeException | Error e) {
            failures.stop(e);
            throw e;
        }
    }

    /** Where the video is split: a keyframe in the container's index, in the stream's units and in seconds. */
    private record SplitPoint(int stream, long timestamp, double seconds) {
    }

    /** The indexed keyframe nearest the middle of the video, at least {@link #MIN_PART_SECONDS} from both ends. */
    private static SplitPoint splitPoint(FFmpegFrameGrabber grabber) {
        AVFormatContext oc = grabber.getFormatContext();
        AVStream st = FfmpegMediaDecoder.firstStream(oc, AVMEDIA_TYPE_VIDEO);
        if (st == null) return null;
        double unit = st.time_base().num() / (double) st.time_base().den();
        long origin = st.start_time() == AV_NOPTS_VALUE ? 0 : st.start_time();
        double length = st.duration() != AV_NOPTS_VALUE ? st.duration() * unit : FfmpegMediaDecoder.declaredSeconds(grabber);
        SplitPoint best = null;
        int entries = avformat_index_get_entries_count(st);
        for (int i = 1; i < entries; i++) {
            AVIndexEntry e = avformat_index_get_entry(st, i);
            if (e == null || (e.flags() & AVINDEX_KEYFRAME) == 0) continue;
            double at = (e.timestamp() - origin) * unit;
            if (at < MIN_PART_SECONDS || at > length - MIN_PART_SECONDS) continue;
            if (best == null || Math.abs(at - length / 2) < Math.abs(best.seconds() - length / 2))
                best = new SplitPoint(st.index(), e.timestamp(), at);
        }
        return best;
    }

    /** Where the video of the file {@code opened} holds would be split, in seconds, or NaN. */
    static double splitSeconds(Opened opened) {
        SplitPoint p = opened.info().hasVideo() && !opened.info().stillImage() ? splitPoint(opened.grabber()) : null;
        return p == null ? Double.NaN : p.seconds();
    }

    /**
     * Where the first part of a split video ends: the time of the first frame the second part decoded after its seek.
     * Known within milliseconds of the start, but the first part asks only when it comes near the keyframe's index
     * time: an index holds decoding times, and a frame is never shown before it is decoded, so every earlier frame is
     * the first part's (the margin covers a stream starting a little after the file).
     */
    static final class Boundary {
        private final double nearSeconds;
        private final CompletableFuture<Double> start = new CompletableFuture<>();

        Boundary(double keyframeSeconds) {
            this.nearSeconds = keyframeSeconds - 0.25;
        }

        boolean reached(double seconds) {
            return seconds >= nearSeconds && seconds >= start.join();
        }

        /** The second part starts here; later calls change nothing. */
        void startsAt(double seconds) {
            start.complete(seconds);
        }
    }

    /**
     * The video from the split point to the end, on its own demuxer, its frames handed to the collector as they are
     * decoded. If the seek fails or nothing decodes before a failure, the first part is told to go on to the end
     * instead (returns null); a failure after the second part has started is the file's, left in {@code failures}.
     */
    private Progress decodeSecondPart(Path file, SplitPoint split, Boundary boundary, UtteranceCollector collector,
                                      DecodeFailures failures, TimeBudget budget) {
        try {
            // one codec thread, as the first part has, side by side or not: a damaged picture is concealed otherwise
            // with frame threads
            Opened opened = decoder.open(file, true, budget);
            try {
                // Forward: to the indexed keyframe itself. Backward lands on the one before when the index holds
                // decoding times and the keyframe is shown a little later (MP4 with B-frames).
                if (av_seek_frame(opened.grabber().getFormatContext(), split.stream(), split.timestamp(), 0) < 0) {
                    boundary.startsAt(Double.POSITIVE_INFINITY);
                    return null;
                }
                Progress p = new Progress(opened.info(), opened.byteLengthChecked(), false, true);
                p.failures = failures;
                p.throwsBeforeFirstFrame = true;
                FfmpegMediaDecoder.pump(opened, new OnlySecondPart(collector, boundary), p, false, budget);
                boolean started = boundary.start.isDone();
                boundary.startsAt(Double.POSITIVE_INFINITY);
                return started ? p : null;
            } finally {
                FfmpegMediaDecoder.release(opened.grabber());
            }
        } catch (RuntimeException | Error e) {
            // A failure of the file before the first frame (the pump throws only those, a spent budget and errors
            // not the file's) is answered by the first part decoding on; the others stop every part.
            boolean fileFailure = e instanceof MediaException && !(e instanceof TimeBudget.Spent);
            if (boundary.start.complete(Double.POSITIVE_INFINITY) && fileFailure) return null;
            failures.stop(e);
            throw e;
        }
    }

    /** The collector's frames of the second part of a split video, the first of them marking where it starts. */
    private record OnlySecondPart(UtteranceCollector collector, Boundary boundary) implements MediaSink {
        @Override
        public boolean audio(AudioTrack chunk) {
            return false;
        }

        @Override
        public boolean frame(VideoFrame frame) {
            boundary.startsAt(frame.timestampSeconds());
            return collector.laterPartFrame(frame);
        }
    }

    /** The collector's audio. */
    private record OnlyAudio(UtteranceCollector collector) implements MediaSink {
        @Override
        public boolean audio(AudioTrack chunk) {
            return collector.audio(chunk);
        }

        @Override
        public boolean frame(VideoFrame frame) {
            return false;
        }
    }

    /** The collector's frames of the first (or only) part of the video. */
    private record OnlyVideo(UtteranceCollector collector) implements MediaSink {
        @Override
        public boolean audio(AudioTrack chunk) {
            return false;
        }

        @Override
        public boolean frame(VideoFrame frame) {
            return collector.frame(frame);
        }
    }

    /**
     * A part decoded on a side thread. Its future alone cannot say when the thread has let go of the collector: after
     * {@code cancel} the thread may still be inside the collector (feeding a recogniser that the caller then closes,
     * freeing native memory under it), so the part also counts down when its thread leaves.
     */
    private static final class Side<T> {
        private final CountDownLatch left = new CountDownLatch(1);
        private final AtomicBoolean started = new AtomicBoolean();
        private Future<T> future;

        /** Waits, through interruptions, until the part's thread has left it (or it never started). */
        void awaitLeft() {
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LEAVE_WAIT_SECONDS);
            try {
                while (!(future.isDone() && !started.get()) && left.getCount() > 0) {
                    try {
                        if (left.await(100, TimeUnit.MILLISECONDS)) return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                    if (System.nanoTime() > deadline) {
                        LOG.warnf("a decoding side thread has not stopped after %d s", LEAVE_WAIT_SECONDS);
                        return;
                    }
                }
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
    }

    /** The parts stop at their next packet once everything stops; this bounds the wait for one that does not. */
    private static final int LEAVE_WAIT_SECONDS = 60;

    /** {@code part} on a side thread, its CPU time charged to the object's {@code budget}. */
    private <T> Side<T> onSide(TimeBudget budget, Supplier<T> part) {
        Side<T> side = new Side<>();
        side.future = sideThreads.submit(() -> {
            side.started.set(true);
            try (CpuAccount.Scope charged = budget.charge()) {
                return part.get();
            } finally {
                side.left.countDown();
            }
        });
        return side;
    }

    private static <T> T await(Side<T> side, DecodeFailures failures) {
        try {
            return side.future.get();
        } catch (InterruptedException e) {
            Stopped stopped = new Stopped("interrupted while decoding", e);
            failures.stop(stopped);
            side.future.cancel(true);
            side.awaitLeft();
            Thread.currentThread().interrupt();
            throw stopped;
        } catch (CancellationException e) {
            side.awaitLeft();
            Stopped stopped = new Stopped("a decoding part was cancelled", e);
            failures.stop(stopped);
            throw stopped;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits for the other stream's thread to stop, so that nothing decodes on after the failure is reported. */
    private static void awaitQuietly(Side<?> side, DecodeFailures failures) {
        try {
            await(side, failures);
        } catch (RuntimeException | Error e) {
            // DecodeFailures decides which is reported.
        } finally {
            side.awaitLeft();
        }
    }
}
