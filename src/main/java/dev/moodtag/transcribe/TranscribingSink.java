package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.MediaSink;
import dev.moodtag.media.VideoFrame;

/**
 * Recognises a file's speech while it is decoded ({@code MediaDecoder.stream}): audio chunks go straight to the
 * recogniser, video is declined so the decoder skips it. Memory stays bounded whatever the length: the recogniser's
 * state, the words so far and, when voiced time is measured, one block of at most {@code blockSeconds} of audio.
 */
public final class TranscribingSink implements MediaSink, AutoCloseable {

    private final TranscriptionStream stream;
    private final VoicedTime voicedTime;
    private final float[] block;
    private int filled;
    private double voiced;

    /**
     * @param voicedTime   how much of a stretch of audio is voiced (a voice-activity detector), or null not to measure;
     *                     not closed here
     * @param blockSeconds  the stretch handed to it at a time; a recording shorter than this is measured whole
     */
    public TranscribingSink(TranscriptionStream stream, VoicedTime voicedTime, double blockSeconds) {
        this.stream = stream;
        this.voicedTime = voicedTime;
        this.block = voicedTime == null ? new float[0] : new float[(int) Math.ceil(blockSeconds * AudioTrack.RATE)];
        if (voicedTime != null && block.length == 0) throw new IllegalArgumentException("blockSeconds must be positive");
    }

    @Override
    public boolean audio(AudioTrack chunk) {
        float[] s = chunk.samples();
        stream.accept(s);
        if (voicedTime != null) {
            for (int at = 0; at < s.length; ) {
                int n = Math.min(block.length - filled, s.length - at);
                System.arraycopy(s, at, block, filled, n);
                filled += n;
                at += n;
                if (filled == block.length) measureBlock();
            }
        }
        return true;
    }

    @Override
    public boolean frame(VideoFrame frame) {
        return false;
    }

    private void measureBlock() {
        if (filled == 0) return;
        float[] samples = filled == block.length ? block : java.util.Arrays.copyOf(block, filled);
        voiced += voicedTime.seconds(new AudioTrack(samples));
        filled = 0;
    }

    /** Everything recognised, with the voiced time measured (NaN when not measured). Call once decoding has ended. */
    public RecognisedSpeech finish() {
        if (voicedTime == null) return stream.finish();
        measureBlock();
        return stream.finish().withVoicedSeconds(voiced);
    }

    @Override
    public void close() {
        stream.close();
    }
}
