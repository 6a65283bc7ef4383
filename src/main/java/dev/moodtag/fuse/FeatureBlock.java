package dev.moodtag.fuse;

import dev.moodtag.media.Modality;

/**
 * One block of the feature vector: the output of one encoder of the model pack, or a precomputed feature group
 * that a dataset brings (the RAVDESS action units). Fusion standardises each block on its own.
 *
 * @param id          the encoder id ({@code text-bge-small}) or the precomputed block's name ({@code au})
 * @param fingerprint what produced the values: the encoder's hash (files, precision, parameters) for an
 *                    encoder block, {@code precomputed} for a block read from the dataset; a classifier is only
 *                    served by a pack whose encoder has the same fingerprint
 */
public record FeatureBlock(String id, Modality modality, int dim, String fingerprint) {
    public static final String PRECOMPUTED = "precomputed";

    public FeatureBlock {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("block id must not be blank");
        if (dim <= 0) throw new IllegalArgumentException("block " + id + ": dim must be positive");
    }

    public boolean precomputed() {
        return PRECOMPUTED.equals(fingerprint);
    }
}
