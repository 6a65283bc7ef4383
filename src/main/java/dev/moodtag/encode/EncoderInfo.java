package dev.moodtag.encode;

import dev.moodtag.media.Modality;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelFile;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an encoder is, as results and reports record it.
 *
 * @param provider     the execution provider that really runs it ({@code cpu}, {@code cuda}; {@code java} for
 *                     encoders computed without ONNX Runtime)
 * @param providerNote why that provider (e.g. why CUDA was not used); empty when it is what was asked for
 * @param sha256       file role → sha256 of the model files it runs, as the pack verified them
 * @param loadedSha256 file role → sha256 of the bytes ONNX Runtime loaded from that file; differs from
 *                     {@code sha256} where moodtag rewrote the model before loading it (weights listed as inputs)
 */
public record EncoderInfo(String id, Modality modality, String kind, int dim, String precision, String provider,
                          String providerNote, Map<String, String> sha256, Map<String, String> loadedSha256) {
    public EncoderInfo {
        // In the order given ({@link #of} sorts by role): results write these maps as they iterate, and Map.copyOf
        // iterates in an order salted per process, so the same pack wrote its checksums in another order on every run.
        sha256 = ordered(sha256);
        loadedSha256 = ordered(loadedSha256);
    }

    private static Map<String, String> ordered(Map<String, String> m) {
        Map<String, String> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** Without sessions of its own: what runs is what the files hold. */
    public EncoderInfo(String id, Modality modality, String kind, int dim, String precision, String provider,
                       String providerNote, Map<String, String> sha256) {
        this(id, modality, kind, dim, precision, provider, providerNote, sha256, sha256);
    }

    /**
     * The info of an encoder built from {@code spec} that runs the given sessions. The provider is the one
     * of the first session (all sessions of one runtime share it); with no session it is {@code java}.
     */
    public static EncoderInfo of(EncoderSpec spec, LoadedSession... sessions) {
        Map<String, String> sums = new TreeMap<>(spec.files().values().stream()
                .collect(Collectors.toMap(ModelFile::role, ModelFile::sha256)));
        String provider = sessions.length == 0 ? "java" : sessions[0].provider();
        String note = Arrays.stream(sessions).map(LoadedSession::providerNote).filter(n -> !n.isEmpty())
                .findFirst().orElse("");
        Map<String, String> loaded = new java.util.TreeMap<>(sums);
        for (LoadedSession s : sessions) loaded.put(s.role(), s.loadedSha256());
        return new EncoderInfo(spec.id(), spec.modality(), spec.kind(), spec.dim(), spec.precision(), provider, note,
                sums, loaded);
    }
}
