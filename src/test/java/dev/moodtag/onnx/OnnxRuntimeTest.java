package dev.moodtag.onnx;

import dev.moodtag.pack.ModelPack;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /*
     * On a GPU node whose cuDNN lacked its engine sub-libraries, the CUDA provider loaded and every session was
     * created, then every object failed at its first convolution (CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED), with
     * moodtag.onnx.device=auto too. The probe (a convolution and a matrix product, on CUDA and on the CPU) makes that a
     * start-up decision. This build has no CUDA, so these tests stand a failing probe in for the device.
     */
    private static final String PROBE_FAILED =
            "the device probe (convolution + matrix product) computed NaN where the CPU computed 0.5 (output 0)";

    @Test
    void autoFallsBackToCpuWhenCudaLoadsButCannotCompute() {
        OnnxRuntime ort = new OnnxRuntime(new Fixtures.TestOnnxConfig(OnnxConfig.Device.AUTO), () -> PROBE_FAILED);
        try (LoadedSession s = ort.open("vad", vadModel())) {
            assertEquals("cpu", s.provider());
            assertEquals("CUDA unavailable: " + PROBE_FAILED, s.providerNote());
        }
    }

    @Test
    void cudaRequiredRefusesToStartWhenCudaCannotCompute() {
        OnnxRuntime ort = new OnnxRuntime(new Fixtures.TestOnnxConfig(OnnxConfig.Device.CUDA), () -> PROBE_FAILED);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ort.open("vad", vadModel()).close());
        assertTrue(e.getMessage().contains("moodtag.onnx.device=cuda"), e.getMessage());
        assertTrue(e.getMessage().contains(PROBE_FAILED), e.getMessage());
        assertTrue(e.getMessage().contains("cuDNN"), e.getMessage());
    }

    @Test
    void theProbeRunsOnceHoweverManySessionsAsk() {
        AtomicInteger probes = new AtomicInteger();
        OnnxRuntime ort = new OnnxRuntime(new Fixtures.TestOnnxConfig(OnnxConfig.Device.AUTO), () -> {
            probes.incrementAndGet();
            return PROBE_FAILED;
        });
        byte[] model = vadModel();
        for (int i = 0; i < 3; i++) ort.open("vad" + i, model).close();
        assertEquals(1, probes.get());
    }

    @Test
    void theProbeModelRunsAndTheComparisonCatchesWhatADeviceGetsWrong() throws Exception {
        byte[] model;
        try (InputStream in = OnnxRuntime.class.getResourceAsStream("/onnx/cuda-probe.onnx")) {
            model = in.readAllBytes();
        }
        float[] cpu;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession s = OrtEnvironment.getEnvironment().createSession(model, opts)) {
            cpu = OnnxRuntime.runProbe(s);
            assertArrayEquals(cpu, OnnxRuntime.runProbe(s));
        }
        assertEquals(8, cpu.length);
        for (float v : cpu) assertTrue(Float.isFinite(v) && v != 0, Arrays.toString(cpu));
        assertNull(OnnxRuntime.probeAgreement(cpu.clone(), cpu));
        float[] close = cpu.clone();
        close[3] += 1e-3f * Math.max(1, Math.abs(cpu[3]));
        assertNull(OnnxRuntime.probeAgreement(close, cpu), "TF32-sized differences pass");
        float[] nan = cpu.clone();
        nan[5] = Float.NaN;
        assertTrue(OnnxRuntime.probeAgreement(nan, cpu).contains("output 5"));
        float[] zeros = new float[8];
        assertTrue(OnnxRuntime.probeAgreement(zeros, cpu).startsWith("computed 0.0 where the CPU computed"));
        assertTrue(OnnxRuntime.probeAgreement(new float[7], cpu).contains("7 values"));
    }

    @Test
    void cpuIsCpu() {
        try (LoadedSession s = Fixtures.onnxCpu().open("vad", vadModel())) {
            assertEquals("cpu", s.provider());
        }
    }

    @Test
    void unknownOptimisationLevelIsRejected() {
        for (String level : new String[]{"turbo", "", "ALL ", "extended,all"}) {
            SettingOutOfRange e = assertThrows(SettingOutOfRange.class, () -> OnnxRuntime.optLevel(level), level);
            assertTrue(e.getMessage().startsWith("moodtag.onnx.optimization-level"), e.getMessage());
        }
        for (String level : new String[]{"none", "basic", "extended", "all", "ALL", "Extended"})
            assertDoesNotThrow(() -> OnnxRuntime.optLevel(level), level);
    }
}
