package dev.moodtag.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process's peak resident memory (Linux: VmHWM of /proc/self/status), reset to what it holds now by writing 5 to
 * /proc/self/clear_refs, so that one piece of work's peak can be told from the process's; elsewhere nothing is measured.
 *
 * @param atResetKb the resident memory at the reset, or -1 where it cannot be measured
 */
record PeakMemory(long atResetKb) {

    static PeakMemory reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return new PeakMemory(peakKb());
        } catch (IOException e) {
            return new PeakMemory(-1);
        }
    }

    /** The peak since the reset, in kB, or -1. */
    static long peakKb() {
        return peakKbOf("self");
    }

    /** The peak of process {@code pid} ("self": this one), in kB, or -1 where it cannot be read (or has ended). */
    static long peakKbOf(String pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", pid, "status")))
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("\\D", ""));
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }

    void assertGrewLessThan(long bytes, String what) {
        if (atResetKb < 0) return;
        long grew = (peakKb() - atResetKb) * 1024;
        assertTrue(grew < bytes, what + ": the peak resident memory grew by " + (grew >> 20) + " MB");
    }
}
