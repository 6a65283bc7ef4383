package dev.moodtag.encode;

import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.DecodeListener;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole encode stage on the real default pack and real media, decoded by the real FFmpeg decoder. */
class EmbeddingEngineTest {

    static final EncoderKinds KINDS = EncoderKinds.BUILT_IN;

    static EmbeddingEngine sequential, concurrent;
    static FfmpegMediaDecoder decoder;

    @BeforeAll
    static void build() {
        ModelPack pack = Fixtures.defaultPack();
        sequential = new EmbeddingEngine(pack, Fixtures.onnxCpu(), KINDS, false);
        concurrent = new EmbeddingEngine(pack, Fixtures.onnxCpu(), KINDS, true);
        decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
    }

    @AfterAll
    static void close() {
        sequential.close();
        concurrent.close();
    }

    @Test
    void videoWithAudioAndTranscriptEmbedsEveryModalityIdenticallyTwice() {
        Utterance u = decoder.decode(Fixtures.sample("01-01-01-01-01-01-01.mp4"));
        UtteranceEmbeddings a = sequential.embed(u);
        UtteranceEmbeddings b = concurrent.embed(decoder.decode(Fixtures.sample("01-01-01-01-01-01-01.mp4")));
        for (Modality m : Modality.values()) assertTrue(a.hasModality(m), m + " missing: " + a);
        assertEquals(a.results().size(), b.results().size());
        for (int i = 0; i < a.results().size(); i++) {
            EncoderResult ra = a.results().get(i), rb = b.results().get(i);
            assertEquals(ra.encoder().id(), rb.encoder().id());
            assertEquals(ra.encoder().dim(), ra.vector().length);
            assertArrayEquals(ra.vector(), rb.vector(), ra.encoder().id() + " differs between runs");
        }
    }

    /**
     * As served: the speech and text encoders start once the audio is decoded and the face encoder works on each frame
     * while the rest is decoded. Same vectors as decoding first and embedding after, for a film, a recording and a
     * still picture.
     */
    @Test
    void encodingWhileDecodingGivesTheSameEmbeddingsAsEncodingAfter() {
        for (String name : List.of("01-01-01-01-01-01-01.mp4", "03b01Wa.wav", "Cole_Chapman_0001.jpg")) {
            UtteranceEmbeddings after = sequential.embed(decoder.decode(Fixtures.sample(name)));
            UtteranceEmbeddings during = concurrent.decodeAndEmbed(decoder, Fixtures.sample(name), null).embeddings();
            assertEquals(after.results().size(), during.results().size());
            for (int i = 0; i < after.results().size(); i++) {
                EncoderResult a = after.results().get(i), d = during.results().get(i);
                assertEquals(a.encoder().id(), d.encoder().id());
                assertEquals(a.missingReason(), d.missingReason(), name + " " + a.encoder().id());
                assertArrayEquals(a.vector(), d.vector(), name + " " + a.encoder().id() + " differs");
            }
        }
    }

    /**
     * Decoding that fails after the speech encoders and the face encoder have started (a file going bad at its
     * fifth sampled frame): the error is the decoder's, the started work is waited for, and the next utterance
     * embeds as before.
     */
    @Test
    void anUtteranceThatFailsToDecodeMidwayIsAbandonedAndTheEngineKeepsServing() {
        Path mp4 = Fixtures.sample("01-01-01-01-01-01-01.mp4");
        for (int i = 0; i < 3; i++) {
            IllegalStateException midway = new IllegalStateException("the file went bad at frame 5");
            try (EmbeddingEngine.DecodingUtterance decoding = concurrent.begin()) {
                DecodeListener goingBad = new DecodeListener() {
                    private final java.util.concurrent.atomic.AtomicInteger frames = new java.util.concurrent.atomic.AtomicInteger();

                    @Override
                    public void audioAndText(Utterance withoutVideo) {
                        decoding.audioAndText(withoutVideo);
                    }

                    @Override
                    public void frame(int part, VideoFrame frame) {
                        decoding.frame(part, frame);
                        if (frames.incrementAndGet() == 5) throw midway;
                    }
                };
                assertSame(midway, assertThrows(IllegalStateException.class, () -> decoder.decode(mp4, null, goingBad)));
            }
        }
        UtteranceEmbeddings whole;
        try (EmbeddingEngine.DecodingUtterance decoding = concurrent.begin()) {
            whole = decoding.finish(decoder.decode(mp4, null, decoding));
        }
        UtteranceEmbeddings reference = sequential.embed(decoder.decode(mp4));
        for (int i = 0; i < reference.results().size(); i++)
            assertArrayEquals(reference.results().get(i).vector(), whole.results().get(i).vector());
    }

    @Test
    void audioOnlyWavHasSpeechAndSaysWhyTheOthersAreMissing() {
        UtteranceEmbeddings e = sequential.embed(decoder.decode(Fixtures.sample("03b01Wa.wav")));
        assertTrue(e.hasModality(Modality.SPEECH));
        assertFalse(e.hasModality(Modality.VIDEO));
        assertFalse(e.hasModality(Modality.TEXT));
        EncoderResult video = e.results().stream().filter(r -> r.modality() == Modality.VIDEO).findFirst().orElseThrow();
        assertTrue(video.missingReason().contains("no video"), video.missingReason());
    }

    @Test
    void aPackNamingAnUnknownKindRefusesToBuildAndListsTheKnownKinds() {
        ModelPack pack = Fixtures.defaultPack();
        ModelPackException e = assertThrows(ModelPackException.class,
                () -> new EmbeddingEngine(pack, Fixtures.onnxCpu(), new EncoderKinds(List.of(EncoderKinds.BUILT_IN.encoder(pack.encoders().get(0))), List.of()), false));
        assertTrue(e.getMessage().contains("which this moodtag does not implement"), e.getMessage());
        assertTrue(e.getMessage().contains("bert-text"), e.getMessage());
    }
    /**
     * A vector with a NaN or an infinity is a missing modality with its reason: a NaN made every probability of a part
     * NaN and the label "neutral" with all probabilities 0, without an error (found by a review).
     */
    @Test
    void aNonFiniteVectorIsAMissingModality() {
        EncoderInfo info = new EncoderInfo("probe", Modality.SPEECH, "probe", 3, "fp32", "cpu", null, java.util.Map.of(),
                java.util.Map.of());
        Encoder probe = new Encoder() {
            public EncoderInfo info() {
                return info;
            }

            public EncoderOutput encode(Utterance u) {
                return EncoderOutput.of(new float[]{0.5f, Float.NaN, 1f});
            }
        };
        for (float[] v : new float[][]{{0.5f, Float.NaN, 1f}, {Float.POSITIVE_INFINITY, 0, 0}}) {
            EncoderResult r = EmbeddingEngine.result(probe, EncoderOutput.of(v), 1);
            assertFalse(r.present());
            assertTrue(r.missingReason().contains("non-finite"), r.missingReason());
        }
        assertTrue(EmbeddingEngine.result(probe, EncoderOutput.of(new float[]{0, 1, 2}), 1).present());
    }
}
