package dev.moodtag.cli;

import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.media.Modality;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void peakResidentMemoryIsReadFromProc() {
        // RSS first: the high-water mark read afterwards can only be at least as large.
        long now = BenchCommand.procStatusKb("VmRSS");
        long peak = BenchCommand.procStatusKb("VmHWM");
        assertTrue(now > 0 && peak >= now, "VmHWM " + peak + " kB, VmRSS " + now + " kB");
    }

    private static final EncoderInfo SPEECH = new EncoderInfo("speech", Modality.SPEECH, "k", 3, "fp32", "cuda", "",
            Map.of(), Map.of());
    private static final EncoderInfo VIDEO = new EncoderInfo("video", Modality.VIDEO, "k", 2, "fp32", "cuda", "",
            Map.of(), Map.of());

    private static UtteranceEmbeddings pass(float[] speech, float[] video) {
        return new UtteranceEmbeddings("f", List.of(new EncoderResult(SPEECH, speech, null, 1),
                video != null ? new EncoderResult(VIDEO, video, null, 1) : new EncoderResult(VIDEO, null, "no video", 0)),
                1);
    }

    /** The bench's repeatability figure: one vector per encoder, or how many; a last-bit difference counts. */
    @Test
    void repeatabilityCountsEveryDistinctVectorDownToTheLastBit() {
        BenchCommand.Repeatability r = new BenchCommand.Repeatability();
        float[] speech = {0.1f, 0.2f, 0.3f};
        r.see(pass(speech.clone(), new float[]{1, 2}));
        r.see(pass(speech.clone(), new float[]{1, 2}));
        r.see(pass(new float[]{0.1f, 0.2f, Math.nextUp(0.3f)}, new float[]{1, 2}));
        r.see(pass(speech.clone(), null));
        assertEquals(Map.of("passes", 4, "distinctVectors", Map.of("speech", 2, "video", 1)), r.summary());
    }

    /** An idle time outside 0..60 s is a usage error before anything loads (no pack is configured here). */
    @Test
    void aPauseOutsideItsRangeIsRefusedBeforeAnythingLoads() {
        for (String bad : new String[]{"-1", "60001", String.valueOf(Long.MAX_VALUE)}) {
            var err = new java.io.StringWriter();
            var cli = new picocli.CommandLine(new BenchCommand(null, null, null)).setErr(new java.io.PrintWriter(err));
            assertEquals(2, cli.execute("--pause-ms", bad, "clip.mp4"), bad);
            assertTrue(err.toString().contains("--pause-ms must be within 0..60000"), () -> "[" + err + "]");
        }
    }

    /** Runs, warm-ups and concurrency levels that fail only after every timed run are usage errors before anything loads. */
    @Test
    void runsAndConcurrencyOutsideTheirRangeAreRefusedBeforeAnythingLoads() {
        for (String[] bad : new String[][]{{"--runs", "0"}, {"--runs", "-1"}, {"--warmup", "-1"}, {"--concurrency", "0"},
                {"--concurrency", "1,-2"}, {"--concurrency", "100000"}}) {
            var err = new java.io.StringWriter();
            var cli = new picocli.CommandLine(new BenchCommand(null, null, null)).setErr(new java.io.PrintWriter(err));
            assertEquals(2, cli.execute(bad[0], bad[1], "clip.mp4"), String.join(" ", bad));
            assertTrue(err.toString().contains(bad[0]), () -> "[" + err + "]");
        }
    }
}
