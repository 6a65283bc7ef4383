package dev.moodtag.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void peakResidentMemoryIsReadFromProc() {
        // RSS first: the high-water mark read afterwards can only be at least as large.
        long now = BenchCommand.procStatusKb("VmRSS");
        long peak = BenchCommand.procStatusKb("VmHWM");
        assertTrue(now > 0 && peak >= now, "VmHWM " + peak + " kB, VmRSS " + now + " kB");
    }
}
