package dev.moodtag.pack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Binds the {@code params} of one manifest entry to the record its kind declares, so that a misspelt or unknown key
 * fails the pack at load, naming the key and the encoder, instead of silently leaving a default in place.
 *
 * <p>Every kind also accepts {@code version}: it changes nothing at run time, only the encoder's fingerprint (bump it
 * when the code of a Java-computed encoder changes what it outputs, so cached features and classifiers are refused).
 */
public final class EncoderParameters {
    private EncoderParameters() {
    }

    /** The parameter every kind takes besides its own. */
    public static final String VERSION = "version";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * @throws ModelPackException naming the encoder, its kind and the offending key, with the keys it takes, or the key whose value has the wrong type
     */
    public static <P> P bind(EncoderSpec spec, Class<P> type) {
        Map<String, Object> params = new LinkedHashMap<>(spec.params());
        params.remove(VERSION);
        String where = "encoder " + spec.id() + " (" + spec.kind() + ")";
        try {
            return JSON.convertValue(params, type);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof JsonMappingException ? e.getCause() : e;
            if (cause instanceof UnrecognizedPropertyException u) {
                Collection<String> known = new TreeSet<>(u.getKnownPropertyIds().stream().map(Object::toString).toList());
                known.add(VERSION);
                String key = u.getPropertyName();
                throw new ModelPackException(where + ": unknown parameter '" + key + "'; " + spec.kind()
                        + " takes " + known, e);
            }
            if (cause instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                String key = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                        : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
                throw new ModelPackException(where + ": parameter '" + key + "' has the wrong type ("
                        + firstLine(m.getOriginalMessage()) + "); value " + params.get(m.getPath().get(0).getFieldName()), e);
            }
            // A record's own check (a value out of range) says what is wrong; name where.
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new ModelPackException(where + ": " + firstLine(root.getMessage()), e);
        }
    }

    /**
     * Binds the parameters of every entry of the pack, so that all its mistakes are reported at once and before any
     * model is loaded.
     *
     * @throws ModelPackException listing each unknown kind and each entry whose parameters do not bind
     */
    public static void check(ModelPack pack, EncoderKindCatalogue kinds) {
        List<String> problems = new ArrayList<>();
        for (EncoderSpec spec : pack.encoders())
            check(spec, kinds.encoderParameters(spec.kind()), kinds.encoderKinds(), problems);
        pack.vad().ifPresent(spec -> check(spec, kinds.detectorParameters(spec.kind()), kinds.detectorKinds(), problems));
        if (!problems.isEmpty())
            throw new ModelPackException("model pack " + pack.manifest() + ": " + String.join("; ", problems));
    }

    private static void check(EncoderSpec spec, Optional<Class<?>> type, List<String> known, List<String> problems) {
        if (type.isEmpty()) {
            problems.add(unknownKind(spec, known).getMessage());
            return;
        }
        try {
            bind(spec, type.get());
        } catch (ModelPackException e) {
            problems.add(e.getMessage());
        }
    }

    public static ModelPackException unknownKind(EncoderSpec spec, List<String> known) {
        return new ModelPackException("encoder " + spec.id() + " has kind '" + spec.kind()
                + "', which this moodtag does not implement; known kinds: " + known);
    }

    private static String firstLine(String s) {
        if (s == null) return "invalid value";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
