package dev.moodtag.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.fuse.EarlyFusion;
import dev.moodtag.fuse.EncoderFingerprint;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.fuse.StandardScaler;
import dev.moodtag.media.Modality;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A trained {@link EmotionClassifier} on disk, in a folder of a model pack (by convention {@code <pack>/classifier/}):
 * {@code classifier.json} (fusion mode, classes, feature layout with each encoder's fingerprint, scalers, SVM
 * settings, and how it was trained: manifest hash, label map, cross-validation figures) and one LIBSVM model file
 * per part ({@code svm-<part>.model}).
 */
public final class ClassifierStore {
    private ClassifierStore() {
    }

    public static final String FILE = "classifier.json";
    public static final String DEFAULT_FOLDER = "classifier";
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A loaded classifier and the record of how it was trained. */
    public record Stored(EmotionClassifier classifier, JsonNode training) {
    }

    /** @param training anything that documents the training (manifest hash, label map, CV figures) */
    public static void save(Path dir, EmotionClassifier clf, Map<String, Object> training) {
        try {
            Files.createDirectories(dir);
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("mode", clf.mode().name().toLowerCase(Locale.ROOT));
            root.set("classes", JSON.valueToTree(clf.classes()));
            ArrayNode layout = root.putArray("layout");
            for (FeatureBlock b : clf.layout().blocks()) {
                layout.addObject().put("id", b.id()).put("modality", b.modality().name().toLowerCase(Locale.ROOT))
                        .put("dim", b.dim()).put("fingerprint", b.fingerprint());
            }
            ArrayNode parts = root.putArray("parts");
            for (int k = 0; k < clf.parts().size(); k++) {
                FusedSvm p = clf.parts().get(k);
                String model = "svm-" + k + ".model";
                p.svm().save(dir.resolve(model));
                ObjectNode part = parts.addObject();
                part.put("model", model);
                part.put("weight", clf.weights()[k]);
                part.set("params", JSON.valueToTree(p.params()));
                ArrayNode blocks = part.putArray("blocks");
                for (int b : p.fusion().blocks()) blocks.add(clf.layout().block(b).id());
                part.set("blockWeights", JSON.valueToTree(p.fusion().blockWeights()));
                ArrayNode scalers = part.putArray("scalers");
                for (StandardScaler s : p.fusion().scalers()) {
                    ObjectNode sn = scalers.addObject();
                    sn.set("mean", JSON.valueToTree(s.mean()));
                    sn.set("scale", JSON.valueToTree(s.scale()));
                }
            }
            root.set("training", JSON.valueToTree(training));
            JSON.writeValue(dir.resolve(FILE).toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("writing classifier to " + dir, e);
        }
    }

    /** Loads without checking against a pack (for precomputed-feature classifiers and tools). */
    public static Stored load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new ModelPackException("no classifier at " + file.toAbsolutePath());
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root.path("format").asInt(-1) != FORMAT)
                throw new ModelPackException(file + " has format " + root.path("format") + "; this moodtag reads " + FORMAT);
            List<String> classes = new ArrayList<>();
            root.path("classes").forEach(c -> classes.add(c.asText()));
            List<FeatureBlock> blocks = new ArrayList<>();
            for (JsonNode b : root.path("layout")) {
                blocks.add(new FeatureBlock(b.path("id").asText(), Modality.valueOf(b.path("modality").asText().toUpperCase(Locale.ROOT)),
                        b.path("dim").asInt(), b.path("fingerprint").asText()));
            }
            FeatureLayout layout = new FeatureLayout(blocks);
            List<FusedSvm> parts = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            for (JsonNode p : root.path("parts")) {
                List<String> ids = new ArrayList<>();
                p.path("blocks").forEach(b -> ids.add(b.asText()));
                int[] idx = ids.stream().mapToInt(id -> indexOf(layout, id, file)).toArray();
                List<StandardScaler> scalers = new ArrayList<>();
                for (JsonNode s : p.path("scalers"))
                    scalers.add(new StandardScaler(JSON.treeToValue(s.get("mean"), double[].class), JSON.treeToValue(s.get("scale"), double[].class)));
                SvmParams params = JSON.treeToValue(p.get("params"), SvmParams.class);
                double[] w = p.has("blockWeights") ? JSON.treeToValue(p.get("blockWeights"), double[].class)
                        : java.util.Arrays.stream(idx).mapToDouble(i -> 1).toArray();
                parts.add(new FusedSvm(new EarlyFusion(layout, idx, scalers, w),
                        SvmClassifier.load(dir.resolve(p.path("model").asText()), classes.size()), params));
                weights.add(p.path("weight").asDouble(1));
            }
            EmotionClassifier clf = new EmotionClassifier(FusionMode.valueOf(root.path("mode").asText().toUpperCase(Locale.ROOT)),
                    classes, layout, parts, weights.stream().mapToDouble(Double::doubleValue).toArray());
            return new Stored(clf, root.path("training"));
        } catch (IOException e) {
            throw new ModelPackException("cannot read classifier " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads and checks that every block the classifier was trained on is produced, identically, by an encoder of
     * the pack: same id, modality, dimension and fingerprint (model files, precision, parameters).
     *
     * @throws ClassifierLayoutException naming each block that does not match and why
     */
    public static Stored load(Path dir, ModelPack pack) {
        Stored s = load(dir);
        List<String> problems = mismatches(s.classifier().layout(), pack);
        if (!problems.isEmpty()) {
            throw new ClassifierLayoutException("classifier " + dir.resolve(FILE) + " does not fit model pack " + pack.id()
                    + " " + pack.version() + ": " + String.join("; ", problems)
                    + ". Retrain it with `moodtag train` on this pack, or use the pack it was trained with.");
        }
        return s;
    }

    /** The classifier of a pack, from its {@code classifier/} folder, if it has one. */
    public static Optional<Stored> loadFromPack(ModelPack pack) {
        Path dir = pack.dir().resolve(DEFAULT_FOLDER);
        return Files.isRegularFile(dir.resolve(FILE)) ? Optional.of(load(dir, pack)) : Optional.empty();
    }

    static List<String> mismatches(FeatureLayout layout, ModelPack pack) {
        List<String> problems = new ArrayList<>();
        for (FeatureBlock b : layout.blocks()) {
            if (b.precomputed()) {
                problems.add("block '" + b.id() + "' holds precomputed dataset features that no encoder produces");
                continue;
            }
            Optional<EncoderSpec> e = pack.encoder(b.id());
            if (e.isEmpty()) {
                problems.add("block '" + b.id() + "' comes from an encoder the pack does not have (it has "
                        + pack.encoders().stream().map(EncoderSpec::id).toList() + ")");
            } else if (e.get().modality() != b.modality() || e.get().dim() != b.dim()) {
                problems.add("block '" + b.id() + "' is " + b.modality().name().toLowerCase(Locale.ROOT) + " " + b.dim()
                        + "-d, the pack's encoder " + e.get().modality().name().toLowerCase(Locale.ROOT) + " " + e.get().dim() + "-d");
            } else if (!EncoderFingerprint.of(e.get()).equals(b.fingerprint())) {
                problems.add("block '" + b.id() + "' was trained on encoder fingerprint " + b.fingerprint()
                        + ", the pack's encoder has " + EncoderFingerprint.of(e.get())
                        + " (different model file, precision or parameters)");
            }
        }
        return problems;
    }

    /** The sample an utterance's embeddings make for this classifier's layout (null where a block is missing). */
    public static float[][] sample(EmotionClassifier clf, UtteranceEmbeddings e) {
        float[][] s = new float[clf.layout().size()][];
        for (int b = 0; b < s.length; b++) s[b] = e.result(clf.layout().block(b).id()).filter(EncoderResult::present)
                .map(EncoderResult::vector).orElse(null);
        return s;
    }

    private static int indexOf(FeatureLayout layout, String id, Path file) {
        for (int i = 0; i < layout.size(); i++) if (layout.block(i).id().equals(id)) return i;
        throw new ModelPackException(file + ": a part uses block '" + id + "', which is not in the layout");
    }
}
