package dev.moodtag.pack;

import dev.moodtag.media.Modality;

import java.util.Map;
import java.util.Optional;

/**
 * One encoder of the pack, as the manifest describes it, with its files resolved and verified.
 *
 * @param kind      which implementation serves it (e.g. {@code bert-text}, {@code face-expression})
 * @param files     role → file, the variant for {@link #precision()} already chosen
 * @param inputs    logical name → ONNX input name
 * @param outputs   logical name → ONNX output name
 * @param params    preprocessing and pooling parameters, kind-specific
 * @param dim       the length of the embedding the encoder produces
 * @param precision the precision of the ONNX weights that will run ({@code int8}, {@code fp32})
 */
public record EncoderSpec(String id, Modality modality, String kind, Map<String, ModelFile> files,
                          Map<String, String> inputs, Map<String, String> outputs, Map<String, Object> params,
                          int dim, String precision, String licence, String source) {

    public EncoderSpec {
        files = Map.copyOf(files);
        inputs = Map.copyOf(inputs);
        outputs = Map.copyOf(outputs);
        params = Map.copyOf(params);
    }

    public ModelFile file(String role) {
        ModelFile f = files.get(role);
        if (f == null) throw new ModelPackException("encoder " + id + " (" + kind + ") needs a file with role '"
                + role + "' in the manifest; it has " + files.keySet());
        return f;
    }

    public Optional<ModelFile> optionalFile(String role) {
        return Optional.ofNullable(files.get(role));
    }

    public String input(String logical, String fallback) {
        return inputs.getOrDefault(logical, fallback);
    }

    public String output(String logical, String fallback) {
        return outputs.getOrDefault(logical, fallback);
    }

    public double param(String name, double fallback) {
        Object v = params.get(name);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new ModelPackException("encoder " + id + ": parameter '" + name + "' must be a number, not '" + v + "'");
        }
    }

    public int intParam(String name, int fallback) {
        return (int) Math.round(param(name, fallback));
    }

    public String param(String name, String fallback) {
        Object v = params.get(name);
        return v == null ? fallback : v.toString();
    }

    public boolean flag(String name, boolean fallback) {
        Object v = params.get(name);
        return v == null ? fallback : Boolean.parseBoolean(v.toString());
    }

    /** A float array parameter such as a normalisation mean; {@code fallback} if absent. */
    public float[] floats(String name, float[] fallback) {
        Object v = params.get(name);
        if (v == null) return fallback;
        if (v instanceof java.util.List<?> list) {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = ((Number) list.get(i)).floatValue();
            return out;
        }
        throw new ModelPackException("encoder " + id + ": parameter '" + name + "' must be a list of numbers");
    }
}
