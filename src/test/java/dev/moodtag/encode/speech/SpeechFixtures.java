package dev.moodtag.encode.speech;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.testing.Fixtures;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** Shared inputs of the speech encoder tests: the speech test pack, the VAD, utterances built from real wavs. */
final class SpeechFixtures {
    private SpeechFixtures() {
    }

    static final Path SPEECH_PACK = Path.of("src/test/resources/packs/speech.json");
    static final Path WAV2VEC2_PACK = Path.of("src/test/resources/packs/wav2vec2-placeholder.json");
    static final List<String> SAMPLES = List.of("03b01Wa.wav", "03a05Fc.wav", "03b09Tc.wav");

    private static SileroVad vad;

    static ModelPack speechPack() {
        return Fixtures.pack(SPEECH_PACK);
    }

    /** The speech pack with one encoder's precision overridden (how an operator picks int8 or fp32). */
    static ModelPack speechPack(String encoderId, String precision) {
        Fixtures.shared("models");
        return new ModelPackLoader(Fixtures.SEARCH_PATH, true, Map.of(encoderId, precision), Set.of())
                .load(SPEECH_PACK);
    }

    static EncoderSpec spec(ModelPack pack, String kind) {
        return pack.encoders().stream().filter(e -> e.kind().equals(kind)).findFirst().orElseThrow();
    }

    /** One VAD for all tests (sessions are meant to be shared). */
    static synchronized SileroVad vad() {
        if (vad == null) vad = new SileroVad(speechPack().vad().orElseThrow(), Fixtures.onnxCpu());
        return vad;
    }

    static EncoderContext context() {
        return new EncoderContext(Fixtures.onnxCpu(), Optional.of(vad()));
    }

    /** The spec with some params replaced. */
    static EncoderSpec withParams(EncoderSpec s, Map<String, Object> params) {
        Map<String, Object> p = new HashMap<>(s.params());
        p.putAll(params);
        return new EncoderSpec(s.id(), s.modality(), s.kind(), s.files(), s.inputs(), s.outputs(), p, s.dim(),
                s.precision(), s.licence(), s.source());
    }

    static AudioTrack sample(String name) {
        return Fixtures.readWav16k(Fixtures.sample(name));
    }

    static AudioTrack emodb(String name) {
        return Fixtures.readWav16k(Fixtures.shared("data/emodb/wav/" + name));
    }

    static Utterance utterance(AudioTrack audio) {
        return new Utterance("test", audio, null, null, Map.of());
    }

    static Utterance withoutAudio(String reason) {
        return new Utterance("test", null, null, null, Map.of(Modality.SPEECH, reason));
    }

    /** {@code seconds} of the track from its start. */
    static AudioTrack head(AudioTrack a, double seconds) {
        float[] s = new float[(int) Math.round(seconds * a.sampleRate())];
        System.arraycopy(a.samples(), 0, s, 0, Math.min(s.length, a.samples().length));
        return new AudioTrack(s);
    }

    /** {@code seconds} cut from the middle of the track (where the speech is in an EmoDB clip). */
    static AudioTrack middle(AudioTrack a, double seconds) {
        int n = (int) Math.round(seconds * a.sampleRate());
        int from = Math.max(0, (a.samples().length - n) / 2);
        float[] s = new float[n];
        System.arraycopy(a.samples(), from, s, 0, Math.min(n, a.samples().length - from));
        return new AudioTrack(s);
    }

    /** The track with {@code seconds} of low Gaussian noise (rms {@code noiseRms}) before and after it. */
    static AudioTrack padded(AudioTrack a, double seconds, double noiseRms, long seed) {
        int pad = (int) Math.round(seconds * a.sampleRate());
        float[] s = new float[a.samples().length + 2 * pad];
        Random r = new Random(seed);
        for (int i = 0; i < s.length; i++) s[i] = (float) (r.nextGaussian() * noiseRms);
        for (int i = 0; i < a.samples().length; i++) s[pad + i] += a.samples()[i];
        return new AudioTrack(s);
    }

    static AudioTrack silence(double seconds) {
        return new AudioTrack(new float[(int) Math.round(seconds * AudioTrack.RATE)]);
    }

    static void assertFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) throw new AssertionError("value " + i + " is " + v[i]);
        }
    }
}
