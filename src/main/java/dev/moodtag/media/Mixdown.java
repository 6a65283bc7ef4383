package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_NATIVE;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Each decoded audio frame to 16 kHz mono. JavaCV's grabber sets its resampler up for the first frame and rebuilds it
 * only when its output changes, never its input, so audio whose layout or rate changes part-way (a 5.1 programme with
 * stereo adverts, two recordings joined) was misread or refused. Here the resampler is rebuilt whenever a frame's
 * layout, format or rate differs from the one before, and set up exactly as the grabber set up its own (the same
 * options, output and calls), so audio that does not change decodes to the same samples as before: surround with a
 * named layout is folded to stereo (FFmpeg's fold, its gain undone: {@link SurroundFold}), anything else keeps its
 * channels, and the channels are then averaged. Each stretch is thus mixed as a file in its layout throughout is (before,
 * 5.1 after mono was averaged over its six channels, dialogue in the centre 4.9 dB quieter than in a file in 5.1
 * throughout, and 5.1 followed by stereo was refused). FFmpeg's own stereo-to-mono matrix is not used: it adds the
 * channels at 0.707 each, +3 dB on speech, which sits in both, and clipping on loud recordings.
 */
final class Mixdown implements AutoCloseable {
    private final String source;
    private final AVChannelLayout inLayout = new AVChannelLayout(), outLayout = new AVChannelLayout();
    private final PointerPointer<FloatPointer> out = new PointerPointer<>(1);
    private SwrContext swr;
    private FloatPointer buffer;
    private int inFormat = -1, inRate, outChannels;
    /** Whether the frames are passed as they are: already 16 kHz float with the channels they are averaged from. */
    private boolean copy;
    private double gain = 1;

    Mixdown(String source) {
        this.source = source;
    }

    /** The frame's samples, averaged into one channel at 16 kHz. */
    float[] mono(AVFrame frame, double seconds) {
        if (swr == null && !copy || frame.format() != inFormat || frame.sample_rate() != inRate
                || av_channel_layout_compare(frame.ch_layout(), inLayout) != 0) setUp(frame, seconds);
        int n = frame.nb_samples();
        if (copy) return average(new FloatPointer(frame.extended_data(0)), n * outChannels);
        int capacity = swr_get_out_samples(swr, n);
        if (buffer == null || buffer.capacity() < (long) capacity * outChannels) {
            if (buffer != null) buffer.close();
            buffer = new FloatPointer((long) capacity * outChannels);
        }
        out.put(0, buffer);
        int converted = swr_convert(swr, out, capacity, frame.extended_data(), n);
        if (converted < 0) throw new MediaException(Kind.CORRUPT, source, String.format(Locale.ROOT,
                "its audio could not be resampled at %.2f s (%s)", seconds, FfmpegErrors.describe(converted)));
        return average(buffer, converted * outChannels);
    }

    private void setUp(AVFrame frame, double seconds) {
        free();
        AVChannelLayout layout = frame.ch_layout();
        int channels = layout.nb_channels();
        if (channels <= 0 || channels > AudioFormatLimit.MAX_CHANNELS)
            throw new MediaException(Kind.UNSUPPORTED, source, String.format(Locale.ROOT,
                    "its audio has %d channels from %.2f s, more than the %d FFmpeg's resampler here can mix",
                    channels, seconds, AudioFormatLimit.MAX_CHANNELS));
        av_channel_layout_uninit(inLayout);
        av_channel_layout_copy(inLayout, layout);
        inFormat = frame.format();
        inRate = frame.sample_rate();
        // More than 2 channels in a layout FFmpeg names are folded to stereo; 1 or 2, or channels in no order, keep
        // their count (as the decoder opened on such a file is told, FfmpegMediaDecoder.open).
        boolean fold = channels > 2 && layout.order() == AV_CHANNEL_ORDER_NATIVE;
        outChannels = fold ? 2 : channels;
        AVChannelLayout in = layout;
        if (layout.order() == AV_CHANNEL_ORDER_NATIVE && !SurroundFold.mixable(layout, outChannels)) {
            // a layout the resampler has no mix for (half a pair), met part-way: its channels averaged as they are
            in = new AVChannelLayout().order(AV_CHANNEL_ORDER_UNSPEC).nb_channels(channels);
            fold = false;
            outChannels = channels;
        }
        gain = fold ? SurroundFold.gain(layout) : 1;
        // the grabber converts nothing when the decoder's output is already what it asks for
        copy = inFormat == AV_SAMPLE_FMT_FLT && inRate == AudioTrack.RATE && outChannels == channels;
        if (copy) return;
        av_channel_layout_uninit(outLayout);
        av_channel_layout_default(outLayout, outChannels);
        swr = new SwrContext();
        int err = swr_alloc_set_opts2(swr, outLayout, AV_SAMPLE_FMT_FLT, AudioTrack.RATE, in, inFormat, inRate, 0, null);
        if (err >= 0) err = swr_init(swr);
        if (err < 0) {
            free();
            throw new MediaException(Kind.UNSUPPORTED, source, String.format(Locale.ROOT,
                    "its audio from %.2f s (%d channels at %d Hz) cannot be resampled here (%s)",
                    seconds, channels, inRate, FfmpegErrors.describe(err)));
        }
    }

    /** Averages the interleaved channels into one, undoing the fold's gain. */
    private float[] average(FloatPointer samples, int count) {
        int channels = Math.max(1, outChannels);
        float[] interleaved = new float[count];
        samples.get(interleaved);
        float[] mono = new float[count / channels];
        for (int i = 0, at = 0; i < mono.length; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) sum += interleaved[at++];
            // Resampling filters overshoot slightly on full-scale input; the contract is [-1, 1]. A NaN (a float WAV
            // can hold one, and resampling spreads it) would pass Math.max/min and poison every level and embedding.
            float x = (float) (sum / channels / gain);
            mono[i] = Float.isNaN(x) ? 0f : Math.max(-1f, Math.min(1f, x));
        }
        return mono;
    }

    private void free() {
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
        copy = false;
    }

    @Override
    public void close() {
        free();
        av_channel_layout_uninit(inLayout);
        av_channel_layout_uninit(outLayout);
        if (buffer != null) buffer.close();
        out.close();
        inLayout.close();
        outLayout.close();
    }
}
