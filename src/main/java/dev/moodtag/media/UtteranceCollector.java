package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The sink behind {@link MediaDecoder#decode}: gathers one utterance, applying the limits that only make
 * sense for a single utterance (duration, number of frames).
 */
final class UtteranceCollector implements MediaSink {
    private final String source;
    private final double maxSeconds;
    private final int maxFrames;
    private final List<VideoFrame> frames = new ArrayList<>();
    private StreamInfo info;
    private float[] samples = new float[AudioTrack.RATE];
    private int sampleCount;

    UtteranceCollector(String source, MediaConfig config) {
        this.source = source;
        this.maxSeconds = config.maxDuration().toMillis() / 1000.0;
        this.maxFrames = config.maxFrames();
    }

    @Override
    public void start(StreamInfo info) {
        this.info = info;
        if (info.declaredSeconds() > maxSeconds) throw tooLong(info.declaredSeconds());
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
        return true;
    }

    @Override
    public boolean frame(VideoFrame frame) {
        if (frame.timestampSeconds() > maxSeconds) throw tooLong(frame.timestampSeconds());
        frames.add(frame);
        return frames.size() < maxFrames;
    }

    private MediaException tooLong(double seconds) {
        return new MediaException(Kind.LIMIT_EXCEEDED, source, String.format(
                "it lasts at least %.1f s, longer than the limit of %.1f s for one utterance", seconds, maxSeconds));
    }

    Utterance toUtterance(TranscriptLoader.Found text) {
        Map<Modality, String> missing = new EnumMap<>(Modality.class);
        AudioTrack audio = null;
        if (!info.hasAudio()) missing.put(Modality.SPEECH, "no audio stream in " + source
                + (info.stillImage() ? " (a still image)" : ""));
        else if (sampleCount == 0) missing.put(Modality.SPEECH, "the audio stream in " + source + " holds no samples");
        else audio = new AudioTrack(Arrays.copyOf(samples, sampleCount));

        VideoTrack video = null;
        if (!info.hasVideo()) missing.put(Modality.VIDEO, "no video stream in " + source);
        else if (frames.isEmpty()) missing.put(Modality.VIDEO, "the video stream in " + source + " holds no frames");
        else video = new VideoTrack(frames, info.sampledFps(), info.sourceFps());

        if (text.transcript() == null || text.transcript().isBlank()) missing.put(Modality.TEXT, text.whyMissing());
        if (missing.size() == Modality.values().length)
            throw new MediaException(Kind.NO_USABLE_STREAM, source, String.join("; ", missing.values()));
        return new Utterance(source, audio, video, text.transcript(), missing);
    }
}
