package dev.moodtag.media;

import java.nio.file.Path;

/** The decode stage: one media file (plus an optional transcript) in, one {@link Utterance} out. */
public interface MediaDecoder {

    /**
     * Decodes audio to 16 kHz mono float PCM and samples video frames, streaming through the file.
     *
     * @param transcript inline transcript, or null to look for a sidecar beside the file
     * @throws MediaException with a {@link MediaException.Kind} when the file cannot be used
     */
    default Utterance decode(Path file, Transcript transcript) {
        return decode(file, transcript, DecodeListener.NONE);
    }

    /**
     * {@link #decode(Path, Transcript)}, telling {@code listener} as soon as the audio and transcript are complete
     * and as each sampled frame is decoded, so that encoding can overlap decoding. The utterance returned is the
     * same as without a listener.
     */
    Utterance decode(Path file, Transcript transcript, DecodeListener listener);

    /**
     * {@link #decode(Path, Transcript, DecodeListener)} within {@code bounds}: decoding stops with
     * {@link LongerThanUtterance} once the decoded media outgrows {@link DecodeBounds#utteranceSeconds()}, and with
     * {@link MediaException.Kind#LIMIT_EXCEEDED} once the time budget is spent, every decoding thread stopped.
     */
    Utterance decode(Path file, Transcript transcript, DecodeListener listener, DecodeBounds bounds);

    /**
     * The settings that decide which video frames an utterance gets and at what size (sampling rate, frame limit,
     * frame size, how a film is decoded): equal strings, equal frames from equal bytes. Cached video features are
     * keyed by it, as encoder outputs are keyed by the encoder's fingerprint. Audio is always 16 kHz mono and needs none.
     */
    String frameSampling();

    /** {@link #decode(Path, Transcript)} with the transcript taken from a sidecar file, if there is one. */
    default Utterance decode(Path file) {
        return decode(file, null);
    }

    /**
     * Pushes the file's audio (16 kHz mono chunks of bounded size) and sampled video frames to the sink as
     * they are decoded, holding no more than one chunk or frame at a time. Unlike {@link #decode}, it applies
     * no duration limit and no frame limit: the sink decides how much it wants. The file size and picture
     * size limits still apply.
     *
     * @throws MediaException with a {@link MediaException.Kind} when the file cannot be used; exceptions the
     *                        sink throws pass through unchanged
     */
    void stream(Path file, MediaSink sink);

    /**
     * {@link #stream(Path, MediaSink)}, stopping with {@link MediaException.Kind#LIMIT_EXCEEDED} once {@code budget}
     * is spent (checked before every decoded packet; the sink's work on a chunk or frame is not interrupted).
     */
    void stream(Path file, MediaSink sink, TimeBudget budget);

    /**
     * What the file holds (streams, declared duration), read from its header; decodes at most a frame or a chunk.
     *
     * @throws MediaException as {@link #stream} does
     */
    default StreamInfo probe(Path file) {
        ProbeSink probe = new ProbeSink();
        stream(file, probe);
        return probe.info();
    }
}
