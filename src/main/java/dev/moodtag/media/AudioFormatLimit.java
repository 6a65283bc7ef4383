package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

/**
 * What the audio's own format must be for the resampler's 16 kHz mono to mean anything. The resampler takes the rate it
 * is told at its word: a 4 kB WAV declaring 1 sample per second became 4,096 s of audio (65 million samples), which the
 * function then streamed as a long recording. Checked on the header, before anything is decoded.
 */
final class AudioFormatLimit {
    /** Below any rate speech is recorded at (telephony: 8 kHz; old 4 kHz voice formats still pass), 4x at most to 16 kHz. */
    static final int MIN_SAMPLE_RATE = 4000;

    private AudioFormatLimit() {
    }

    static void checkHeader(StreamInfo info) {
        if (info.hasAudio() && info.sourceSampleRate() > 0 && info.sourceSampleRate() < MIN_SAMPLE_RATE)
            throw new MediaException(Kind.UNSUPPORTED, info.source(), "its audio is sampled at " + info.sourceSampleRate()
                    + " Hz, below the " + MIN_SAMPLE_RATE + " Hz any recording of speech has");
    }
}
