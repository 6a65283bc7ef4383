package dev.moodtag.encode.video;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code params} of a {@code videomae} encoder; an unknown key refuses the pack.
 *
 * @param frames frames sampled uniformly over the clip (default 16)
 * @param size   square input side in pixels (default 224)
 * @param mean   per-channel RGB normalisation mean (default ImageNet's)
 * @param std    per-channel RGB normalisation std (default ImageNet's)
 */
@RegisterForReflection
public record VideoMaeParams(Integer frames, Integer size, float[] mean, float[] std) {
    static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public VideoMaeParams {
        if (frames == null) frames = 16;
        if (size == null) size = 224;
        if (frames < 1 || size < 1) throw new IllegalArgumentException("'frames' and 'size' must be >= 1");
        mean = mean == null ? IMAGENET_MEAN.clone() : mean.clone();
        std = std == null ? IMAGENET_STD.clone() : std.clone();
        if (mean.length != 3 || std.length != 3)
            throw new IllegalArgumentException("'mean' and 'std' need one value per RGB channel");
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("'std' values must be > 0");
    }
}
