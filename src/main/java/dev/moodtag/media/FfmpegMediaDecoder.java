package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;

/**
 * Decodes media files with FFmpeg (through JavaCV): audio resampled to 16 kHz mono float, video sampled by
 * timestamp and scaled down to packed RGB24. One grabber per call, so one decoder serves many threads.
 *
 * <p>How failures are named: a file that cannot be read is NOT_FOUND; one FFmpeg cannot parse is CORRUPT,
 * unless it is recognisably something that is not media (PDF, zip, gzip, text) or a container whose codec
 * has no decoder here, which is UNSUPPORTED; a container whose header declares more bytes than the file
 * has (RIFF, ISO BMFF, Matroska), or, for other containers, whose decoded media ends far short of the
 * duration the container declares, is TRUNCATED.
 */
@ApplicationScoped
public class FfmpegMediaDecoder implements MediaDecoder {
    /**
     * Decoding that ends this far short of the declared duration (fraction and seconds) means a cut file. Loose,
     * because declared durations are often a little off: JavaCV's own recorder, for one, writes the last audio
     * packet's duration unscaled, adding up to a second.
     */
    private static final double CUT_FRACTION = 0.75;
    private static final double CUT_SECONDS = 1.0;
    private static final AtomicBoolean FFMPEG_QUIETED = new AtomicBoolean();

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private final MediaConfig config;
    private final TranscriptSource transcripts;
    /** Files being decoded by {@link #decode} right now, when decoding in parts is on. */
    private final AtomicInteger decoding = new AtomicInteger();
    /** Decodes the audio and the second part of the video of films beside the first; threads end after a minute idle. */
    private final ExecutorService sideThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "moodtag-decode-part");
        t.setDaemon(true);
        return t;
    });

    public FfmpegMediaDecoder(MediaConfig config) {
        this(config, TranscriptChain.standard(TranscriptLimits.DEFAULTS));
    }

    @Inject
    public FfmpegMediaDecoder(MediaConfig config, TranscriptChain transcripts) {
        this.config = config;
        this.transcripts = transcripts;
    }

    @Override
    public Utterance decode(Path file, Transcript transcript, DecodeListener listener) {
        String name = MediaFileCheck.nameOf(file);
        // The transcript first: the text encoder can start with the audio, long before the video is decoded.
        TranscriptResolution text = transcripts.resolve(TranscriptRequest.of(file, transcript));
        UtteranceCollector collector = new UtteranceCollector(name, config, text, listener);
        // Parts pay off while cores are idle; when as many files are being decoded as there are cores, the files are
        // the parallelism, and parts would only add work (one pass: 0.89x the time per utterance at concurrency 4).
        boolean inParts = config.parallelDecoding() && decoding.incrementAndGet() <= Math.max(1, CORES - 1);
        try {
            Opened opened = open(file, inParts);
            try {
                StreamInfo info = opened.info();
                collector.start(info);
                if (inParts && info.hasVideo() && !info.stillImage()) {
                    decodeInParallel(file, opened, collector);
                } else {
                    pump(opened, collector, new Progress(info, opened.byteLengthChecked(), info.hasAudio(), info.hasVideo()), true);
                }
                collector.end();
            } finally {
                release(opened.grabber());
            }
        } finally {
            if (config.parallelDecoding()) decoding.decrementAndGet();
        }
        return collector.toUtterance();
    }

    @Override
    public void stream(Path file, MediaSink sink) {
        Opened opened = open(file);
        try {
            StreamInfo info = opened.info();
            sink.start(info);
            pump(opened, sink, new Progress(info, opened.byteLengthChecked(), info.hasAudio(), info.hasVideo()), true);
            sink.end();
        } finally {
            release(opened.grabber());
        }
    }

    /** A file opened for decoding, its header read and checked. */
    private record Opened(FFmpegFrameGrabber grabber, StreamInfo info, boolean byteLengthChecked) {
    }

    private Opened open(Path file) {
        return open(file, false);
    }

    private Opened open(Path file, boolean onePartThread) {
        String name = MediaFileCheck.nameOf(file);
        boolean byteLengthChecked = MediaFileCheck.check(file, config.maxFileBytes());
        quietFfmpeg();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        try {
            grabber.setSampleRate(AudioTrack.RATE);
            grabber.setSampleFormat(AV_SAMPLE_FMT_FLT);
            // Pictures come out as decoded; RgbFrames converts only those the sampler keeps.
            grabber.setImageMode(FrameGrabber.ImageMode.RAW);
            // B-frames are never references, so skipping them leaves every other frame intact. At common frame
            // rates the remaining frames still outnumber the 5 fps we sample, and decoding costs about half.
            if (config.skipBidirectionalFrames()) grabber.setVideoOption("skip_frame", "bidir");
            // Decoding in parts, the parts are the parallelism: FFmpeg's own frame threads on top of them (three per
            // decoder on 2 cores) only contended with them and the encoders (an utterance took 0.91x the time with one).
            if (onePartThread) grabber.setVideoOption("threads", "1");
            start(grabber, name);
            StreamInfo info = describe(grabber, name);
            checkPictureSize(info);
            // FFmpeg's own stereo-to-mono matrix adds the channels at 0.707 each: +3 dB on speech, which sits in
            // both, and clipping on loud recordings. So FFmpeg folds surround to stereo, keeping the centre
            // channel where dialogue is, and the channels are averaged here.
            if (info.sourceChannels() > 2) grabber.setAudioChannels(2);
            return new Opened(grabber, info, byteLengthChecked);
        } catch (RuntimeException e) {
            release(grabber);
            throw e;
        }
    }

    /**
     * A film decoded on up to three threads, each with a demuxer of its own: the audio on one, and the video in two
     * parts split at a keyframe near its middle, the first part on this thread. Decoding the video is the long,
     * serial part of an utterance (each frame refers to the one before); split at a random-access point, the two
     * parts decode side by side, each sampled from its own first frame, and the audio, with the speech and text
     * encoders behind it, is ready within a few tens of milliseconds instead of at the end. Each part's frames reach
     * the collector (and the listener) as they are decoded. The end of the file is judged on all parts together, as
     * a single pass would judge it. Where the container indexes no keyframe far enough from both ends (Matroska's
     * index is read only at the first seek), seeking fails, or the film is longer than one utterance's frames, the
     * video is decoded in one part.
     */
    private void decodeInParallel(Path file, Opened video, UtteranceCollector collector) {
        StreamInfo info = video.info();
        AtomicBoolean failed = new AtomicBoolean();
        Future<Progress> audio = info.hasAudio() ? sideThreads.submit(() -> decodeAudio(file, collector, failed)) : null;
        // Split only a video whose frames all fit in one utterance: the parts' frames are kept as they come.
        SplitPoint split = info.declaredSeconds() > 0 && info.declaredSeconds() * info.sampledFps() < config.maxFrames()
                ? splitPoint(video.grabber()) : null;
        Boundary boundary = split == null ? null : new Boundary(split.seconds());
        Future<Progress> second = split == null ? null
                : sideThreads.submit(() -> decodeSecondPart(file, split, boundary, collector, failed));
        Progress first = new Progress(info, video.byteLengthChecked(), false, true);
        first.until = boundary;
        Progress videoProgress = first;
        try {
            pump(video, new OnlyVideo(collector, failed), first, false);
            Progress rest = second == null ? null : await(second);
            if (rest != null && first.stoppedAtBoundary) videoProgress = rest;
        } catch (RuntimeException | Error e) {
            failed.set(true);
            if (second != null) awaitQuietly(second);
            if (audio != null) awaitQuietly(audio);
            throw e;
        }
        Progress audioProgress = audio == null ? new Progress(info, video.byteLengthChecked(), false, false) : await(audio);
        Progress both = Progress.together(audioProgress, videoProgress);
        if (both.cutShort(video.grabber())) throw new MediaException(Kind.TRUNCATED, info.source(), both.describeCut());
    }

    private Progress decodeAudio(Path file, UtteranceCollector collector, AtomicBoolean failed) {
        try {
            Opened opened = open(file);
            try {
                Progress p = new Progress(opened.info(), opened.byteLengthChecked(), true, false);
                pump(opened, new OnlyAudio(collector, failed), p, false);
                collector.audioEnded();
                return p;
            } finally {
                release(opened.grabber());
            }
        } catch (RuntimeException | Error e) {
            failed.set(true);
            throw e;
        }
    }

    /** Where the video is split: a keyframe in the container's index, in the stream's units and in seconds. */
    private record SplitPoint(int stream, long timestamp, double seconds) {
    }

    /** The parts of a split video are each at least this long: splitting costs a second opening and a seek. */
    private static final double MIN_PART_SECONDS = 0.5;
    private static final int AVINDEX_KEYFRAME = 1;

    /** The indexed keyframe nearest the middle of the video, at least {@link #MIN_PART_SECONDS} from both ends. */
    private static SplitPoint splitPoint(FFmpegFrameGrabber grabber) {
        AVFormatContext oc = grabber.getFormatContext();
        AVStream st = firstStream(oc, AVMEDIA_TYPE_VIDEO);
        if (st == null) return null;
        double unit = st.time_base().num() / (double) st.time_base().den();
        long origin = st.start_time() == AV_NOPTS_VALUE ? 0 : st.start_time();
        double length = st.duration() != AV_NOPTS_VALUE ? st.duration() * unit : seconds(grabber.getLengthInTime());
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

    /** For tests: where this decoder would split the file's video, in seconds, or empty. */
    OptionalDouble splitSeconds(Path file) {
        Opened opened = open(file);
        try {
            SplitPoint p = opened.info().hasVideo() && !opened.info().stillImage() ? splitPoint(opened.grabber()) : null;
            return p == null ? OptionalDouble.empty() : OptionalDouble.of(p.seconds());
        } finally {
            release(opened.grabber());
        }
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
     * instead (returns null); a failure after the second part has started is the file's and is thrown.
     */
    private Progress decodeSecondPart(Path file, SplitPoint split, Boundary boundary, UtteranceCollector collector,
                                      AtomicBoolean failed) {
        try {
            Opened opened = open(file, true);
            try {
                // Forward: to the indexed keyframe itself. Backward lands on the one before when the index holds
                // decoding times and the keyframe is shown a little later (MP4 with B-frames).
                if (av_seek_frame(opened.grabber().getFormatContext(), split.stream(), split.timestamp(), 0) < 0) {
                    boundary.startsAt(Double.POSITIVE_INFINITY);
                    return null;
                }
                Progress p = new Progress(opened.info(), opened.byteLengthChecked(), false, true);
                pump(opened, new OnlySecondPart(collector, failed, boundary), p, false);
                boolean started = boundary.start.isDone();
                boundary.startsAt(Double.POSITIVE_INFINITY);
                return started ? p : null;
            } finally {
                release(opened.grabber());
            }
        } catch (RuntimeException | Error e) {
            if (boundary.start.complete(Double.POSITIVE_INFINITY)) return null;
            failed.set(true);
            throw e;
        }
    }

    /** The collector's frames of the second part of a split video, the first of them marking where it starts. */
    private record OnlySecondPart(UtteranceCollector collector, AtomicBoolean failed, Boundary boundary)
            implements MediaSink {
        @Override
        public boolean audio(AudioTrack chunk) {
            return false;
        }

        @Override
        public boolean frame(VideoFrame frame) {
            boundary.startsAt(frame.timestampSeconds());
            return !failed.get() && collector.laterPartFrame(frame);
        }
    }

    /** The collector's audio, until the other stream's thread fails. */
    private record OnlyAudio(UtteranceCollector collector, AtomicBoolean failed) implements MediaSink {
        @Override
        public boolean audio(AudioTrack chunk) {
            return !failed.get() && collector.audio(chunk);
        }

        @Override
        public boolean frame(VideoFrame frame) {
            return false;
        }
    }

    /** The collector's frames, until the other stream's thread fails. */
    private record OnlyVideo(UtteranceCollector collector, AtomicBoolean failed) implements MediaSink {
        @Override
        public boolean audio(AudioTrack chunk) {
            return false;
        }

        @Override
        public boolean frame(VideoFrame frame) {
            return !failed.get() && collector.frame(frame);
        }
    }

    private static <T> T await(Future<T> side) {
        try {
            return side.get();
        } catch (InterruptedException e) {
            side.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits for the other stream's thread to stop, so that nothing decodes on after the failure is reported. */
    private static void awaitQuietly(Future<?> side) {
        try {
            await(side);
        } catch (RuntimeException | Error e) {
            // The first failure is the one reported.
        }
    }

    private static void quietFfmpeg() {
        // Not in a static initialiser: loading the native library must happen at run time, not at build time.
        if (FFMPEG_QUIETED.compareAndSet(false, true)) avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private static void start(FFmpegFrameGrabber grabber, String name) {
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw FfmpegErrors.onOpen(name, e, grabber.getFormatContext());
        }
    }

    private StreamInfo describe(FFmpegFrameGrabber grabber, String name) {
        AVFormatContext oc = grabber.getFormatContext();
        AVStream audio = firstStream(oc, AVMEDIA_TYPE_AUDIO);
        AVStream video = firstStream(oc, AVMEDIA_TYPE_VIDEO);
        String container = grabber.getFormat();
        boolean hasAudio = grabber.hasAudio() && audio != null;
        // Cover art in an mp3 or m4a shows up as a video stream; it is not a recording of anyone.
        boolean hasVideo = grabber.hasVideo() && video != null;
        boolean still = hasVideo && (container.equals("image2") || container.endsWith("_pipe"));
        int width = hasVideo ? grabber.getImageWidth() : 0;
        int height = hasVideo ? grabber.getImageHeight() : 0;
        RgbFrames.Size scaled = hasVideo ? RgbFrames.fit(width, height, config.maxFrameSide()) : new RgbFrames.Size(0, 0);
        return new StreamInfo(name, container, seconds(grabber.getLengthInTime()),
                hasAudio, hasAudio ? audio.codecpar().sample_rate() : 0,
                hasAudio ? audio.codecpar().ch_layout().nb_channels() : 0,
                hasVideo, still, width, height, hasVideo && !still ? grabber.getVideoFrameRate() : 0,
                scaled.width(), scaled.height(), hasVideo && !still ? config.videoFps() : 0);
    }

    /** The first stream of the type, skipping pictures attached as cover art; null if none. */
    private static AVStream firstStream(AVFormatContext oc, int type) {
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream s = oc.streams(i);
            if (s.codecpar().codec_type() == type && (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) return s;
        }
        return null;
    }

    private void checkPictureSize(StreamInfo info) {
        int max = config.maxSourceSide();
        if (info.sourceWidth() > max || info.sourceHeight() > max)
            throw new MediaException(Kind.LIMIT_EXCEEDED, info.source(), "the picture is " + info.sourceWidth()
                    + "x" + info.sourceHeight() + ", larger than the limit of " + max + " pixels per side");
    }

    /**
     * Decodes the streams {@code p} wants until the sink wants no more or the file ends; with {@code checkEnd}, a file
     * that ends far short of its declared duration is TRUNCATED.
     */
    private static void pump(Opened opened, MediaSink sink, Progress p, boolean checkEnd) {
        StreamInfo info = opened.info();
        try (RgbFrames rgb = info.hasVideo() && p.wantVideo
                ? new RgbFrames(info.source(), new RgbFrames.Size(info.frameWidth(), info.frameHeight())) : null) {
            pump(opened.grabber(), info, sink, rgb, p, checkEnd);
        }
    }

    private static void pump(FFmpegFrameGrabber grabber, StreamInfo info, MediaSink sink, RgbFrames rgb, Progress p,
                             boolean checkEnd) {
        FrameSampler sampler = new FrameSampler(info.sampledFps());
        long startMicros = Math.max(0, orZero(grabber.getFormatContext().start_time()));
        while (p.wantAudio || p.wantVideo) {
            Frame frame;
            try {
                frame = grabber.grabFrame(p.wantAudio, p.wantVideo, true, false, false);
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw FfmpegErrors.midStream(info.source(), p.cutShort(grabber) ? Kind.TRUNCATED : Kind.CORRUPT, e);
            }
            if (frame == null) {
                if (checkEnd && p.cutShort(grabber))
                    throw new MediaException(Kind.TRUNCATED, info.source(), p.describeCut());
                return;
            }
            if (frame.samples != null && p.wantAudio) {
                AudioTrack chunk = new AudioTrack(monoSamples(frame), AudioTrack.RATE, p.audioSeconds());
                p.audioSamples += chunk.samples().length;
                p.wantAudio = sink.audio(chunk);
            } else if (frame.image != null && frame.opaque instanceof AVFrame picture && p.wantVideo) {
                double t = Math.max(0, (frame.timestamp - startMicros) / 1e6);
                if (p.until != null && p.until.reached(t)) {
                    p.wantVideo = false;
                    p.stoppedAtBoundary = true;
                    continue;
                }
                p.videoEnd = Math.max(p.videoEnd, t + (info.sourceFps() > 0 ? 1 / info.sourceFps() : 0));
                if (sampler.take(t)) p.wantVideo = sink.frame(rgb.convert(picture, t));
                if (info.stillImage()) p.wantVideo = false;
            }
        }
    }

    /** Averages the interleaved channels into one. */
    private static float[] monoSamples(Frame frame) {
        FloatBuffer buf = (FloatBuffer) frame.samples[0];
        int channels = Math.max(1, frame.audioChannels);
        float[] out = new float[buf.limit() / channels];
        for (int i = 0, at = 0; i < out.length; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) sum += buf.get(at++);
            // Resampling filters overshoot slightly on full-scale input; the contract is [-1, 1].
            out[i] = Math.max(-1f, Math.min(1f, sum / channels));
        }
        return out;
    }

    /** What has been decoded so far, to tell a complete file from one cut short. */
    private static final class Progress {
        private final StreamInfo info;
        private final boolean byteLengthChecked;
        boolean wantAudio;
        boolean wantVideo;
        long audioSamples;
        double videoEnd;
        /** For the first part of a split video: where it ends. */
        Boundary until;
        boolean stoppedAtBoundary;

        Progress(StreamInfo info, boolean byteLengthChecked, boolean wantAudio, boolean wantVideo) {
            this.info = info;
            this.byteLengthChecked = byteLengthChecked;
            this.wantAudio = info.hasAudio() && wantAudio;
            this.wantVideo = info.hasVideo() && wantVideo;
        }

        /** The audio of one pass and the video of another, as one pass over both streams would have seen them. */
        static Progress together(Progress audio, Progress video) {
            Progress p = new Progress(video.info, video.byteLengthChecked, audio.wantAudio, video.wantVideo);
            p.audioSamples = audio.audioSamples;
            p.videoEnd = video.videoEnd;
            return p;
        }

        double audioSeconds() {
            return audioSamples / (double) AudioTrack.RATE;
        }

        /**
         * Whether decoding ended far short of the declared duration. Containers that declare their length in
         * bytes were checked before decoding, more reliably, so they are not judged again by timestamps, which
         * muxers get wrong more often than sizes. Only streams decoded to the end count,
         * each against its own declared duration where the sink stopped the other stream early (the audio of a
         * film may be shorter than its picture). Durations FFmpeg merely estimated from the bit rate are no
         * evidence, and neither is a still image.
         */
        boolean cutShort(FFmpegFrameGrabber grabber) {
            AVFormatContext oc = grabber.getFormatContext();
            if (info.stillImage() || byteLengthChecked || oc == null
                    || oc.duration_estimation_method() == AVFMT_DURATION_FROM_BITRATE)
                return false;
            boolean audioToEnd = info.hasAudio() && wantAudio;
            boolean videoToEnd = info.hasVideo() && wantVideo;
            if (audioToEnd == info.hasAudio() && videoToEnd == info.hasVideo())
                return isCut(Math.max(audioSeconds(), videoEnd), info.declaredSeconds());
            if (audioToEnd) return isCut(audioSeconds(), streamSeconds(oc, AVMEDIA_TYPE_AUDIO));
            if (videoToEnd) return isCut(videoEnd, streamSeconds(oc, AVMEDIA_TYPE_VIDEO));
            return false;
        }

        String describeCut() {
            return String.format("decoding ended at %.2f s but the container declares %.2f s",
                    Math.max(audioSeconds(), videoEnd), info.declaredSeconds());
        }

        private static boolean isCut(double decoded, double declared) {
            return declared > 0 && decoded < declared * CUT_FRACTION && declared - decoded > CUT_SECONDS;
        }

        private static double streamSeconds(AVFormatContext oc, int type) {
            AVStream s = firstStream(oc, type);
            if (s == null || s.duration() == AV_NOPTS_VALUE) return 0;
            return s.duration() * (double) s.time_base().num() / s.time_base().den();
        }
    }

    private static long orZero(long ffmpegTime) {
        return ffmpegTime == AV_NOPTS_VALUE ? 0 : ffmpegTime;
    }

    private static double seconds(long micros) {
        return micros > 0 ? micros / 1e6 : 0;
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.release();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // Nothing useful to do: the native context is freed as far as FFmpeg allows.
        }
    }
}
