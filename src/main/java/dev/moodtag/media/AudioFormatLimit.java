package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.util.Locale;

/**
 * What the audio's own format must be for the resampler's 16 kHz mono to mean anything. The resampler takes the rate it
 * is told at its word: a 4 kB WAV declaring 1 sample per second became 4,096 s of audio (65 million samples), which the
 * function then streamed as a long recording, and a rate of millions built a filter bank of hundreds of MB. Checked on
 * the header, before anything is decoded, and on every decoded frame. A rate that changes part-way is no longer refused here (until 2026-12-06 it was): {@link Mixdown} resamples
 * each frame from its own rate and {@link RateChange} says where the frames after the change belong.
 */
final class AudioFormatLimit {
    /** Below any rate speech is recorded at (telephony: 8 kHz; old 4 kHz voice formats still pass), 4x at most to 16 kHz. */
    static final int MIN_SAMPLE_RATE = 4000;

    /**
     * Above the highest rate audio interfaces record at (768 kHz). The resampler's filter bank grows with the ratio to
     * 16 kHz: an ALAC file of 251 kB configured for 29,472,011 Hz took 393-558 MB and 4.5 s to resample.
     */
    static final int MAX_SAMPLE_RATE = 768_000;

    /**
     * FFmpeg's resampler takes at most this many channels (SWR_CH_MAX): more failed part-way as CORRUPT ("Invalid
     * argument"), which told the user a valid file was damaged.
     */
    static final int MAX_CHANNELS = 64;

    private AudioFormatLimit() {
    }

    static void checkHeader(StreamInfo info) {
        if (info.hasAudio() && info.sourceSampleRate() > 0 && info.sourceSampleRate() < MIN_SAMPLE_RATE)
            throw new MediaException(Kind.UNSUPPORTED, info.source(), "its audio is sampled at " + info.sourceSampleRate()
                    + " Hz, below the " + MIN_SAMPLE_RATE + " Hz any recording of speech has");
        if (info.hasAudio() && info.sourceSampleRate() > MAX_SAMPLE_RATE) throw tooFast(info, info.sourceSampleRate(), "");
        if (info.hasAudio() && info.sourceChannels() > MAX_CHANNELS)
            throw new MediaException(Kind.UNSUPPORTED, info.source(), "its audio has " + info.sourceChannels()
                    + " channels, more than the " + MAX_CHANNELS + " FFmpeg's resampler here can mix");
    }

    /**
     * @param streamRate the rate of the stream's decoded frames so far, 0 before the first
     * @return the stream's rate from this frame on
     */
    static int checkFrame(StreamInfo info, int streamRate, int frameRate, double seconds) {
        if (frameRate <= 0) return streamRate; // the decoder did not say: the resampler keeps what it had
        if (frameRate < MIN_SAMPLE_RATE)
            throw new MediaException(Kind.UNSUPPORTED, info.source(), String.format(Locale.ROOT,
                    "its audio is sampled at %d Hz from %.2f s, below the %d Hz any recording of speech has",
                    frameRate, seconds, MIN_SAMPLE_RATE));
        if (frameRate > MAX_SAMPLE_RATE) throw tooFast(info, frameRate, String.format(Locale.ROOT, " from %.2f s", seconds));
        return frameRate;
    }

    private static MediaException tooFast(StreamInfo info, int rate, String from) {
        return new MediaException(Kind.UNSUPPORTED, info.source(), "its audio is sampled at " + rate + " Hz" + from
                + ", above the " + MAX_SAMPLE_RATE + " Hz any recording is made at");
    }
}
