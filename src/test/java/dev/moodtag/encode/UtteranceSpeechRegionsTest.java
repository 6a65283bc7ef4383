package dev.moodtag.encode;

import dev.moodtag.encode.speech.SileroVad;
import dev.moodtag.encode.speech.SileroVadParams;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Voice-activity regions travel with the utterance: one detector pass per utterance, none shared between them. */
class UtteranceSpeechRegionsTest {

    /** The real Silero VAD, counting its passes per track (by identity). */
    static final class CountingVad implements SpeechActivityDetector {
        final SpeechActivityDetector real;
        final Map<AudioTrack, AtomicInteger> passes = Collections.synchronizedMap(new IdentityHashMap<>());

        CountingVad(SpeechActivityDetector real) {
            this.real = real;
        }

        @Override
        public List<Region> speechRegions(AudioTrack audio) {
            passes.computeIfAbsent(audio, a -> new AtomicInteger()).incrementAndGet();
            return real.speechRegions(audio);
        }

        /** Counted under the recorded track, whatever hearing (level) the encoders ask the detector to use. */
        @Override
        public List<Region> speechRegions(AudioTrack audio, UnaryOperator<AudioTrack> hearing) {
            passes.computeIfAbsent(audio, a -> new AtomicInteger()).incrementAndGet();
            return real.speechRegions(hearing.apply(audio));
        }

        @Override
        public AudioTrack keepSpeech(AudioTrack audio) {
            return real.keepSpeech(audio);
        }

        @Override
        public void close() {
            real.close();
        }

        int total() {
            synchronized (passes) {
                return passes.values().stream().mapToInt(AtomicInteger::get).sum();
            }
        }
    }

    @Test
    void concurrentUtterancesEachRunTheDetectorOnceAndGetTheirOwnEmbeddings() throws Exception {
        ModelPack pack = Fixtures.defaultPack();
        List<CountingVad> vads = new ArrayList<>();
        EncoderKinds kinds = new EncoderKinds(pack.encoders().stream().map(EncoderKinds.BUILT_IN::encoder).toList(),
                List.of(new EncoderKind<SpeechActivityDetector>(SileroVad.KIND, SileroVadParams.class, (s, c) -> {
                    CountingVad v = new CountingVad(new SileroVad(s, c.onnx()));
                    vads.add(v);
                    return v;
                })));
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (EmbeddingEngine engine = new EmbeddingEngine(pack, Fixtures.onnxCpu(), kinds, true)) {
            CountingVad vad = vads.get(0);
            List<String> names = List.of("03b01Wa.wav", "03a05Fc.wav");
            List<UtteranceEmbeddings> alone = new ArrayList<>();
            for (String name : names) {
                Utterance u = decoder.decode(Fixtures.sample(name));
                alone.add(engine.embed(u));
                assertEquals(1, vad.passes.get(u.audio()).get(), name + ": two speech encoders, one detector pass");
            }
            assertNotEquals(vectorsOf(alone.get(0), "speech-functionals"), vectorsOf(alone.get(1), "speech-functionals"));

            // Each caller embeds its own recording three times, both at once: every utterance is a track of its own.
            int rounds = 3;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Utterance>>> work = new ArrayList<>();
            List<List<UtteranceEmbeddings>> got = List.of(Collections.synchronizedList(new ArrayList<>()),
                    Collections.synchronizedList(new ArrayList<>()));
            for (int c = 0; c < names.size(); c++) {
                int caller = c;
                work.add(callers.submit(() -> {
                    List<Utterance> mine = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) mine.add(decoder.decode(Fixtures.sample(names.get(caller))));
                    start.await();
                    for (Utterance u : mine) got.get(caller).add(engine.embed(u));
                    return mine;
                }));
            }
            start.countDown();
            for (int c = 0; c < names.size(); c++) {
                for (Utterance u : work.get(c).get(5, TimeUnit.MINUTES))
                    assertEquals(1, vad.passes.get(u.audio()).get(), names.get(c) + ": one pass per utterance");
                for (UtteranceEmbeddings e : got.get(c)) {
                    for (EncoderResult expected : alone.get(c).results())
                        assertArrayEquals(expected.vector(), e.result(expected.encoder().id()).orElseThrow().vector(),
                                names.get(c) + " " + expected.encoder().id() + " differs from the recording embedded alone");
                }
            }
            assertEquals(names.size() * (1 + rounds), vad.total());
        } finally {
            callers.shutdownNow();
        }
    }

    private static List<Float> vectorsOf(UtteranceEmbeddings e, String id) {
        float[] v = e.result(id).orElseThrow().vector();
        List<Float> out = new ArrayList<>(v.length);
        for (float x : v) out.add(x);
        return out;
    }

    @Test
    void askersOfOneUtteranceShareOnePassAndAFailedPassIsNotKept() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        boolean[] fail = {false};
        SpeechActivityDetector slow = new SpeechActivityDetector() {
            @Override
            public List<Region> speechRegions(AudioTrack audio) {
                passes.incrementAndGet();
                entered.countDown();
                try {
                    assertTrue(release.await(2, TimeUnit.MINUTES));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                if (fail[0]) throw new IllegalStateException("detector failed");
                return List.of(new Region(0, audio.durationSeconds()));
            }

            @Override
            public AudioTrack keepSpeech(AudioTrack audio) {
                return audio;
            }
        };
        UtteranceScopedDetector scoped = new UtteranceScopedDetector(slow);
        UtteranceSpeechRegions one = new UtteranceSpeechRegions();
        AudioTrack track = new AudioTrack(new float[16000]);
        CompletableFuture<List<SpeechActivityDetector.Region>> a =
                CompletableFuture.supplyAsync(() -> scoped.within(one, () -> scoped.speechRegions(track)));
        assertTrue(entered.await(2, TimeUnit.MINUTES));
        // The second asker finds the first one's pass in progress and waits for it (it cannot finish before release).
        CompletableFuture<List<SpeechActivityDetector.Region>> b =
                CompletableFuture.supplyAsync(() -> scoped.within(one, () -> scoped.speechRegions(track)));
        release.countDown();
        assertEquals(a.get(2, TimeUnit.MINUTES), b.get(2, TimeUnit.MINUTES));
        assertEquals(1, passes.get());

        // Another utterance, or no utterance at all, is a pass of its own.
        scoped.within(new UtteranceSpeechRegions(), () -> scoped.speechRegions(track));
        scoped.speechRegions(track);
        assertEquals(3, passes.get());

        fail[0] = true;
        UtteranceSpeechRegions failing = new UtteranceSpeechRegions();
        assertThrows(IllegalStateException.class, () -> scoped.within(failing, () -> scoped.speechRegions(track)));
        fail[0] = false;
        assertEquals(1, scoped.within(failing, () -> scoped.speechRegions(track)).size());
        assertEquals(5, passes.get());
    }
}
