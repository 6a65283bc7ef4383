package dev.moodtag.encode;

import dev.moodtag.media.Utterance;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.moodtag.onnx.OnnxRuntime;

/**
 * The encode stage: builds every encoder of the model pack once, then turns utterances into
 * {@link UtteranceEmbeddings}. An encoder that throws on one utterance fails that utterance, never the engine.
 */
@ApplicationScoped
public class EmbeddingEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddingEngine.class);

    private final ModelPack pack;
    private final List<Encoder> encoders;
    private final Optional<SpeechActivityDetector> vad;
    private final ExecutorService pool;

    @Inject
    public EmbeddingEngine(ModelPack pack, OnnxRuntime onnx, Instance<EncoderFactory> encoderFactories,
                           Instance<SpeechActivityDetectorFactory> vadFactories, EngineConfig config) {
        this(pack, onnx, encoderFactories.stream().toList(), vadFactories.stream().toList(), config.parallelEncoders());
    }

    /** For tools and tests that build the stage without CDI. */
    public EmbeddingEngine(ModelPack pack, OnnxRuntime onnx, List<EncoderFactory> encoderFactories,
                           List<SpeechActivityDetectorFactory> vadFactories, boolean parallel) {
        this.pack = pack;
        Map<String, EncoderFactory> byKind = index(encoderFactories, EncoderFactory::kind);
        Optional<SpeechActivityDetector> vad = pack.vad().map(spec -> {
            SpeechActivityDetectorFactory f = index(vadFactories, SpeechActivityDetectorFactory::kind).get(spec.kind());
            if (f == null) throw unknownKind(spec, vadFactories.stream().map(SpeechActivityDetectorFactory::kind).toList());
            return (SpeechActivityDetector) new SharedSpeechRegions(f.create(spec, onnx));
        });
        this.vad = vad;
        EncoderContext context = new EncoderContext(onnx, vad);
        List<Encoder> built = new ArrayList<>();
        for (EncoderSpec spec : pack.encoders()) {
            EncoderFactory f = byKind.get(spec.kind());
            if (f == null) throw unknownKind(spec, List.copyOf(byKind.keySet()));
            long t0 = System.nanoTime();
            Encoder e = f.create(spec, context);
            EncoderInfo i = e.info();
            LOG.infof("encoder %s (%s, %s, %d-d, %s) ready in %.0f ms on %s%s", i.id(), i.kind(), i.modality(),
                    i.dim(), i.precision(), (System.nanoTime() - t0) / 1e6, i.provider(),
                    i.providerNote().isEmpty() ? "" : " (" + i.providerNote() + ")");
            built.add(e);
        }
        this.encoders = List.copyOf(built);
        this.pool = parallel && encoders.size() > 1 ? Executors.newFixedThreadPool(encoders.size(), r -> {
            Thread t = new Thread(r, "moodtag-encoder");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public ModelPack pack() {
        return pack;
    }

    /** The pack's voice-activity detector, shared with the speech encoders (one pass per audio track). */
    public Optional<SpeechActivityDetector> vad() {
        return vad;
    }

    public List<EncoderInfo> encoders() {
        return encoders.stream().map(Encoder::info).toList();
    }

    public UtteranceEmbeddings embed(Utterance utterance) {
        if (pool == null) return embedSequentially(utterance);
        long t0 = System.nanoTime();
        List<CompletableFuture<EncoderResult>> futures = encoders.stream()
                .map(e -> CompletableFuture.supplyAsync(() -> run(e, utterance), pool)).toList();
        List<EncoderResult> results = futures.stream().map(CompletableFuture::join).toList();
        return new UtteranceEmbeddings(utterance.source(), results, (System.nanoTime() - t0) / 1e6);
    }

    /**
     * Runs the encoders one after another on the calling thread, whatever the engine's setting: per-encoder times
     * then measure each encoder alone rather than contending for the same cores (benchmarks).
     */
    public UtteranceEmbeddings embedSequentially(Utterance utterance) {
        long t0 = System.nanoTime();
        List<EncoderResult> results = encoders.stream().map(e -> run(e, utterance)).toList();
        return new UtteranceEmbeddings(utterance.source(), results, (System.nanoTime() - t0) / 1e6);
    }

    private static EncoderResult run(Encoder encoder, Utterance utterance) {
        long t0 = System.nanoTime();
        EncoderOutput out = encoder.encode(utterance);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (out instanceof EncoderOutput.Missing m) return new EncoderResult(encoder.info(), null, m.reason(), ms);
        float[] v = ((EncoderOutput.Vector) out).values();
        if (v.length != encoder.info().dim()) {
            throw new IllegalStateException("encoder " + encoder.info().id() + " produced " + v.length
                    + " values, the pack says " + encoder.info().dim());
        }
        return new EncoderResult(encoder.info(), v, null, ms);
    }

    @PreDestroy
    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
        encoders.forEach(Encoder::close);
        vad.ifPresent(SpeechActivityDetector::close);
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> kind) {
        return items.stream().collect(Collectors.toMap(kind, Function.identity(), (a, b) -> {
            throw new IllegalStateException("two implementations for kind " + kind.apply(a));
        }));
    }

    private static ModelPackException unknownKind(EncoderSpec spec, List<String> known) {
        return new ModelPackException("encoder " + spec.id() + " has kind '" + spec.kind()
                + "', which this moodtag does not implement; known kinds: " + known);
    }
}
