package dev.moodtag.media;

/** The sink of {@link MediaDecoder#probe}: keeps what the file holds, and wants no audio or frame after the first. */
final class ProbeSink implements MediaSink {
    private StreamInfo info;

    @Override
    public void start(StreamInfo info) {
        this.info = info;
    }

    @Override
    public boolean audio(AudioTrack chunk) {
        return false;
    }

    @Override
    public boolean frame(VideoFrame frame) {
        return false;
    }

    /** What the file holds; null before {@link #start}. */
    StreamInfo info() {
        return info;
    }
}
