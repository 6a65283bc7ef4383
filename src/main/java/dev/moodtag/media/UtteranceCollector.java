package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sink behind {@link MediaDecoder#decode}: gathers one utterance, applying the limits that only make
 * sense for a single utterance (duration, number of frames), and tells the {@link DecodeListener} what is complete.
 * Audio, the video and the second part of a video decoded in two may arrive from three threads (each decoded by its
 * own demuxer); the fields each touches are disjoint, and {@link #toUtterance} is called once all have finished.
 */
final class UtteranceCollector implements MediaSink, AutoCloseable {
    private final String source;
    private final double maxSeconds;
    private final int maxFrames;
    /** What the chain found before decoding; replaced by what was heard once the audio is complete, if recognised. */
    private volatile TranscriptResolution text;
    /** The last link of the chain, recognising while the audio decodes; NONE when an earlier link answered. */
    private final HeardTranscripts heard;
    private HeardTranscripts.Listening listening;
    private final DecodeListener listener;
    private final List<VideoFrame> frames = new ArrayList<>();
    /** The second part of a video decoded in two, from its own thread; appended to {@code frames} at the end. */
    private final List<VideoFrame> laterFrames = new ArrayList<>();
    /**
     * Frames kept per part. Each part counts its own, so that which frames a part keeps never depends on how far the
     * other part's thread has got: a split film declares fewer frames than the limit, and only one that lies about its
     * length reaches it (then each part stops at the limit, and the utterance holds at most twice as many).
     */
    private final AtomicInteger[] keptByPart = {new AtomicInteger(), new AtomicInteger()};
    private final AtomicBoolean audioAnnounced = new AtomicBoolean();
    private volatile StreamInfo info;
    private float[] samples = new float[AudioTrack.RATE];
    private int sampleCount;
    private AudioTrack audio;

    UtteranceCollector(String source, MediaConfig config, DecodeBounds bounds, TranscriptResolution text,
                       DecodeListener listener) {
        this(source, config, bounds, text, HeardTranscripts.NONE, listener);
    }

    UtteranceCollector(String source, MediaConfig config, DecodeBounds bounds, TranscriptResolution text,
                       HeardTranscripts heard, DecodeListener listener) {
        this.heard = heard;
        this.source = source;
        this.maxSeconds = Math.min(config.maxDuration().toMillis() / 1000.0, bounds.utteranceSeconds());
        this.maxFrames = config.maxFrames();
        this.text = text;
        this.listener = listener;
    }

    @Override
    public void start(StreamInfo info) {
        this.info = info;
        if (info.declaredSeconds() > maxSeconds) throw tooLong(info.declaredSeconds());
        if (info.hasAudio() && heard.listens()) listening = heard.listen(0);
        // Without an audio stream, speech and text are known now: the transcript's encoder need not wait for the video.
        if (!info.hasAudio()) audioEnded();
    }

    @Override
    public boolean audio(AudioTrack chunk) {
        float[] s = chunk.samples();
        // Containers that declare no duration are caught here, before they fill the memory.
        if (sampleCount + (long) s.length > maxSeconds * AudioTrack.RATE) throw tooLong(chunk.startSeconds());
        if (sampleCount + s.length > samples.length)
            samples = Arrays.copyOf(samples, Math.max(samples.length * 2, sampleCount + s.length));
        System.arraycopy(s, 0, samples, sampleCount, s.length);
        sampleCount += s.length;
        // Recognised on the audio's own decoding thread, chunk by chunk, so the transcript is ready with the audio.
        if (listening != null) listening.accept(s);
        return true;
    }

    @Override
    public boolean frame(VideoFrame frame) {
        return keep(0, frames, frame);
    }

    /** A frame of the second part of a video decoded in two, from the thread decoding that part. */
    boolean laterPartFrame(VideoFrame frame) {
        return keep(1, laterFrames, frame);
    }

    private boolean keep(int part, List<VideoFrame> into, VideoFrame frame) {
        if (frame.timestampSeconds() > maxSeconds) throw tooLong(frame.timestampSeconds());
        into.add(frame);
        listener.frame(part, frame);
        return keptByPart[part].incrementAndGet() < maxFrames;
    }

    /** The audio is complete (or there is none): from the thread that decoded it. */
    void audioEnded() {
        if (!audioAnnounced.compareAndSet(false, true)) return;
        if (info.hasAudio() && sampleCount > 0) audio = new AudioTrack(Arrays.copyOf(samples, sampleCount));
        samples = null;
        if (listening != null) {
            text = listening.finish();
            close();
        }
        Map<Modality, String> missing = missingSpeechAndText();
        missing.put(Modality.VIDEO, info.hasVideo() ? "the video of " + source + " is still being decoded"
                : "no video stream in " + source);
        listener.audioAndText(new Utterance(source, audio, null, text.transcript(), missing));
    }

    @Override
    public void end() {
        audioEnded();
    }

    /** Releases the recogniser, when decoding failed before the audio was complete. */
    @Override
    public void close() {
        if (listening != null) listening.close();
        listening = null;
    }

    private Map<Modality, String> missingSpeechAndText() {
        Map<Modality, String> missing = new EnumMap<>(Modality.class);
        if (!info.hasAudio()) missing.put(Modality.SPEECH, "no audio stream in " + source
                + (info.stillImage() ? " (a still image)" : ""));
        else if (audio == null) missing.put(Modality.SPEECH, "the audio stream in " + source + " holds no samples");
        if (text.transcript() == null) missing.put(Modality.TEXT, text.whyMissing());
        return missing;
    }

    private MediaException tooLong(double seconds) {
        return new LongerThanUtterance(source, seconds, maxSeconds);
    }

    /** The utterance, once {@link #end} has been called. */
    Utterance toUtterance() {
        Map<Modality, String> missing = missingSpeechAndText();
        VideoTrack video = null;
        if (!info.hasVideo()) missing.put(Modality.VIDEO, "no video stream in " + source);
        else if (frames.isEmpty() && laterFrames.isEmpty())
            missing.put(Modality.VIDEO, "the video stream in " + source + " holds no frames");
        else if (laterFrames.isEmpty() || frames.isEmpty()) {
            video = new VideoTrack(frames.isEmpty() ? laterFrames : frames, info.sampledFps(), info.sourceFps());
        } else {
            List<VideoFrame> all = new ArrayList<>(frames);
            all.addAll(laterFrames);
            video = new VideoTrack(all, info.sampledFps(), info.sourceFps(), List.of(0, frames.size()));
        }

        if (missing.size() == Modality.values().length)
            throw new MediaException(Kind.NO_USABLE_STREAM, source, String.join("; ", missing.values()));
        return new Utterance(source, audio, video, text.transcript(), missing);
    }
}
