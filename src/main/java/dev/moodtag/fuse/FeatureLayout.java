package dev.moodtag.fuse;

import dev.moodtag.media.Modality;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The blocks a feature vector is made of, in order. A sample is a {@code float[][]} with one entry per block
 * (null when that block is missing for the sample).
 */
public record FeatureLayout(List<FeatureBlock> blocks) {

    public FeatureLayout {
        blocks = List.copyOf(blocks);
        Set<String> ids = new java.util.HashSet<>();
        for (FeatureBlock b : blocks) {
            if (!ids.add(b.id())) throw new IllegalArgumentException("feature block " + b.id() + " appears twice");
        }
    }

    public int size() {
        return blocks.size();
    }

    public FeatureBlock block(int i) {
        return blocks.get(i);
    }

    /** The modalities present, in {@link Modality} order. */
    public List<Modality> modalities() {
        Set<Modality> present = new LinkedHashSet<>();
        for (Modality m : Modality.values()) {
            if (blocks.stream().anyMatch(b -> b.modality() == m)) present.add(m);
        }
        return List.copyOf(present);
    }

    /** Positions of the blocks of the given modalities. */
    public int[] indicesOf(Set<Modality> modalities) {
        return IntStream.range(0, blocks.size()).filter(i -> modalities.contains(blocks.get(i).modality())).toArray();
    }

    /** The layout restricted to the given positions. */
    public FeatureLayout select(int[] indices) {
        List<FeatureBlock> out = new ArrayList<>();
        for (int i : indices) out.add(blocks.get(i));
        return new FeatureLayout(out);
    }

    public int totalDim() {
        return blocks.stream().mapToInt(FeatureBlock::dim).sum();
    }
}
