package dev.moodtag.testing;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.onnx.OnnxConfig;
import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackLoader;
import org.junit.jupiter.api.Assumptions;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Shared test inputs: the real models and media in {@code ../shared}, the default pack, a CPU ONNX Runtime.
 * Tests that need {@code ../shared} are skipped with a message when it is absent, as its README asks.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static final Path SHARED = Path.of("..", "shared");
    public static final Path MODELS = SHARED.resolve("models");
    public static final Path SAMPLES = SHARED.resolve("samples");
    public static final Path DATA = SHARED.resolve("data");
    public static final Path DEFAULT_MANIFEST = Path.of("models", "pack.json");
    /** Where the build unpacks models that come as Maven artifacts (the Vosk speech-to-text model). */
    public static final Path BUILT_MODELS = Path.of("target", "models");
    /** The pack search path of the tests: the shared models, then the build's. */
    public static final List<Path> SEARCH_PATH = List.of(MODELS, BUILT_MODELS);

    public static Path shared(String relative) {
        Path p = SHARED.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), () -> "skipped: " + p.toAbsolutePath().normalize()
                + " is missing (tests use the shared models and data beside the checkout)");
        return p;
    }

    public static Path sample(String name) {
        return shared("samples/" + name);
    }

    /**
     * Copies {@code from} (a file or a folder with everything in it) to {@code to} as a backup restore or {@code rsync
     * -a} leaves it: same bytes, permissions and times to the nanosecond, every file a new inode. {@code cp -a}, since
     * {@code Files.copy} with {@code COPY_ATTRIBUTES} may keep the time in microseconds only, and a folder not at all.
     */
    public static void copyPreserving(Path from, Path to) throws IOException, InterruptedException {
        Process cp = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).redirectErrorStream(true).start();
        String said = new String(cp.getInputStream().readAllBytes());
        if (cp.waitFor() != 0) throw new IOException("cp -a " + from + " " + to + ": " + said);
    }

    /**
     * The bytes of {@code wav} with one byte in the middle of its audio changed: a WAV of the same size, other content
     * (a re-recording of the same length, as far as any stat can tell).
     */
    public static byte[] withOneSampleChanged(Path wav) throws IOException {
        byte[] b = Files.readAllBytes(wav);
        b[b.length / 2] ^= 0x10;
        return b;
    }

    public static ModelPack defaultPack() {
        shared("models");
        return new ModelPackLoader(SEARCH_PATH, true, Map.of(), Set.of()).load(DEFAULT_MANIFEST);
    }

    /**
     * The default pack with one of its encoders alone and no speech detector: for tests that need one real encoder,
     * not the time and memory of every encoder the pack has.
     */
    public static ModelPack defaultPackWithOnly(String encoderId) {
        ModelPack full = defaultPack();
        return new ModelPack(full.id(), full.version(), full.description(), full.manifest(), full.dir(),
                List.of(full.encoder(encoderId).orElseThrow()), Optional.empty());
    }

    public static ModelPack textOnlyPack() {
        return defaultPackWithOnly("text-bge-small");
    }

    public static ModelPack pack(Path manifest) {
        shared("models");
        return new ModelPackLoader(SEARCH_PATH, true, Map.of(), Set.of()).load(manifest);
    }

    private static OnnxRuntime cpu;

    public static synchronized OnnxRuntime onnxCpu() {
        if (cpu == null) cpu = new OnnxRuntime(new TestOnnxConfig(OnnxConfig.Device.CPU));
        return cpu;
    }

    public record TestOnnxConfig(OnnxConfig.Device device) implements OnnxConfig {
        @Override
        public int cudaDeviceId() {
            return 0;
        }

        @Override
        public ConvAlgoSearch cudaConvAlgoSearch() {
            return ConvAlgoSearch.HEURISTIC;
        }

        @Override
        public boolean deterministicCompute() {
            return true;
        }

        @Override
        public int intraOpThreads() {
            return 1;
        }

        @Override
        public String optimizationLevel() {
            return "all";
        }

        @Override
        public boolean spinWait() {
            return false;
        }

        @Override
        public boolean cpuArena() {
            return true;
        }
    }

    /**
     * Reads a 16 kHz mono 16-bit wav with javax.sound (test-only: the product decodes with FFmpeg). Used by the
     * encoder tests so they do not depend on the decoder.
     */
    public static AudioTrack readWav16k(Path wav) {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleRate() != 16000 || f.getChannels() != 1 || f.getSampleSizeInBits() != 16)
                throw new IllegalArgumentException(wav + " is not 16 kHz mono 16-bit: " + f);
            byte[] bytes = in.readAllBytes();
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] s = new float[bytes.length / 2];
            for (int i = 0; i < s.length; i++) s[i] = bb.getShort() / 32768f;
            return new AudioTrack(s);
        } catch (Exception e) {
            throw new IllegalStateException("reading " + wav, e);
        }
    }
}
