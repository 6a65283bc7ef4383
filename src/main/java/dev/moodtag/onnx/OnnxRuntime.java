package dev.moodtag.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.moodtag.pack.ModelFile;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Creates ONNX Runtime sessions with the configured execution provider. Sessions are meant to be created
 * once per model and reused: creation costs milliseconds to seconds, a run costs microseconds of overhead.
 */
@ApplicationScoped
public class OnnxRuntime {

    private static final Logger LOG = Logger.getLogger(OnnxRuntime.class);

    private final OnnxConfig config;
    private final OrtEnvironment env;
    /** Set once CUDA has failed, so the next session does not pay the failed attempt again. */
    private volatile String cudaFailure;
    /** Why CUDA cannot compute, or "" once the probe passed; null until the first CUDA session is asked for. */
    private String probeFailure;
    private final Supplier<String> cudaProbe;

    @Inject
    public OnnxRuntime(OnnxConfig config) {
        this(config, null);
    }

    /** @param cudaProbe what {@link #probeCuda()} does, for tests; null for the real probe */
    OnnxRuntime(OnnxConfig config, Supplier<String> cudaProbe) {
        this.config = config;
        this.cudaProbe = cudaProbe != null ? cudaProbe : this::probeCuda;
        checkSettings(config); // refused here, at start, rather than when the first session is made
        OrtTelemetryOptOut.apply();
        // WARNING level: some shipped models (UltraFace) list initializers as inputs, which ORT reports
        // once per initializer at INFO.
        this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "moodtag");
    }

    public OrtEnvironment environment() {
        return env;
    }

    /**
     * Opens a session on a verified file of the pack. The session records the sha256 of the bytes ONNX Runtime really
     * loads: the file's own when nothing was rewritten, else that of the rewritten model ({@link OnnxModels}).
     */
    public LoadedSession open(String name, ModelFile file) {
        return open(name, file.role(), file.readAllBytes(), file.sha256());
    }

    /**
     * Opens a session on the model bytes. {@code name} is used in logs and errors. Weights the model also lists as
     * inputs are made constants first ({@link OnnxModels}), so that ONNX Runtime can fold them.
     */
    public LoadedSession open(String name, byte[] bytes) {
        return open(name, name, bytes, null);
    }

    /** @param fileSha256 the verified hash of {@code bytes}, or null to compute it */
    private LoadedSession open(String name, String role, byte[] bytes, String fileSha256) {
        OnnxModels.Rewritten rewritten = OnnxModels.withWeightsNotInputs(bytes);
        byte[] model = rewritten.model();
        String loadedSha256 = rewritten.droppedInputs() == 0 && fileSha256 != null ? fileSha256 : Sha256.of(model);
        if (rewritten.droppedInputs() > 0)
            LOG.infof("%s: %d weights listed as graph inputs were made constants; ONNX Runtime runs sha256 %s (file %s)",
                    name, rewritten.droppedInputs(), loadedSha256, fileSha256 != null ? fileSha256 : Sha256.of(bytes));
        return session(name, role, model, loadedSha256);
    }

    private LoadedSession session(String name, String role, byte[] model, String loadedSha256) {
        OnnxConfig.Device device = config.device();
        if (device != OnnxConfig.Device.CPU) {
            String failure = cudaFailure;
            if (failure == null) {
                Throwable cause = null;
                try {
                    String probe = cudaComputes();
                    if (probe.isEmpty()) {
                        OrtSession s = create(model, true);
                        return new LoadedSession(name, s, "cuda", "", role, loadedSha256);
                    }
                    failure = "CUDA unavailable: " + probe;
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    failure = "CUDA unavailable: " + firstLine(e);
                    cause = e;
                }
                boolean first = recordCudaFailure(failure);
                if (device == OnnxConfig.Device.CUDA) {
                    throw new IllegalStateException("moodtag.onnx.device=cuda but the CUDA execution provider "
                            + "could not start for " + name + " (" + failure + "). Use the -Pgpu build on a host "
                            + "with a CUDA 12.8+ runtime and the whole of cuDNN 9, or set moodtag.onnx.device=auto "
                            + "or cpu.", cause);
                }
                if (first) LOG.infof("%s; falling back to CPU for all sessions", failure);
            }
            return new LoadedSession(name, createCpu(name, model), "cpu", failure, role, loadedSha256);
        }
        return new LoadedSession(name, createCpu(name, model), "cpu", "cpu requested", role, loadedSha256);
    }

    /** The probe's verdict, run once however many sessions ask at once: "" when CUDA computes. */
    private synchronized String cudaComputes() {
        if (probeFailure == null) {
            probeFailure = cudaProbe.get();
            // Said once, so that a node's log shows CUDA was checked by computing, not only by loading the provider.
            if (probeFailure.isEmpty()) LOG.info("CUDA probe: a convolution and a matrix product on CUDA agree with the CPU");
        }
        return probeFailure;
    }

    /**
     * Runs a convolution (cuDNN) and a matrix product (cuBLAS) on CUDA and on the CPU and compares them. The CUDA
     * provider can load, and sessions can be created, on a node where a cuDNN or cuBLAS part is missing: ONNX
     * Runtime then fails at the first run of such an operator, which would fail every object instead of falling
     * back at start (seen on an H200: CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED at the first Conv).
     *
     * @return "" when CUDA computed what the CPU did, else why not
     */
    String probeCuda() {
        byte[] model;
        try (InputStream in = OnnxRuntime.class.getResourceAsStream("/onnx/cuda-probe.onnx")) {
            model = Objects.requireNonNull(in, "onnx/cuda-probe.onnx is missing from the build").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (OrtSession onCuda = create(model, true); OrtSession onCpu = create(model, false)) {
            String differs = probeAgreement(runProbe(onCuda), runProbe(onCpu));
            return differs == null ? "" : "the device probe (convolution + matrix product) " + differs;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            return firstLine(e);
        }
    }

    /** The probe's output for its fixed input. */
    static float[] runProbe(OrtSession session) throws OrtException {
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) x[i] = (i % 9) * 0.25f - 1f;
        try (OnnxTensor in = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(x),
                new long[]{1, 1, 8, 8});
             OrtSession.Result out = session.run(Map.of("x", in))) {
            return ((float[][]) out.get(0).getValue())[0];
        }
    }

    /**
     * Null when the CUDA output matches the CPU's. The tolerance is loose on purpose (TF32 convolutions and
     * reordered sums move the last bits): the probe is there to catch a device that cannot compute, not to grade it.
     */
    static String probeAgreement(float[] cuda, float[] cpu) {
        if (cuda.length != cpu.length) return "gave " + cuda.length + " values where the CPU gave " + cpu.length;
        for (int i = 0; i < cpu.length; i++) {
            if (!Float.isFinite(cuda[i]) || Math.abs(cuda[i] - cpu[i]) > 1e-2 * Math.max(1, Math.abs(cpu[i])))
                return "computed " + cuda[i] + " where the CPU computed " + cpu[i] + " (output " + i + ")";
        }
        return null;
    }

    /** Sessions are created side by side at start-up: the first to find CUDA missing says so, once. */
    private synchronized boolean recordCudaFailure(String failure) {
        if (cudaFailure != null) return false;
        cudaFailure = failure;
        return true;
    }

    private OrtSession createCpu(String name, byte[] model) {
        try {
            return create(model, false);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load model " + name + ": " + firstLine(e)
                    + ". Check that the file is a valid ONNX model for opset <= 21 and that INT8 convolutions use"
                    + " uint8 weights.", e);
        }
    }

    private OrtSession create(byte[] model, boolean cuda) throws OrtException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(optLevel(config.optimizationLevel()));
            if (config.intraOpThreads() > 0) opts.setIntraOpNumThreads(config.intraOpThreads());
            opts.setCPUArenaAllocator(config.cpuArena());
            opts.addConfigEntry("session.intra_op.allow_spinning", config.spinWait() ? "1" : "0");
            opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            opts.setDeterministicCompute(config.deterministicCompute());
            if (!cuda) return env.createSession(model, opts);
            try (OrtCUDAProviderOptions cudaOpts = new OrtCUDAProviderOptions(config.cudaDeviceId())) {
                cudaOpts.add("cudnn_conv_algo_search", config.cudaConvAlgoSearch().name());
                opts.addCUDA(cudaOpts);
                return env.createSession(model, opts);
            }
        }
    }

    /** Past this many threads per operator a value is a typo, not a machine: each session would ask ORT for them all. */
    static final int MAX_INTRA_OP_THREADS = 1024;

    /**
     * @throws SettingOutOfRange naming each setting out of its range: a negative thread count was read as 0 (ORT's
     *                           choice), and a negative CUDA ordinal reached the provider only with the first session
     */
    static void checkSettings(OnnxConfig config) {
        optLevel(config.optimizationLevel());
        List<String> wrong = new ArrayList<>();
        if (config.intraOpThreads() < 0 || config.intraOpThreads() > MAX_INTRA_OP_THREADS)
            wrong.add("intra-op-threads must be within 0.." + MAX_INTRA_OP_THREADS + " (0: ORT's choice), not "
                    + config.intraOpThreads());
        if (config.cudaDeviceId() < 0) wrong.add("cuda-device-id must be at least 0, not " + config.cudaDeviceId());
        if (!wrong.isEmpty())
            throw new SettingOutOfRange(String.join("; ", wrong.stream().map(w -> "moodtag.onnx." + w).toList()));
    }

    static OptLevel optLevel(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "none" -> OptLevel.NO_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "all" -> OptLevel.ALL_OPT;
            // a setting, so exit code 1 like every other one out of range, where as an IllegalArgumentException it was
            // answered as a refused input (exit code 2)
            default -> throw new SettingOutOfRange("moodtag.onnx.optimization-level must be none, basic, "
                    + "extended or all, not '" + level + "'");
        };
    }

    /** ORT's messages look like "Error code - ORT_EP_FAIL - message: Failed to ...\n..."; keep what a user reads. */
    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        int msg = m.indexOf("message: ");
        return msg >= 0 ? m.substring(msg + "message: ".length()) : m;
    }
}
