package dev.moodtag.encode;

import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.label.SvmLabeller;
import dev.moodtag.media.DecodeListener;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: decoding and embedding are a function of the file and the configuration, not of the load. The sample film
 * is decoded and embedded by the served path ({@link EmbeddingEngine#decodeAndEmbed}, encoders working during
 * decoding) alone, then while 1 and then 3 other films are held mid-decode by the same decoder (their listeners block
 * on their first frame until the film is done, so they really are in flight). Every encoder's vector must be
 * bit-identical, the sampled frames and the video's parts the same, and the label and its probabilities equal.
 * Before the fix, on a machine with fewer than 3 cores, one other film was enough for the decoder to stop splitting the
 * video: one frame fewer, no tracking restart, a different face vector.
 */
class DecodeDeterminismTest {

    static final Path COPIES = Path.of("target", "determinism-films");
    static EmbeddingEngine engine;
    static FfmpegMediaDecoder decoder;
    static Labeller labeller;
    static ExecutorService others;

    @BeforeAll
    static void build() {
        ModelPack pack = Fixtures.defaultPack();
        engine = new EmbeddingEngine(pack, Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, true);
        decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        ClassifierStore.Stored stored = ClassifierStore.loadFromPack(pack).orElseThrow(
                () -> new AssertionError("the default pack ships a classifier"));
        labeller = new SvmLabeller(stored.classifier(), "default pack classifier");
        others = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void close() {
        others.shutdownNow();
        engine.close();
    }

    /** What one run gave: the frames decoded, the parts, every vector's bits, and the label. */
    record Run(List<Double> frameTimes, List<Integer> partStarts, List<String> encoders, List<int[]> vectorBits,
               List<String> missing, Labelling labelling) {
    }

    @Test
    void theSameFilmGetsBitIdenticalVectorsAndTheSameLabelWhateverElseIsBeingDecoded() throws Exception {
        Path film = Fixtures.sample("01-01-01-01-01-01-01.mp4");
        Run alone = run(film, 0);
        assertEquals(2, alone.partStarts().size(), "the sample film is split in two parts, as it was alone before");
        for (int busy : new int[]{1, 3, 0}) {
            Run loaded = run(film, busy);
            String when = "while " + busy + " other films are being decoded";
            assertEquals(alone.frameTimes(), loaded.frameTimes(), "sampled frames " + when);
            assertEquals(alone.partStarts(), loaded.partStarts(), "video parts " + when);
            assertEquals(alone.encoders(), loaded.encoders());
            assertEquals(alone.missing(), loaded.missing(), "missing modalities " + when);
            for (int i = 0; i < alone.encoders().size(); i++) {
                int[] a = alone.vectorBits().get(i), b = loaded.vectorBits().get(i);
                assertEquals(a == null, b == null, alone.encoders().get(i) + " present " + when);
                if (a == null) continue;
                assertEquals(a.length, b.length);
                for (int k = 0; k < a.length; k++)
                    assertEquals(a[k], b[k], alone.encoders().get(i) + " value " + k + " bits " + when);
            }
            assertEquals(alone.labelling().label(), loaded.labelling().label(), "label " + when);
            assertEquals(alone.labelling().probabilities(), loaded.labelling().probabilities(), "probabilities " + when);
        }
        assertTrue(alone.labelling().label() != null, "the default pack labels the film: " + alone.labelling().reason());
    }

    /** Decodes and embeds {@code film} while {@code busy} other films are held mid-decode by the same decoder. */
    private Run run(Path film, int busy) throws Exception {
        CountDownLatch inFlight = new CountDownLatch(busy);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> held = new ArrayList<>();
        for (int i = 0; i < busy; i++) {
            Path other = copy(film, "other-" + i + ".mp4");
            held.add(others.submit(() -> decoder.decode(other, null, new HeldAtFirstFrame(inFlight, release))));
        }
        try {
            assertTrue(inFlight.await(2, TimeUnit.MINUTES), "the other films started decoding");
            EmbeddingEngine.Decoded d = engine.decodeAndEmbed(decoder, film, null);
            List<Double> times = d.utterance().video().frames().stream().map(VideoFrame::timestampSeconds).toList();
            List<String> ids = new ArrayList<>();
            List<int[]> bits = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (EncoderResult r : d.embeddings().results()) {
                ids.add(r.encoder().id());
                missing.add(r.missingReason());
                if (r.vector() == null) {
                    bits.add(null);
                    continue;
                }
                int[] b = new int[r.vector().length];
                for (int k = 0; k < b.length; k++) b[k] = Float.floatToIntBits(r.vector()[k]);
                bits.add(b);
            }
            return new Run(times, d.utterance().video().partStarts(), ids, bits, missing, labeller.label(d.embeddings()));
        } finally {
            release.countDown();
            for (Future<?> f : held) f.get(2, TimeUnit.MINUTES);
        }
    }

    /** Counts the film as in flight at its first frame, then holds its decoding there until released. */
    private static final class HeldAtFirstFrame implements DecodeListener {
        private final CountDownLatch inFlight, release;
        private boolean counted;

        HeldAtFirstFrame(CountDownLatch inFlight, CountDownLatch release) {
            this.inFlight = inFlight;
            this.release = release;
        }

        @Override
        public void frame(int part, VideoFrame frame) {
            synchronized (this) {
                if (!counted) {
                    counted = true;
                    inFlight.countDown();
                }
            }
            try {
                if (!release.await(2, TimeUnit.MINUTES)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Path copy(Path film, String name) throws IOException {
        Files.createDirectories(COPIES);
        return Files.copy(film, COPIES.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
