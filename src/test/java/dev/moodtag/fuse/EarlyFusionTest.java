package dev.moodtag.fuse;

import dev.moodtag.media.Modality;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EarlyFusionTest {

    private static final FeatureLayout LAYOUT = new FeatureLayout(List.of(
            new FeatureBlock("a", Modality.SPEECH, 2, FeatureBlock.PRECOMPUTED),
            new FeatureBlock("v", Modality.VIDEO, 1, FeatureBlock.PRECOMPUTED)));

    @Test
    void standardisesEachBlockOnTrainingRowsAndConcatenates() {
        List<float[][]> samples = List.of(
                new float[][]{{1, 10}, {5}},
                new float[][]{{3, 10}, {7}},
                new float[][]{{1000, -1000}, {1000}}); // the test row: must not move the scalers
        EarlyFusion f = EarlyFusion.fit(LAYOUT, samples, new int[]{0, 1}, new int[]{0, 1}, false);
        assertArrayEquals(new double[]{2, 10}, f.scalers().get(0).mean(), 0);
        assertArrayEquals(new double[]{1, 1}, f.scalers().get(0).scale(), 0, "a constant dimension keeps scale 1");
        assertArrayEquals(new double[]{-1, 0, -1}, f.transform(samples.get(0)), 1e-12);
        assertEquals(3, f.dim());
        // a missing block becomes the training mean (0 after standardisation)
        assertArrayEquals(new double[]{1, 0, 0}, f.transform(new float[][]{{3, 10}, null}), 1e-12);
    }

    @Test
    void balancedBlocksWeighByInverseRootOfDimension() {
        List<float[][]> samples = List.of(new float[][]{{1, 1}, {5}}, new float[][]{{3, 3}, {7}});
        EarlyFusion f = EarlyFusion.fit(LAYOUT, samples, new int[]{0, 1}, new int[]{0, 1}, true);
        double r = 1 / Math.sqrt(2);
        assertArrayEquals(new double[]{r, r, 1}, f.transform(samples.get(1)), 1e-12);
    }
}
