package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Turning pictures upright: the display matrix's angle read as quarter turns, and the turn itself. */
class RgbFramesTest {

    @Test
    void onlyAnglesWithinADegreeOfAQuarterTurnTurnThePicture() {
        // A matrix's angle read back by av_display_rotation_get carries rounding; an angle that is no quarter turn
        // (45 degrees) was rounded to one before and turned the picture a quarter.
        double[][] grid = {{0, 0}, {90, 1}, {-90, 3}, {180, 2}, {-180, 2}, {270, 3}, {360, 0}, {450, 1}, {-270, 1},
                {89.4, 1}, {90.9, 1}, {-89.2, 3}, {179.5, 2}, {0.6, 0}, {-0.9, 0}};
        for (double[] g : grid) assertEquals(OptionalInt.of((int) g[1]), RgbFrames.quarterTurns(g[0]), "angle " + g[0]);
        for (double odd : new double[]{45, -45, 1.5, 88.5, 91.5, 135, 200, 1e9 + 45, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
            assertEquals(OptionalInt.empty(), RgbFrames.quarterTurns(odd), "angle " + odd);
    }

    @Test
    void turningIsAPermutationThatFourQuarterTurnsUndo() {
        Random r = new Random(11);
        for (int[] size : new int[][]{{1, 1}, {1, 7}, {7, 1}, {2, 3}, {160, 120}, {3, 4097}}) {
            int w = size[0], h = size[1];
            byte[] rgb = new byte[w * h * 3];
            r.nextBytes(rgb);
            byte[] once = RgbFrames.turned(rgb, w, h, 1), back = RgbFrames.turned(once, h, w, 3);
            assertArrayEquals(rgb, back, w + "x" + h + ": a quarter turn and three more");
            byte[] half = RgbFrames.turned(RgbFrames.turned(rgb, w, h, 2), w, h, 2);
            assertArrayEquals(rgb, half, w + "x" + h + ": two half turns");
            byte[] full = rgb;
            for (int t = 0, cw = w, ch = h; t < 4; t++, cw = cw ^ ch, ch = cw ^ ch, cw = cw ^ ch) full = RgbFrames.turned(full, cw, ch, 1);
            assertArrayEquals(rgb, full, w + "x" + h + ": four quarter turns");
            assertArrayEquals(rgb, RgbFrames.turned(rgb, w, h, 0), "no turn");
        }
    }
}
