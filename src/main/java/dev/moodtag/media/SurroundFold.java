package dev.moodtag.media;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;

import static org.bytedeco.ffmpeg.global.avutil.AV_MATRIX_ENCODING_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_build_matrix2;

/**
 * How much FFmpeg's fold of surround to stereo amplifies. The resampler ({@link Mixdown}) folds with FFmpeg's ITU-R BS.775
 * coefficients (left = front left + 0.707 centre + 0.707 each left surround, LFE left out), and for float output
 * it does not normalise them: the same tone on every channel of 5.1 came out 2.4 times as loud as in mono (7.1: 3.1
 * times) and clipped. Dividing the folded stereo by its largest row sum keeps the standard's proportions (dialogue in
 * the centre still counts 1.4 times a front channel) with coefficients that sum to 1: the mix of one signal on every
 * channel keeps its level, and no mix can leave [-1, 1]. (A louder centre, as some players mix, would need the other
 * channels turned down below the standard's, or clip.)
 */
final class SurroundFold {
    /** The resampler's defaults, which Mixdown keeps: centre and surround at -3 dB, LFE not mixed. */
    private static final double CENTRE = Math.sqrt(0.5), SURROUND = Math.sqrt(0.5), LFE = 0;
    /** What the resampler normalises to for float output: in effect never. */
    private static final double NO_NORMALISATION = Integer.MAX_VALUE;
    /**
     * SWR_CH_MAX: swr_build_matrix2 scales a whole SWR_CH_MAX x SWR_CH_MAX matrix at the given stride, whatever the
     * layouts, so its buffer must have that size (one of 2 x channels is written past its end: the JVM crashes).
     */
    private static final int MATRIX_SIDE = 64;

    private SurroundFold() {
    }

    /**
     * Whether FFmpeg's resampler has a mix from {@code layout} to the default layout of {@code outChannels} (what the
     * audio is resampled to). It has none for a layout without a front channel, or with one channel of a pair and not
     * the other (a WAV's mask 0x30, back left and right; 0x5, front left and centre; 0x13): it refused them on the first
     * frame, "Invalid argument", and a valid file failed as damaged.
     */
    static boolean mixable(AVChannelLayout layout, int outChannels) {
        int in = layout.nb_channels();
        if (in <= 0 || in > MATRIX_SIDE || outChannels <= 0 || outChannels > MATRIX_SIDE) return true; // not ours to judge
        AVChannelLayout out = new AVChannelLayout();
        try {
            av_channel_layout_default(out, outChannels);
            // the same layout needs no mix; the resampler copies it. FFmpeg logs the layouts it refuses ("Input channel
            // layout ... is not supported"), though here they are then decoded: its own rule is asked, not copied.
            return av_channel_layout_compare(layout, out) == 0 || matrix(layout, out) != null;
        } finally {
            av_channel_layout_uninit(out);
            out.close();
        }
    }

    /**
     * The gain of folding {@code layout} to stereo, the largest sum of one output channel's coefficients; 1 where FFmpeg
     * has no fold for it (the resampler then refuses it itself).
     */
    static double gain(AVChannelLayout layout) {
        int in = layout.nb_channels();
        if (in <= 0 || in > MATRIX_SIDE) return 1;
        AVChannelLayout stereo = new AVChannelLayout();
        double[] matrix;
        try {
            av_channel_layout_default(stereo, 2);
            matrix = matrix(layout, stereo);
        } finally {
            av_channel_layout_uninit(stereo);
            stereo.close();
        }
        if (matrix == null) return 1;
        double gain = 0;
        for (int out = 0; out < 2; out++) {
            double sum = 0;
            for (int c = 0; c < in; c++) sum += Math.abs(matrix[out * MATRIX_SIDE + c]);
            gain = Math.max(gain, sum);
        }
        return gain > 0 ? gain : 1;
    }

    /** The resampler's mix from {@code in} to {@code out} (row = output channel, stride MATRIX_SIDE), or null: none. */
    private static double[] matrix(AVChannelLayout in, AVChannelLayout out) {
        double[] matrix = new double[MATRIX_SIDE * MATRIX_SIDE];
        return swr_build_matrix2(in, out, CENTRE, SURROUND, LFE, NO_NORMALISATION, 1.0, matrix, MATRIX_SIDE,
                AV_MATRIX_ENCODING_NONE, null) >= 0 ? matrix : null;
    }
}
