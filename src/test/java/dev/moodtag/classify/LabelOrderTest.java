package dev.moodtag.classify;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

class LabelOrderTest {

    @Test
    void theLibrarysOrderIsSpreadOverOurClassNumbersAndAnAbsentClassGetsZero() {
        LabelOrder order = new LabelOrder(new int[]{2, 0, 1}, 4);
        assertArrayEquals(new double[]{0.2, 0.1, 0.7, 0}, order.probabilities(p -> {
            p[0] = 0.7;
            p[1] = 0.2;
            p[2] = 0.1;
        }), 0);
    }

    @Test
    void aModelOfOneClassGivesItProbabilityOneWithoutAskingTheLibrary() {
        LabelOrder order = new LabelOrder(new int[]{1}, 3);
        assertArrayEquals(new double[]{0, 1, 0}, order.probabilities(p -> fail("no estimates for one class")), 0);
    }
}
