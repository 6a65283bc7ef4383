package dev.moodtag.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void quantilesAreNearestRankAndIgnoreInputOrder() {
        double[] ms = {50, 10, 40, 20, 30, 60, 70, 80, 90, 100};
        assertEquals(50, BenchCommand.quantile(ms, 0.5));
        assertEquals(100, BenchCommand.quantile(ms, 0.95));
        assertEquals(10, BenchCommand.quantile(ms, 0.0));
        assertEquals(50, ms[0], "the caller's array is not sorted in place");
        assertEquals(7, BenchCommand.quantile(new double[]{7}, 0.95));
        assertTrue(Double.isNaN(BenchCommand.quantile(new double[0], 0.5)));
    }

    @Test
    void peakResidentMemoryIsReadFromProc() {
        // RSS first: the high-water mark read afterwards can only be at least as large.
        long now = BenchCommand.procStatusKb("VmRSS");
        long peak = BenchCommand.procStatusKb("VmHWM");
        assertTrue(now > 0 && peak >= now, "VmHWM " + peak + " kB, VmRSS " + now + " kB");
    }
}
