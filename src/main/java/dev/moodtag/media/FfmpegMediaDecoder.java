package dev.moodtag.media;

import dev.moodtag.media.DecodeFailures.Stream;
import dev.moodtag.media.MediaException.Kind;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.SettingRange;
import dev.moodtag.support.Stopped;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_NATIVE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * Decodes media files with FFmpeg (through JavaCV): audio resampled to 16 kHz mono float, video sampled by
 * timestamp and scaled down to packed RGB24. One grabber per call, so one decoder serves many threads.
 *
 * <p>How failures are named: a file that cannot be read is NOT_FOUND; one FFmpeg cannot parse, or whose video or
 * audio time goes back, is CORRUPT,
 * unless it is recognisably something that is not media (PDF, zip, gzip, text) or a container whose codec
 * has no decoder here, which is UNSUPPORTED; a container whose header declares more bytes than the file
 * has (RIFF, ISO BMFF, Matroska), a FLAC or MP3 whose audio ends before the sample or frame count it declares, or, for other
 * containers, whose decoded media ends far short of the duration the container declares, is TRUNCATED. A file broken in
 * more than one place is named by the failure earliest on its clock, on every path and whatever the timing
 * ({@link DecodeFailures}).
 */
@Singleton
public class FfmpegMediaDecoder implements MediaDecoder {
    /**
     * Decoding that ends this far short of the declared duration (fraction and seconds) means a cut file. Loose,
     * because declared durations are often a little off: JavaCV's own recorder, for one, writes the last audio
     * packet's duration unscaled, adding up to a second.
     */
    private static final double CUT_FRACTION = 0.75;
    private static final double CUT_SECONDS = 1.0;
    /**
     * A FLAC's declared sample count is exact, and so is an MP3's frame count; what decodes may miss the resampler's last
     * few samples. A cut loses at least the frame it lands in, usually a block of 4096 samples for FLAC (93 ms at 44.1
     * kHz), 576 or 1152 for MP3 (26 ms at 44.1 kHz, 72 ms at 8 kHz); one that loses less is missed.
     */
    private static final double COUNTED_SLACK_SECONDS = 0.05;
    /** Video time may step back this far (a frame decoded out of order) before the timeline counts as broken. */
    private static final double TIME_GOES_BACK_SECONDS = 0.5;
    /**
     * Video time that jumps forward this far between two frames is a broken clock, not a frame held (a slide, a camera
     * turned off in a call, for minutes while the audio goes on), and the same jump in the audio is one too (an hour of
     * silence would be given for it, {@link #onTheClock}). Before, the audio was placed by its samples, so the frames
     * after such a gap sat hours away from the sound they came with; a clip holding seconds of media was refused as
     * "lasts at least 2147484.7 s, longer than the limit for one utterance" (an FLV muxer wrapping a negative time) or
     * streamed as a timeline of 24.8 days.
     */
    private static final double CLOCK_JUMP_SECONDS = 3600;
    /**
     * Audio may sit this far from where its samples so far place it before it is put back on the file's clock: FFmpeg's
     * own threshold for hard compensation (aresample's min_hard_comp), well above any container's timestamp rounding.
     */
    private static final double AUDIO_SLACK_SECONDS = 0.1;
    /**
     * The silence of a file's gaps, all together, may come to this much, or to as much as its sound where that is
     * longer. Each gap is under an hour ({@link #CLOCK_JUMP_SECONDS}), but a file can hold thousands: 199 gaps of 59.8
     * minutes in 655 kB of PCM gave a timeline 8.3 days of silence to walk (5.9 s of one thread), and smaller packets
     * make that the whole time budget, or days where there is none. A day of pauses is more than any recording paused
     * and resumed holds; beyond it, the sink's work on silence stays within its work on the sound.
     */
    static final double MAX_SILENCE_SECONDS = 24 * 3600;
    private static final AtomicBoolean FFMPEG_QUIETED = new AtomicBoolean();

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private final MediaConfig config;
    private final TranscriptChain transcripts;
    private final FrameSizeLimit sizeLimit;
    /** Files being decoded by {@link #decode} right now, when decoding in parts is on: the load. */
    private final AtomicInteger decoding = new AtomicInteger();
    private final PartedFilmDecoder parts;

    public FfmpegMediaDecoder(MediaConfig config) {
        this(config, TranscriptChain.standard(TranscriptLimits.DEFAULTS));
    }

    @Inject
    public FfmpegMediaDecoder(MediaConfig config, TranscriptChain transcripts) {
        checkSettings(config);
        this.config = config;
        this.transcripts = transcripts;
        this.sizeLimit = new FrameSizeLimit(config.maxSourceSide());
        this.parts = new PartedFilmDecoder(this, config);
    }

    /** The longest {@code moodtag.media.max-duration}: there is no unlimited (a year of audio would not fit in memory). */
    static final Duration MAX_DURATION = Duration.ofDays(365);

    /**
     * Sampling settings that would keep the decoder working but the video meaningless are refused at start-up, naming
     * the key: a frame side of 0 scaled every frame to 1x1, max-frames 0 kept one frame, video-fps 0 only the first
     * (found by a review: a user meaning "no limit" got labels from nothing).
     */
    static void checkSettings(MediaConfig c) {
        List<String> wrong = new ArrayList<>();
        if (!(c.videoFps() > 0 && c.videoFps() <= 1000)) wrong.add("video-fps must be in (0, 1000], not " + c.videoFps());
        if (c.maxFrames() < 1) wrong.add("max-frames must be at least 1, not " + c.maxFrames());
        if (c.maxFrameSide() < 16) wrong.add("max-frame-side must be at least 16 pixels, not " + c.maxFrameSide());
        if (c.maxSourceSide() < 1) wrong.add("max-source-side must be at least 1 pixel, not " + c.maxSourceSide());
        // One past a long's milliseconds (PT9223372036854776S and up) failed every file with a stack trace of
        // ArithmeticException once the models had loaded; a year is already far past any utterance (or memory).
        SettingRange.positiveAtMost("max-duration", c.maxDuration(), MAX_DURATION).ifPresent(wrong::add);
        if (c.maxFileBytes() < 1) wrong.add("max-file-bytes must be positive, not " + c.maxFileBytes());
        if (!wrong.isEmpty())
            throw new SettingOutOfRange(String.join("; ", wrong.stream().map(w -> "moodtag.media." + w).toList()));
    }

    @Override
    public String frameSampling() {
        // "upright": frames are turned by the display matrix (since 2026-12-05); "as shown": scaled to each picture's
        // display shape, anamorphic pixels and size changes included (since 2026-12-06); caches from before are not reused
        return String.format(java.util.Locale.ROOT, "%s fps, at most %d frames of at most %d px upright as shown, B-frames %s, %s",
                config.videoFps(), config.maxFrames(), config.maxFrameSide(),
                config.skipBidirectionalFrames() ? "skipped" : "decoded",
                config.parallelDecoding() ? "films decoded in parts" : "films decoded in one pass");
    }

    /** A decoder like this one that finds transcripts through {@code chain} (e.g. one without recognition). */
    public FfmpegMediaDecoder withTranscripts(TranscriptChain chain) {
        return new FfmpegMediaDecoder(config, chain);
    }

    @Override
    public Utterance decode(Path file, Transcript transcript, DecodeListener listener) {
        return decode(file, transcript, listener, DecodeBounds.NONE);
    }

    @Override
    public Utterance decode(Path file, Transcript transcript, DecodeListener listener, DecodeBounds bounds) {
        String name = MediaFileCheck.nameOf(file);
        // The transcript first: the text encoder can start with the audio, long before the video is decoded.
        TranscriptResolution text = transcripts.resolve(TranscriptRequest.of(file, transcript));
        // Where no link found one, the last link recognises the speech while the audio decodes (HeardTranscripts).
        UtteranceCollector collector = new UtteranceCollector(name, config, bounds, text,
                transcripts.listenFor(text), listener);
        // Whether a film is decoded in parts depends on the file and the configuration only (PartedFilmDecoder); the
        // load decides only whether the parts run side by side: when as many files are being decoded as there are
        // cores, the files are the parallelism, and side threads would only add work (0.89x the time per utterance
        // at concurrency 4).
        boolean inParts = config.parallelDecoding();
        boolean sideBySide = inParts && decoding.incrementAndGet() <= Math.max(1, CORES - 1);
        try {
            // One codec thread per part whether or not the parts run side by side: FFmpeg conceals a damaged picture
            // differently with frame threads, and the same film gave other pixels under load (DamagedFilmUnderLoadTest).
            Opened opened = open(file, inParts, bounds.time());
            try (collector) {
                StreamInfo info = opened.info();
                collector.start(info);
                if (inParts && info.hasVideo() && !info.stillImage()) {
                    parts.decode(file, opened, collector, bounds.time(), sideBySide);
                } else {
                    pump(opened, collector, new Progress(info, opened.byteLengthChecked(), info.hasAudio(), info.hasVideo()), true, bounds.time());
                }
                collector.end();
            } finally {
                release(opened.grabber());
            }
        } finally {
            if (inParts) decoding.decrementAndGet();
        }
        return collector.toUtterance();
    }

    @Override
    public void stream(Path file, MediaSink sink) {
        stream(file, sink, TimeBudget.UNLIMITED);
    }

    @Override
    public void stream(Path file, MediaSink sink, TimeBudget budget) {
        stream(open(file, false, budget, true), sink, budget);
    }

    /**
     * What the file holds, from its header and first packet, without the walks over the whole file that only placing
     * its later audio needs (its chained Ogg streams, its joined FLAC files): a probe comes before the object's budget,
     * and it read a 2 s FLAC followed by 200 MB whole (210 MB). A Matroska file's length is read from its last cluster
     * as when it is opened for decoding ({@link MatroskaEnd}, a few windows from its tail), as the declared length
     * chooses a timeline or one utterance.
     */
    @Override
    public StreamInfo probe(Path file) {
        ProbeSink probe = new ProbeSink();
        stream(open(file, false, TimeBudget.UNLIMITED, false), probe, TimeBudget.UNLIMITED);
        return probe.info();
    }

    private static void stream(Opened opened, MediaSink sink, TimeBudget budget) {
        try {
            StreamInfo info = opened.info();
            sink.start(info);
            pump(opened, sink, new Progress(info, opened.byteLengthChecked(), info.hasAudio(), info.hasVideo()), true, budget);
            sink.end();
        } finally {
            release(opened.grabber());
        }
    }

    /**
     * A file opened for decoding, its header read and checked; {@code countedLength}: the exact
     * length a FLAC or MP3 declares, or null; {@code maxFrameSide}: the longer side frames are scaled to at most;
     * {@code oggChains}: the streams an Ogg file chains, {@link OggChains#NONE} for other containers; {@code joins}: the
     * files joined in it that are read one by one (joined FLAC files, the streams of a chained Ogg file without video).
     */
    record Opened(FFmpegFrameGrabber grabber, StreamInfo info, boolean byteLengthChecked, FrameSizeLimit sizeLimit,
                  CountedLength countedLength, int maxFrameSide, OggChains oggChains, JoinedParts joins) {
    }

    /**
     * {@code budget}: what the walks over the whole file (its chained Ogg streams, its joined FLAC files) may take, read
     * a window at a time before the first packet ({@link FileWindow}).
     */
    Opened open(Path file, boolean onePartThread, TimeBudget budget) {
        return open(file, onePartThread, budget, true);
    }

    /**
     * {@code walks}: whether the whole file is walked for its chained Ogg streams and joined FLAC files (a Matroska
     * file's last cluster is read either way, from its tail: {@link MatroskaEnd}).
     */
    private Opened open(Path file, boolean onePartThread, TimeBudget budget, boolean walks) {
        String name = MediaFileCheck.nameOf(file);
        boolean byteLengthChecked = MediaFileCheck.check(file, config.maxFileBytes());
        sizeLimit.checkPng(file);
        quietFfmpeg();
        FFmpegFrameGrabber grabber = started(file, name, onePartThread, 0, budget);
        try {
            // A named layout the resampler has no mix for (no front channel, half a pair: SurroundFold.mixable) failed
            // on the first frame as CORRUPT. Its decoder is opened again told the channels are in no particular order,
            // so they are averaged as they are, like a WAV's mask 0: the header is read twice, for these files only.
            int unordered = unmixableChannels(grabber);
            if (unordered > 0) {
                release(grabber);
                grabber = null;
                grabber = started(file, name, onePartThread, unordered, budget);
            }
            StreamInfo info = describe(grabber, name);
            sizeLimit.checkHeader(info);
            AudioFormatLimit.checkHeader(info);
            // read for the probe too, which chooses a timeline or one utterance by it: a few windows whatever the length
            if (info.container().equals("matroska,webm")) info = lastingTo(info, grabber, MatroskaEnd.micros(file, budget));
            OggChains chains = walks && info.container().equals("ogg") ? OggChains.of(file, budget) : OggChains.NONE;
            // a chained film is refused where its picture would start again ({@link #refuseTheRestOfAChainedFilm})
            JoinedParts joins = walks && info.container().equals("flac") && info.hasAudio() ? FlacJoins.of(file, budget).parts()
                    : info.hasVideo() ? JoinedParts.NONE : chains.parts();
            return new Opened(grabber, info, byteLengthChecked, sizeLimit, CountedLength.of(file), config.maxFrameSide(), chains, joins);
        } catch (RuntimeException e) {
            if (grabber != null) release(grabber);
            throw e;
        }
    }

    /** A grabber for {@code file}, started; {@code unorderedChannels} > 0: its audio decoder is told they have no order. */
    private FFmpegFrameGrabber started(Path file, String name, boolean onePartThread, int unorderedChannels,
                                       TimeBudget budget) {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        try {
            // Audio comes out as decoded; Mixdown resamples and mixes it, frame by frame.
            grabber.setSampleMode(FrameGrabber.SampleMode.RAW);
            // Pictures come out as decoded; RgbFrames converts only those the sampler keeps.
            grabber.setImageMode(FrameGrabber.ImageMode.RAW);
            // B-frames are never references, so skipping them leaves every other frame intact. At common frame
            // rates the remaining frames still outnumber the 5 fps we sample, and decoding costs about half.
            if (config.skipBidirectionalFrames()) grabber.setVideoOption("skip_frame", "bidir");
            // Decoding in parts, the parts are the parallelism: FFmpeg's own frame threads on top of them (three per
            // decoder on 2 cores) only contended with them and the encoders (an utterance took 0.91x the time with one).
            if (onePartThread) grabber.setVideoOption("threads", "1");
            // "nC": n channels in an unspecified order, which the resampler passes through unmixed
            if (unorderedChannels > 0) grabber.setAudioOption("ch_layout", unorderedChannels + "C");
            start(grabber, file, name, budget);
            return grabber;
        } catch (RuntimeException e) {
            release(grabber);
            throw e;
        }
    }

    /** The audio's channel count where it has a named layout the resampler cannot mix to what it is asked for, else 0. */
    private static int unmixableChannels(FFmpegFrameGrabber grabber) {
        AVStream audio = firstStream(grabber.getFormatContext(), AVMEDIA_TYPE_AUDIO);
        if (!grabber.hasAudio() || audio == null || audio.codecpar().ch_layout().order() != AV_CHANNEL_ORDER_NATIVE) return 0;
        int channels = audio.codecpar().ch_layout().nb_channels();
        // more than 2 are folded to stereo; 1 or 2 are resampled to the default layout of as many
        return SurroundFold.mixable(audio.codecpar().ch_layout(), Math.min(channels, 2)) ? 0 : channels;
    }

    /** For tests: where this decoder would split the file's video, in seconds, or empty. */
    OptionalDouble splitSeconds(Path file) {
        Opened opened = open(file, false, TimeBudget.UNLIMITED);
        try {
            double at = PartedFilmDecoder.splitSeconds(opened);
            return Double.isNaN(at) ? OptionalDouble.empty() : OptionalDouble.of(at);
        } finally {
            release(opened.grabber());
        }
    }

    private static void quietFfmpeg() {
        // Not in a static initialiser: loading the native library must happen at run time, not at build time.
        if (FFMPEG_QUIETED.compareAndSet(false, true)) avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private static void start(FFmpegFrameGrabber grabber, Path file, String name, TimeBudget budget) {
        try {
            CODEC_THREADS.put(grabber, budget.startCounted(grabber));
        } catch (FrameGrabber.Exception | RuntimeException e) {
            MediaException failure = FfmpegErrors.onOpen(name, e, grabber.getFormatContext());
            if (failure.kind() == Kind.CORRUPT && DeclaredLength.matroskaWithoutTracks(file))
                throw FfmpegErrors.noStream(name, "a Matroska file with no tracks, only attachments", e);
            throw failure;
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
        RgbFrames.Size scaled = hasVideo ? RgbFrames.fit(width, height, RgbFrames.pixelAspect(oc, video, null),
                config.maxFrameSide()) : new RgbFrames.Size(0, 0);
        return new StreamInfo(name, container, declaredSeconds(grabber),
                hasAudio, hasAudio ? audio.codecpar().sample_rate() : 0,
                hasAudio ? audio.codecpar().ch_layout().nb_channels() : 0,
                hasVideo, still, width, height, hasVideo && !still ? grabber.getVideoFrameRate() : 0,
                scaled.width(), scaled.height(), hasVideo && !still ? config.videoFps() : 0);
    }

    /**
     * Counterclockwise quarter turns (0 to 3) that show the video as the camera meant it: its display matrix's
     * rotation, which a player applies and the decoder does not (a picture's own matrix, such as a JPEG's EXIF
     * orientation, takes precedence: {@link RgbFrames}). Mirroring and angles between quarter turns are left.
     */
    static int displayQuarterTurns(FFmpegFrameGrabber grabber) {
        AVStream video = firstStream(grabber.getFormatContext(), AVMEDIA_TYPE_VIDEO);
        if (video == null || video.codecpar().nb_coded_side_data() <= 0) return 0;
        AVPacketSideData matrix = av_packet_side_data_get(video.codecpar().coded_side_data(),
                video.codecpar().nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (matrix == null || matrix.isNull() || matrix.size() < 9 * Integer.BYTES) return 0;
        return RgbFrames.quarterTurns(av_display_rotation_get(new IntPointer(matrix.data()))).orElse(0);
    }

    /** The first stream of the type, skipping pictures attached as cover art; null if none. */
    static AVStream firstStream(AVFormatContext oc, int type) {
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream s = oc.streams(i);
            if (s.codecpar().codec_type() == type && (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) return s;
        }
        return null;
    }

    /**
     * Decodes the streams {@code p} wants until the sink wants no more, the file ends or a stream is past a failure
     * ({@link DecodeFailures}); with {@code whole} (the pass is the whole decoding, not one of its parts), throws what
     * was found, and a file that ends far short of its declared duration is TRUNCATED. A part leaves its failures in
     * {@code p.failures} for its caller, throwing only what stops every part (a spent budget, the sink's own errors).
     */
    static void pump(Opened opened, MediaSink sink, Progress p, boolean whole, TimeBudget budget) {
        StreamInfo info = opened.info();
        p.countedLength = opened.countedLength();
        // each chain's clock starts again from 0: the streams are placed one after another, by their samples
        p.oggChains = opened.oggChains();
        p.bySamples |= p.oggChains.chained();
        p.joins = opened.joins();
        AVFormatContext oc = opened.grabber().getFormatContext();
        try (RgbFrames rgb = info.hasVideo() && p.wantVideo
                ? new RgbFrames(info.source(), new RgbFrames.Size(info.frameWidth(), info.frameHeight()), opened.maxFrameSide(),
                displayQuarterTurns(opened.grabber()), oc, oc.streams(opened.grabber().getVideoStream())) : null;
             Mixdown mixdown = new Mixdown(info.source())) {
            pump(opened.grabber(), info, opened.sizeLimit(), mixdown, sink, rgb, p, whole, budget);
        }
    }

    private static void pump(FFmpegFrameGrabber grabber, StreamInfo info, FrameSizeLimit sizeLimit,
                             Mixdown mixdown, MediaSink sink,
                             RgbFrames rgb, Progress p, boolean whole, TimeBudget budget) {
        FrameSampler sampler = new FrameSampler(info.sampledFps());
        long startMicros = startMicros(grabber.getFormatContext());
        boolean ended = false;
        // the grabbers this pass opened itself, on the files joined in this one ({@link #joinedPart})
        FFmpegFrameGrabber own = null;
        try {
            // FLAC files joined end to end and chained Ogg streams are read one by one, each as a file of its own
            // (JoinedParts); each counts its clock from its own start: the whole file's, as FFmpeg's parser read across
            // the joins, started 100 ms in (44.1 kHz then 96 kHz), and the first file's first 100 ms were dropped as overlap
            if (p.joins.any()) {
                grabber = own = joinedPart(info, p);
                startMicros = startMicros(grabber.getFormatContext());
            }
            while (p.wantAudio || p.wantVideo) {
                budget.check(info.source(), Math.max(p.audioSeconds(), p.videoEnd));
                if (p.wantAudio && p.failures.past(p.latestAudio, Stream.AUDIO)) p.wantAudio = false;
                if (p.wantVideo && p.failures.past(p.latestFrame, Stream.VIDEO)) p.wantVideo = false;
                if (!p.wantAudio && !p.wantVideo) break;
                Frame frame;
                try {
                    frame = grabber.grabFrame(p.wantAudio, p.wantVideo, true, false, false);
                } catch (FrameGrabber.Exception | RuntimeException e) {
                    // the demuxer or a decoder failed: nothing more comes from this pass
                    p.failed(FfmpegErrors.midStream(info.source(), p.cutShort(grabber) ? Kind.TRUNCATED : Kind.CORRUPT, e));
                    break;
                }
                if (frame == null) {
                    FFmpegFrameGrabber rest;
                    try {
                        if (p.wantAudio && !p.joins.any()) refuseTheRestOfAChainedFilm(info, p);
                        rest = p.wantAudio && p.joins.any() && p.joinedPart <= p.joins.at().length ? joinedPart(info, p) : null;
                    } catch (MediaException e) {
                        p.failed(Stream.AUDIO, e);
                        rest = null;
                    }
                    if (rest == null) {
                        ended = true;
                        break;
                    }
                    if (own != null) release(own);
                    grabber = own = rest;
                    continue;
                }
                if (frame.samples != null && p.wantAudio) {
                    try {
                        audio(grabber, info, mixdown, sink, budget, p, frame, startMicros);
                    } catch (TimeBudget.Spent e) {
                        throw e;
                    } catch (MediaException e) {
                        p.failed(Stream.AUDIO, e);
                    }
                } else if (frame.image != null && frame.opaque instanceof AVFrame picture && p.wantVideo) {
                    try {
                        video(info, sizeLimit, sink, rgb, budget, p, sampler, picture, pictureSeconds(info, p, picture, frame, startMicros));
                    } catch (TimeBudget.Spent e) {
                        throw e;
                    } catch (MediaException e) {
                        p.failed(Stream.VIDEO, e);
                    }
                }
            }
        } catch (TimeBudget.Spent e) {
            p.failures.stop(e);
            if (whole) p.failures.report();
            throw e;
        } finally {
            if (own != null) release(own);
        }
        if (!whole) return;
        p.failures.report();
        if (ended && p.cutShort(grabber)) throw new MediaException(Kind.TRUNCATED, info.source(), p.describeCut());
    }

    /**
     * A chained Ogg film whose audio goes on in a stream FFmpeg's Ogg demuxer does not follow ({@link
     * OggChains#notFollowedAfter}) is refused: its picture would start again with the stream read anew, and its audio
     * would otherwise be lost without a word. (The chains of a file without video are each read as a file of their own.)
     */
    private static void refuseTheRestOfAChainedFilm(StreamInfo info, Progress p) {
        int next = p.oggChains.notFollowedAfter(0);
        if (next < 0 || !info.hasVideo()) return;
        OggChains.Chain before = p.oggChains.get(next - 1), chain = p.oggChains.get(next);
        throw new MediaException(Kind.UNSUPPORTED, info.source(), String.format(Locale.ROOT,
                "its audio %s at %.2f s (chained Ogg streams), where FFmpeg's Ogg demuxer here stops: the rest of "
                        + "the film would be lost", before.rate() != chain.rate()
                        ? "changes from " + before.rate() + " Hz to " + chain.rate() + " Hz"
                        : "goes on in another stream (" + chain.codec() + ")", p.audioSeconds()));
    }

    /** A grabber started on the next of the files joined in this one ({@link JoinedParts}); the first from the file's start. */
    private static FFmpegFrameGrabber joinedPart(StreamInfo info, Progress p) {
        int part = p.joinedPart++;
        long from = p.joins.from(part);
        return startedPart(info, p.joins.file(), from, p.joins.to(part), String.format(Locale.ROOT,
                "%s at byte %d, from %.2f s,", p.joins.what(), from, p.audioSeconds()));
    }

    /**
     * A grabber on the bytes of {@code file} from {@code from} to {@code to}, started; {@code what} part of the file it
     * is, in the CORRUPT error where it cannot be read.
     */
    private static FFmpegFrameGrabber startedPart(StreamInfo info, Path file, long from, long to, String what) {
        FFmpegFrameGrabber grabber = null;
        try {
            grabber = FileTail.grabber(file, from, to);
            grabber.setSampleMode(FrameGrabber.SampleMode.RAW);
            grabber.start();
            return grabber;
        } catch (java.io.IOException | RuntimeException e) {
            if (grabber != null) release(grabber);
            // JavaCV's message names the file's full path (a scratch copy's), never the user's: FFmpeg's own words instead
            String reason = e instanceof FrameGrabber.Exception ? FfmpegErrors.reason(String.valueOf(e.getMessage()))
                    : e instanceof java.io.IOException io ? ShownNames.reasonOf(io) : e.getMessage();
            throw new MediaException(Kind.CORRUPT, info.source(), what + " could not be read (" + reason + ")", e);
        }
    }

    /** One decoded audio frame: checked, put on the file's clock and given to the sink. */
    private static void audio(FFmpegFrameGrabber grabber, StreamInfo info, Mixdown mixdown, MediaSink sink,
                              TimeBudget budget, Progress p, Frame frame, long startMicros) {
        if (!(frame.opaque instanceof AVFrame decoded)) return;
        int rate = AudioFormatLimit.checkFrame(info, p.audioRate, decoded.sample_rate(), p.audioSeconds());
        p.rateChanged |= p.audioRate > 0 && rate != p.audioRate;
        // where a demuxer times the rest of a raw stream at its first rate, its samples are its clock
        p.bySamples |= p.rateChanged && RateChange.placedBySamples(info);
        p.audioRate = rate;
        float[] samples = mixdown.mono(decoded, p.audioSeconds());
        long pts = decoded.best_effort_timestamp();
        boolean guessed = p.rateChanged && p.lastPts != AV_NOPTS_VALUE && pts != AV_NOPTS_VALUE
                && RateChange.guessedAtFirstRate(pts - p.lastPts, p.lastSamples, p.lastRate, info.sourceSampleRate(),
                grabber.getFormatContext().streams(grabber.getAudioStream()).time_base());
        p.lastPts = pts;
        p.lastSamples = decoded.nb_samples();
        p.lastRate = rate;
        if (pts != AV_NOPTS_VALUE) {
            double clock = audioSeconds(grabber, decoded, startMicros);
            // a raw stream's times going back are files joined end to end, each counting from 0 (FLAC's frame numbers)
            p.bySamples |= p.anyAudio && clock < p.latestAudio - AUDIO_SLACK_SECONDS && RateChange.placedBySamples(info);
            samples = onTheClock(info, sink, budget, p, p.bySamples || guessed ? p.audioSeconds() : clock, samples);
        }
        if (samples.length == 0 || !p.wantAudio) return;
        AudioTrack chunk = new AudioTrack(samples, AudioTrack.RATE, p.audioSeconds());
        p.audioSamples += chunk.samples().length;
        budget.audioDecoded(p.decodedAudioSeconds());
        p.wantAudio = sink.audio(chunk);
    }

    /**
     * Where a picture lies on the file's clock. One the decoder gives with no time at all (the last picture of an MPEG
     * program stream, flushed at its end) follows the latest by a frame: JavaCV reads it as 0, which was time going
     * back, and every .mpg, .mpeg and .vob film was refused as corrupt.
     */
    private static double pictureSeconds(StreamInfo info, Progress p, AVFrame picture, Frame frame, long startMicros) {
        if (picture.best_effort_timestamp() == AV_NOPTS_VALUE && picture.pts() == AV_NOPTS_VALUE && p.anyFrame)
            return p.latestFrame + (info.sourceFps() > 0 ? 1 / info.sourceFps() : 0);
        return Math.max(0, (frame.timestamp - startMicros) / 1e6);
    }

    /** One decoded picture timed {@code t}: checked, placed, and given to the sink if the sampler takes it. */
    private static void video(StreamInfo info, FrameSizeLimit sizeLimit, MediaSink sink, RgbFrames rgb, TimeBudget budget,
                              Progress p, FrameSampler sampler, AVFrame picture, double t) {
        sizeLimit.checkFrame(info, picture.width(), picture.height(), t);
        // Frames come out in presentation order. Time that goes back (a Matroska film shifted before zero
        // stores its first seconds as 0 again) made the sampler drop the frames after the jump as already
        // sampled and place the rest early against the audio, silently.
        if (t < p.latestFrame - TIME_GOES_BACK_SECONDS)
            throw new MediaException(Kind.CORRUPT, info.source(), String.format(Locale.ROOT,
                    "its video timestamps go back from %.2f s to %.2f s: the frames cannot be placed in time",
                    p.latestFrame, t));
        if (p.anyFrame && t > p.latestFrame + CLOCK_JUMP_SECONDS)
            throw new MediaException(Kind.CORRUPT, info.source(), String.format(Locale.ROOT,
                    "its video timestamps jump forward from %.2f s to %.2f s part-way, a gap of %.1f hours "
                            + "holding no frames: the frames cannot be placed in time",
                    p.latestFrame, t, (t - p.latestFrame) / 3600));
        p.anyFrame = true;
        p.latestFrame = Math.max(p.latestFrame, t);
        if (p.failures.past(p.latestFrame, Stream.VIDEO)) {
            p.wantVideo = false;
            return;
        }
        if (p.until != null && p.until.reached(t)) {
            p.wantVideo = false;
            p.stoppedAtBoundary = true;
            return;
        }
        p.videoEnd = Math.max(p.videoEnd, t + (info.sourceFps() > 0 ? 1 / info.sourceFps() : 0));
        budget.frameDecoded(info.sourceFps());
        if (sampler.take(t)) p.wantVideo = sink.frame(rgb.convert(picture, t));
        if (info.stillImage()) p.wantVideo = false;
    }

    /**
     * The samples of an audio frame timed {@code at}, put on the file's clock as its video is. Placed by their count
     * alone, the sound after a stretch missing from the file (packets dropped in a live capture, a recording paused and
     * resumed) came that much early against the frames and the file's clock, and so did a timeline's segment times and
     * a sidecar transcript's cues. A gap is given to the sink as silence, a second at a time, before the frame; it buys
     * no time budget (only decoded audio does), so gaps cannot stretch a small file's allowance, and all of them together
     * are bounded ({@link #MAX_SILENCE_SECONDS}), a late start included. Audio that overlaps
     * what came before loses its overlap, as FFmpeg's aresample compensates; audio whose time goes back, or jumps an
     * hour part-way, is CORRUPT by the rules video's time follows.
     */
    private static float[] onTheClock(StreamInfo info, MediaSink sink, TimeBudget budget, Progress p, double at,
                                      float[] samples) {
        if (p.anyAudio && at < p.latestAudio - TIME_GOES_BACK_SECONDS)
            throw new MediaException(Kind.CORRUPT, info.source(), String.format(Locale.ROOT,
                    "its audio timestamps go back from %.2f s to %.2f s: the sound cannot be placed in time",
                    p.latestAudio, at));
        // Part-way only, as video's rule: where the sound starts is the stream's start, and a film whose sound starts
        // hours into its picture (a capture that began the video first) was refused as corrupt.
        if (p.anyAudio && at > p.latestAudio + CLOCK_JUMP_SECONDS)
            throw new MediaException(Kind.CORRUPT, info.source(), String.format(Locale.ROOT,
                    "its audio timestamps jump forward from %.2f s to %.2f s, a gap of %.1f hours holding no sound: "
                            + "the sound cannot be placed in time", p.latestAudio, at, (at - p.latestAudio) / 3600));
        double gap = at - p.audioSeconds();
        if (gap > AUDIO_SLACK_SECONDS) {
            double silence = p.silentSamples / (double) AudioTrack.RATE + gap;
            // A bound on the work, not damage: the file may be sound, and no setting or retry changes the answer.
            if (silence > Math.max(MAX_SILENCE_SECONDS, p.decodedAudioSeconds()))
                throw new MediaException(Kind.UNSUPPORTED, info.source(), String.format(Locale.ROOT,
                        "its audio timestamps leave %.1f hours without sound in %d gaps (the latest from %.2f s to "
                                + "%.2f s) beside %.1f s of sound, more than a fixed bound of %.1f hours, or as much as "
                                + "its sound, that a late start and a recording's pauses may come to in all; cut the "
                                + "stretch without sound out of the file",
                        silence / 3600, p.gaps + 1, p.audioSeconds(), at, p.decodedAudioSeconds(),
                        MAX_SILENCE_SECONDS / 3600));
            p.gaps++;
        }
        p.anyAudio = true;
        p.latestAudio = Math.max(p.latestAudio, at);
        if (p.failures.past(p.latestAudio, Stream.AUDIO)) return stopAudio(p);
        if (gap < -AUDIO_SLACK_SECONDS)
            return Arrays.copyOfRange(samples, (int) Math.min(samples.length, Math.round(-gap * AudioTrack.RATE)), samples.length);
        if (gap <= AUDIO_SLACK_SECONDS) return samples;
        for (long silent = Math.round(gap * AudioTrack.RATE); silent > 0 && p.wantAudio; ) {
            // a gap of an hour is 3600 chunks: a spent budget, a stop or an interrupt ends it where it is, as each
            // packet's check would
            budget.check(info.source(), p.audioSeconds());
            if (p.failures.past(p.latestAudio, Stream.AUDIO)) return stopAudio(p);
            if (Thread.currentThread().isInterrupted())
                throw new Stopped(String.format(Locale.ROOT, "interrupted while decoding, in a gap at %.2f s",
                        p.audioSeconds()));
            int n = (int) Math.min(silent, AudioTrack.RATE);
            AudioTrack chunk = new AudioTrack(new float[n], AudioTrack.RATE, p.audioSeconds());
            p.audioSamples += n;
            p.silentSamples += n;
            silent -= n;
            p.wantAudio = sink.silence(chunk);
        }
        return samples;
    }

    private static float[] stopAudio(Progress p) {
        p.wantAudio = false;
        return new float[0];
    }

    /** Where an audio frame starts on the media's clock, in seconds from its start. */
    private static double audioSeconds(FFmpegFrameGrabber grabber, AVFrame decoded, long startMicros) {
        AVStream stream = grabber.getFormatContext().streams(grabber.getAudioStream());
        return decoded.best_effort_timestamp() * avutil.av_q2d(stream.time_base()) - startMicros / 1e6;
    }

    /** What has been decoded so far, to tell a complete file from one cut short. */
    static final class Progress {
        private final StreamInfo info;
        private final boolean byteLengthChecked;
        boolean wantAudio;
        boolean wantVideo;
        /** Samples given to the sink so far, the silence of gaps included: where the next one sits on the clock. */
        long audioSamples;
        /** Of those, the silence given for stretches the file has no audio for, and how many stretches. */
        long silentSamples;
        int gaps;
        /** The latest audio frame's time so far, once {@code anyAudio}. */
        double latestAudio;
        boolean anyAudio;
        /** The sample rate of the latest decoded audio frame; 0 before the first. */
        int audioRate;
        /** Whether the audio's sample rate has changed part-way ({@link RateChange}). */
        boolean rateChanged;
        /** The latest decoded audio frame's time in its stream's units (or none), samples and rate. */
        long lastPts = AV_NOPTS_VALUE;
        int lastSamples, lastRate;
        /**
         * Whether the audio is placed by its samples, not its timestamps: a raw stream once its rate has changed
         * ({@link RateChange}), the streams of a chained Ogg file ({@link OggChains}).
         */
        boolean bySamples;
        /** The streams of an Ogg file. */
        OggChains oggChains = OggChains.NONE;
        /** The files joined in this one that are read one by one, and which of them is read next. */
        JoinedParts joins = JoinedParts.NONE;
        int joinedPart;
        double videoEnd;
        /** The latest video frame's time so far, once {@code anyFrame}. */
        double latestFrame;
        boolean anyFrame;
        /** The exact length a FLAC or MP3 declares, or null. */
        CountedLength countedLength;
        /** For the first part of a split video: where it ends. */
        PartedFilmDecoder.Boundary until;
        boolean stoppedAtBoundary;
        /** What this pass found, or all the parts of a film decoded in parts found, and which of it is reported. */
        DecodeFailures failures = new DecodeFailures();
        /**
         * For the second part of a split video: a failure before its first frame is thrown, not left in
         * {@code failures}, so that the first part decodes on instead of it.
         */
        boolean throwsBeforeFirstFrame;

        Progress(StreamInfo info, boolean byteLengthChecked, boolean wantAudio, boolean wantVideo) {
            this.info = info;
            this.byteLengthChecked = byteLengthChecked;
            this.wantAudio = info.hasAudio() && wantAudio;
            this.wantVideo = info.hasVideo() && wantVideo;
        }

        /** {@code failure} was found in {@code stream}: placed where that stream had got to, and the stream stops. */
        void failed(DecodeFailures.Stream stream, MediaException failure) {
            if (throwsBeforeFirstFrame && !anyFrame) throw failure;
            if (stream == Stream.AUDIO) {
                failures.found(latestAudio, stream, failure);
                wantAudio = false;
            } else {
                failures.found(latestFrame, stream, failure);
                wantVideo = false;
            }
        }

        /** The demuxer or a decoder failed: placed where the stream furthest behind had got to; the pass stops. */
        void failed(MediaException failure) {
            boolean audioFirst = wantAudio && (!wantVideo || latestAudio < latestFrame);
            failed(audioFirst ? Stream.AUDIO : Stream.VIDEO, failure);
            wantAudio = false;
            wantVideo = false;
        }

        /** The audio of one pass and the video of another, as one pass over both streams would have seen them. */
        static Progress together(Progress audio, Progress video) {
            Progress p = new Progress(video.info, video.byteLengthChecked, audio.wantAudio, video.wantVideo);
            p.audioSamples = audio.audioSamples;
            p.countedLength = audio.countedLength;
            p.videoEnd = video.videoEnd;
            return p;
        }

        double audioSeconds() {
            return audioSamples / (double) AudioTrack.RATE;
        }

        /** The audio decoded from the file, without the silence of its gaps: what the time budget counts. */
        double decodedAudioSeconds() {
            return (audioSamples - silentSamples) / (double) AudioTrack.RATE;
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
            if (endedBeforeItsCount()) return true;
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

        /** Whether the audio, decoded to the end, ended before the length its FLAC or MP3 header counts. */
        private boolean endedBeforeItsCount() {
            return countedLength != null && info.hasAudio() && wantAudio
                    && audioSeconds() < countedLength.seconds() - COUNTED_SLACK_SECONDS;
        }

        String describeCut() {
            if (endedBeforeItsCount())
                return String.format(Locale.ROOT, "decoding ended at %.2f s but the container declares %.2f s (%s)",
                        audioSeconds(), countedLength.seconds(), countedLength.counted());
            return String.format(Locale.ROOT, "decoding ended at %.2f s but the container declares %.2f s",
                    Math.max(audioSeconds(), videoEnd), info.declaredSeconds());
        }

        private static boolean isCut(double decoded, double declared) {
            return declared > 0 && decoded < declared * CUT_FRACTION && declared - decoded > CUT_SECONDS;
        }

        private static double streamSeconds(AVFormatContext oc, int type) {
            AVStream s = firstStream(oc, type);
            if (s == null || s.duration() == AV_NOPTS_VALUE) return 0;
            return lengthFromStart(oc, orZero(s.start_time()), s.duration()) * (double) s.time_base().num() / s.time_base().den();
        }
    }

    /**
     * Where the media starts on the container's clock, in microseconds: every time in a result counts from here,
     * whatever its sign. A broadcast recording's clock starts at its timecode (10:00:00), an MPEG-TS one anywhere on
     * its 26.5-hour cycle (FFmpeg reports the part before a wrap as negative), and a film kept before zero by its
     * muxer starts below 0: counted from 0 instead, those frames all sat at 0 s and were sampled as one.
     */
    static long startMicros(AVFormatContext oc) {
        return orZero(oc.start_time());
    }

    /** The length the container declares, counted from its start as frame times are; 0 when it declares none. */
    static double declaredSeconds(FFmpegFrameGrabber grabber) {
        AVFormatContext oc = grabber.getFormatContext();
        return seconds(lengthFromStart(oc, startMicros(oc), orZero(oc.duration())));
    }

    /**
     * {@code info} declaring at least the length to {@code endMicros} on the file's clock, where its media is found to
     * end later than its container declares ({@link MatroskaEnd}); as it was where {@code endMicros} is 0 (unknown).
     */
    private static StreamInfo lastingTo(StreamInfo info, FFmpegFrameGrabber grabber, long endMicros) {
        AVFormatContext oc = grabber.getFormatContext();
        double walked = seconds(lengthFromStart(oc, startMicros(oc), endMicros));
        return walked > info.declaredSeconds() ? info.withDeclaredSeconds(walked) : info;
    }

    /**
     * A declared duration (in the units of {@code start}) made a length from the start. Most demuxers report the
     * length, but FFmpeg reads a Matroska segment's duration and an Ogg stream's last granule as the time the media
     * ends on its clock: a Matroska film starting at 10:00:00 declared 10 hours and was refused as too long for one
     * utterance (LIMIT_EXCEEDED), where the same film in MP4 (an edit list, read as start and length) decoded. Taken
     * as an end only where it reaches past a start above 0; a writer that counts from the first timestamp is then
     * under-counted by its start at worst, which only makes the check for a cut file less sensitive.
     */
    private static long lengthFromStart(AVFormatContext oc, long start, long duration) {
        boolean durationIsEnd = oc.iformat() != null && !oc.iformat().isNull()
                && END_AS_DURATION.contains(oc.iformat().name().getString());
        return durationIsEnd && start > 0 && duration > start ? duration - start : duration;
    }

    /** FFmpeg's demuxers whose duration is where the media ends, not how long it lasts ({@link #lengthFromStart}). */
    private static final java.util.Set<String> END_AS_DURATION = java.util.Set.of("matroska,webm", "ogg");

    private static long orZero(long ffmpegTime) {
        return ffmpegTime == AV_NOPTS_VALUE ? 0 : ffmpegTime;
    }

    static double seconds(long micros) {
        return micros > 0 ? micros / 1e6 : 0;
    }

    /**
     * The counting of each open grabber's codec threads for its object's time budget, ended at its release while the
     * threads still run.
     */
    private static final Map<FFmpegFrameGrabber, CpuAccount.Scope> CODEC_THREADS =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    static void release(FFmpegFrameGrabber grabber) {
        CpuAccount.Scope counted = CODEC_THREADS.remove(grabber);
        if (counted != null) counted.close();
        try {
            grabber.release();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // Nothing useful to do: the native context is freed as far as FFmpeg allows.
        }
    }
}
