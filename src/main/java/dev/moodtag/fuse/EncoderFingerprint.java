package dev.moodtag.fuse;

import dev.moodtag.support.Sha256;
import dev.moodtag.media.Modality;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelFile;

import java.util.Map;
import java.util.TreeMap;

/**
 * A short hash of everything that decides what an encoder outputs: kind, modality, dimension, precision, the
 * sha256 of each model file and the preprocessing parameters, and for a speech encoder that hears the pack's
 * voice-activity detector (every speech kind does unless its params say {@code "vad": false}) the same of that
 * detector, whose regions are all the encoder sees. Cached features and trained classifiers are keyed by it, so
 * changing one encoder, or the detector its speech is cut by, invalidates only the blocks it feeds. (A code change
 * inside a Java-computed encoder with the same parameters is not seen; bump a {@code version} parameter in the
 * manifest when that happens.)
 */
public final class EncoderFingerprint {
    private EncoderFingerprint() {
    }

    /** The fingerprint of {@code spec} as an encoder of {@code pack}. */
    public static String of(ModelPack pack, EncoderSpec spec) {
        StringBuilder sb = describe(spec);
        if (hearsVad(spec) && pack.vad().isPresent()) sb.append("vad=").append(describe(pack.vad().get()));
        return Sha256.of(sb.toString()).substring(0, 16);
    }

    /** Speech encoders cut their audio to the pack's voice-activity regions unless told not to. */
    static boolean hearsVad(EncoderSpec spec) {
        return spec.modality() == Modality.SPEECH && !Boolean.FALSE.equals(spec.params().get("vad"));
    }

    private static StringBuilder describe(EncoderSpec spec) {
        StringBuilder sb = new StringBuilder();
        sb.append("kind=").append(spec.kind()).append('\n')
                .append("modality=").append(spec.modality()).append('\n')
                .append("dim=").append(spec.dim()).append('\n')
                .append("precision=").append(spec.precision()).append('\n');
        for (Map.Entry<String, ModelFile> f : new TreeMap<>(spec.files()).entrySet())
            sb.append("file.").append(f.getKey()).append('=').append(f.getValue().sha256()).append('\n');
        sb.append("params=").append(canonical(spec.params())).append('\n');
        sb.append("inputs=").append(canonical(spec.inputs())).append('\n');
        sb.append("outputs=").append(canonical(spec.outputs())).append('\n');
        return sb;
    }

    private static String canonical(Map<String, ?> m) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, ?> e : new TreeMap<>(m).entrySet()) {
            Object v = e.getValue();
            sb.append(e.getKey()).append(':').append(v instanceof Map<?, ?> mm ? canonical(castMap(mm)) : String.valueOf(v)).append(';');
        }
        return sb.append('}').toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castMap(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }

}
