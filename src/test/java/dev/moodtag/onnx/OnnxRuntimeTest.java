package dev.moodtag.onnx;

import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Execution-provider selection. The build machine has no GPU and the default build has the CPU-only ONNX Runtime,
 * so these tests pin the fallback path; the CUDA path itself is exercised only by the -Pgpu build on a GPU host.
 */
class OnnxRuntimeTest {

    private static byte[] vadModel() {
        ModelPack pack = Fixtures.defaultPack();
        return pack.vad().orElseThrow().file("model").readAllBytes();
    }

    @Test
    void autoFallsBackToCpuAndSaysWhy() {
        OnnxRuntime ort = new OnnxRuntime(new Fixtures.TestOnnxConfig(OnnxConfig.Device.AUTO));
        try (LoadedSession s = ort.open("vad", vadModel())) {
            if (s.provider().equals("cuda")) return; // a GPU build on a GPU host: nothing to fall back from
            assertEquals("cpu", s.provider());
            assertTrue(s.providerNote().startsWith("CUDA unavailable: "), s.providerNote());
        }
    }

    @Test
    void cudaRequiredFailsWithAnActionableMessageWhenCudaCannotStart() {
        OnnxRuntime ort = new OnnxRuntime(new Fixtures.TestOnnxConfig(OnnxConfig.Device.CUDA));
        byte[] model = vadModel();
        try {
            ort.open("vad", model).close();
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("moodtag.onnx.device=cuda"), e.getMessage());
            assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
            return;
        }
        // Reaching here means CUDA really started: only on a GPU host with the -Pgpu build.
    }

    @Test
    void cpuIsCpu() {
        try (LoadedSession s = Fixtures.onnxCpu().open("vad", vadModel())) {
            assertEquals("cpu", s.provider());
        }
    }

    @Test
    void unknownOptimisationLevelIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> OnnxRuntime.optLevel("turbo"));
    }
}
