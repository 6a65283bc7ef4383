package dev.moodtag.classify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.storage.StagingFolders;
import dev.moodtag.support.JsonSyntax;
import dev.moodtag.support.Sha256;
import dev.moodtag.support.UnwritableFile;
import dev.moodtag.support.WholeNumber;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A trained {@link EmotionClassifier} on disk, in a folder of a model pack (by convention {@code <pack>/classifier/}):
 * {@code classifier.json} (fusion mode, classes, feature layout with each encoder's fingerprint, scalers, SVM
 * settings, and how it was trained: manifest hash, label map, cross-validation figures) and one model file per part
 * ({@code svm-<part>.model.gz}: for LIBSVM, its text format gzipped), read by the part's {@link ClassifierType}.
 * The JSON is bound to {@link ClassifierJson}'s records; an unknown field refuses the file, naming it.
 */
public final class ClassifierStore {
    private ClassifierStore() {
    }

    public static final String FILE = "classifier.json";
    public static final String DEFAULT_FOLDER = "classifier";
    public static final int FORMAT = 1;
    /** What {@link StagingFolders} names the folder an export is written into. */
    private static final String STAGING = "export";
    /**
     * Far above any classifier file (the shipped one is 64 kB; the scalers of a 100,000-value layout would be about
     * 4 MB), far below what parsing it whole costs memory.
     */
    static final int MAX_FILE_BYTES = 64 << 20;

    private static final Logger LOG = Logger.getLogger(ClassifierStore.class);
    private static final ObjectMapper JSON = WholeNumber.boundStrictly(new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));

    /** A loaded classifier and the record of how it was trained. */
    public record Stored(EmotionClassifier classifier, JsonNode training) {
    }

    /**
     * Writes the classifier's files into a folder of its own inside {@code dir} and moves them in once all are whole,
     * {@code classifier.json} last. Written in place, a disk that filled part-way left a model cut short beside the
     * earlier export's {@code classifier.json}, whose checksum it then failed: the classifier that served before was lost.
     * The moves take no room, so a full disk leaves the earlier export as it was. A staging folder that a run
     * killed mid-write left is removed by the next export into the folder ({@link StagingFolders}).
     *
     * @param training anything that documents the training (manifest hash, label map, CV figures)
     * @throws UnwritableFile naming the folder and the fault (full, read-only)
     */
    public static void save(Path dir, EmotionClassifier clf, Map<String, Object> training) {
        Path staging = null;
        try {
            Files.createDirectories(dir);
            staging = StagingFolders.create(dir, STAGING);
            Path into = staging;
            List<String> written = new ArrayList<>();
            List<ClassifierJson.Block> layout = clf.layout().blocks().stream().map(b -> new ClassifierJson.Block(b.id(),
                    b.modality().name().toLowerCase(Locale.ROOT), b.dim(), b.fingerprint())).toList();
            List<ClassifierJson.Part> parts = new ArrayList<>();
            for (int k = 0; k < clf.parts().size(); k++) {
                FusedSvm p = clf.parts().get(k);
                String model = "svm-" + k + ".model.gz";
                p.model().save(into.resolve(model));
                written.add(model);
                ClassifierJson.Rows rows = null;
                if (p.rows() != null) {
                    String file = "svm-" + k + ".rows.gz";
                    p.rows().save(into.resolve(file));
                    written.add(file);
                    rows = new ClassifierJson.Rows(file, Sha256.of(into.resolve(file)), p.rows().size(), p.rows().settings());
                }
                parts.add(new ClassifierJson.Part(model, Sha256.of(into.resolve(model)), p.model().type(), clf.weights()[k], p.params(),
                        Arrays.stream(p.fusion().blocks()).mapToObj(b -> clf.layout().block(b).id()).toList(),
                        p.fusion().blockWeights(), p.fusion().scalers().stream()
                        .map(sc -> new ClassifierJson.Scaler(sc.mean(), sc.scale())).toList(),
                        p.over() == StandardisedOver.UTTERANCE ? null : p.over().id(), rows));
            }
            JSON.writeValue(into.resolve(FILE).toFile(), new ClassifierJson.File(FORMAT,
                    clf.mode().name().toLowerCase(Locale.ROOT), clf.classes(), layout, parts, JSON.valueToTree(training)));
            written.add(FILE);
            List<String> before = filesListed(dir.resolve(FILE));
            for (String name : written)
                Files.move(into.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // The export replaces the earlier one as a whole: a part file it listed that this one does not (an
            // svm-3.model.gz after a 3-part export over a 4-part one, a rows file of a part that no longer ships them)
            // stayed, read by nothing but shipped with the folder, unlike a fresh export's. Files it did not list are
            // not the export's and stay.
            for (String name : before)
                if (!written.contains(name)) removeStale(dir.resolve(name));
        } catch (IOException | UncheckedIOException e) {
            Exception cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new UnwritableFile("the classifier cannot be exported to " + dir + ": " + LocalFailures.inWords(cause, dir.resolve(FILE)), e);
        } finally {
            if (staging != null) StagingFolders.remove(staging, STAGING);
        }
    }

    /**
     * The part files (models, rows) an earlier export's {@code classifier.json} lists by a plain name in its folder;
     * none where there is no such file or it cannot be read as JSON (nothing is then known to be the export's).
     */
    private static List<String> filesListed(Path file) {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return List.of();
        JsonNode tree;
        try {
            tree = JSON.readTree(ModelPackLoader.boundedBytes(file, MAX_FILE_BYTES, "classifier",
                    "a classifier file is tens of kB"));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("the earlier classifier %s cannot be read (%s): the part files it named, if any, are left beside the "
                    + "new export", file, e.getMessage());
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode part : tree.path("parts"))
            for (JsonNode name : List.of(part.path("model"), part.path("rows").path("file")))
                if (name.isTextual() && isPlainName(name.asText())) names.add(name.asText());
        return names;
    }

    /** A part file of the earlier export; one that cannot be removed is said, the new export being whole already. */
    private static void removeStale(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("%s, a part of the earlier export that the new one does not use, cannot be removed: %s", file,
                    LocalFailures.inWords(e, file));
        }
    }

    /** A file name of the folder itself: not a path, not {@code .} or {@code ..}, not the classifier file. */
    private static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals(".") && !name.equals("..")
                && !name.equals(FILE) && name.indexOf('\0') < 0;
    }

    /**
     * The fusion mode {@code file} (a classifier.json) declares, read without its parts: what the classifier's
     * description needs ({@link #describe}), where nothing is classified.
     */
    public static FusionMode modeOf(Path file) {
        try {
            JsonNode tree = JSON.readTree(ModelPackLoader.boundedBytes(file, MAX_FILE_BYTES, "classifier",
                    "a classifier file is tens of kB"));
            checkFormat(tree, file);
            return mode(tree.path("mode").isTextual() ? tree.path("mode").asText() : null, file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static ModelPackException unreadable(Path file, IOException e) {
        return new ModelPackException("cannot read classifier " + file + ": "
                + (e instanceof JsonProcessingException syntax ? JsonSyntax.inWords(syntax) : e.getMessage()), e);
    }

    /**
     * Format {@link #FORMAT}, as a whole number ({@link WholeNumber#format}): read as an int, {@code "1"}, {@code 1.5},
     * {@code 1e0}, {@code true} and 2^32 + 1 were all format 1 and loaded.
     */
    private static void checkFormat(JsonNode tree, Path file) {
        WholeNumber.format(tree.path("format"), "format", FORMAT, FORMAT, "classifier " + file, ModelPackException::new);
    }

    /**
     * How results name the classifier that labelled them ({@code classifier.description}), which skip-if-done and
     * status compare: its fusion mode and the sha256 of its {@code classifier.json} (which holds its parts' sha256).
     */
    public static String describe(FusionMode mode, Path file) {
        return mode.name().toLowerCase(Locale.ROOT) + "-fusion SVM " + DEFAULT_FOLDER + "/" + FILE + " sha256:"
                + Sha256.of(file);
    }

    /** Loads without checking against a pack (for precomputed-feature classifiers and tools). */
    public static Stored load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new ModelPackException("no classifier at " + file.toAbsolutePath());
        ClassifierJson.File root = read(file);
        try {
            List<String> classes = required(root.classes(), "classes", file);
            FeatureLayout layout = layout(root, file);
            List<FusedSvm> parts = new ArrayList<>();
            double[] weights = new double[required(root.parts(), "parts", file).size()];
            for (int k = 0; k < weights.length; k++) {
                ClassifierJson.Part p = root.parts().get(k);
                int[] idx = required(p.blocks(), "parts[" + k + "].blocks", file).stream()
                        .mapToInt(id -> indexOf(layout, id, file)).toArray();
                List<StandardScaler> scalers = required(p.scalers(), "parts[" + k + "].scalers", file).stream()
                        .map(sc -> new StandardScaler(sc.mean(), sc.scale())).toList();
                double[] w = p.blockWeights() != null ? p.blockWeights() : Arrays.stream(idx).mapToDouble(i -> 1).toArray();
                ClassifierType<?> type = ClassifierTypes.named(p.type() != null ? p.type() : SvmClassifier.TYPE, file);
                Path model = modelFile(dir, required(p.model(), "parts[" + k + "].model", file), "parts[" + k + "].model", file);
                checkSha256(model, p.sha256(), k, file);
                parts.add(new FusedSvm(new EarlyFusion(layout, idx, scalers, w), type.load(model, classes.size()), p.params(),
                        StandardisedOver.parse(p.standardisedOver()), rows(dir, p, idx, layout, classes.size(), k, file)));
                weights[k] = p.weight() != null ? p.weight() : 1;
            }
            FusionMode mode = mode(root.mode(), file);
            // Late fusion multiplies the parts' probabilities: a part without them failed every request
            for (int k = 0; mode == FusionMode.LATE && k < parts.size(); k++)
                if (!parts.get(k).model().hasProbabilities())
                    throw new ModelPackException(file + ": late fusion needs probability estimates, and parts[" + k + "] ("
                            + root.parts().get(k).model() + ", " + parts.get(k).model().type() + ") has none; retrain it "
                            + "with --fusion late");
            EmotionClassifier clf = new EmotionClassifier(mode, classes, layout, parts, weights);
            return new Stored(clf, root.training() != null ? root.training() : JSON.createObjectNode());
        } catch (ModelPackException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException | UncheckedIOException e) {
            // The records' own checks (blank block id, scaler lengths, a model file that is not LIBSVM's) say what;
            // null elements in a list (List.copyOf refuses them) are the same mistake.
            throw new ModelPackException(file + " is inconsistent: " + e.getMessage(), e);
        }
    }

    /** {@code file} parsed and bound, its format checked; nothing it names is read. */
    private static ClassifierJson.File read(Path file) {
        try {
            JsonNode tree = JSON.readTree(ModelPackLoader.boundedBytes(file, MAX_FILE_BYTES, "classifier",
                    "a classifier file is tens of kB"));
            checkFormat(tree, file);
            return JSON.treeToValue(tree, ClassifierJson.File.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ModelPackException(file + ": unknown field '" + e.getPropertyName() + "' at " + path(e)
                    + "; a classifier file has " + e.getKnownPropertyIds(), e);
        } catch (JsonMappingException e) {
            throw new ModelPackException(file + ": field " + path(e) + " is malformed: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static FeatureLayout layout(ClassifierJson.File root, Path file) {
        List<FeatureBlock> blocks = new ArrayList<>();
        for (ClassifierJson.Block b : required(root.layout(), "layout", file))
            blocks.add(new FeatureBlock(b.id(), modality(b.modality(), file), b.dim(), b.fingerprint()));
        return new FeatureLayout(blocks);
    }

    /**
     * A part's model file: a regular file inside the classifier's folder. A name leaving it ("../x", "/dev/zero") would
     * read what the folder does not hold; a FIFO would block the load forever, and a device never ends.
     */
    private static Path modelFile(Path dir, String name, String field, Path file) {
        Path folder = dir.toAbsolutePath().normalize();
        Path model = folder.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !model.startsWith(folder))
            throw new ModelPackException(file + ": " + field + " '" + name + "' must name a file inside the "
                    + "classifier's folder " + folder);
        // as the model pack's files are said: a folder, a FIFO, a link to nowhere, a file as its folder
        Optional<LocalFailures.PathFault> unreadable = LocalFailures.notAReadableFile(model);
        if (unreadable.isPresent())
            throw new ModelPackException(file + ": " + field + " '" + name + "' cannot be read: " + unreadable.get().words());
        return model;
    }

    /**
     * The model files hold the support vectors or weights, so they decide every label: a model file swapped, restored
     * from another export or cut short by a copy must not load beside a {@code classifier.json} that does not describe
     * it. The file's hash in results names {@code classifier.json} only, which names each model file's hash in turn.
     * Hashed on every load, whatever {@code moodtag.pack.verify-checksums} says: the shipped parts are 5.6 MB, and the
     * recording part's rows 1.1 MB more (tens of milliseconds).
     */
    private static void checkSha256(Path model, String expected, int k, Path file) {
        if (expected == null) {
            LOG.warnf("%s: parts[%d].model %s has no sha256 (written before moodtag recorded it), so it is not checked; "
                    + "export the classifier again to have it checked", file, k, model.getFileName());
            return;
        }
        String actual = Sha256.of(model);
        if (!actual.equalsIgnoreCase(expected))
            throw new ModelPackException(file + ": parts[" + k + "].model " + model + " has sha256 " + actual
                    + ", and the classifier names " + expected + ". The model file is not the one this classifier was "
                    + "exported with (replaced, corrupt or cut short); restore it or export the classifier again.");
    }

    /**
     * A part's training rows, when it ships them: checked as its model file is (inside the folder, its recorded
     * sha256; a rows file is never loaded unchecked), then read whole, refusing rows that could not have trained it.
     */
    private static TrainingRows rows(Path dir, ClassifierJson.Part p, int[] idx, FeatureLayout layout, int numClasses,
                                     int k, Path file) {
        if (p.rows() == null) return null;
        String field = "parts[" + k + "].rows";
        Path rows = modelFile(dir, required(p.rows().file(), field + ".file", file), field + ".file", file);
        String actual = Sha256.of(rows);
        if (!actual.equalsIgnoreCase(required(p.rows().sha256(), field + ".sha256", file)))
            throw new ModelPackException(file + ": " + field + " " + rows + " has sha256 " + actual + ", and the "
                    + "classifier names " + p.rows().sha256() + ". The rows file is not the one this classifier was "
                    + "exported with (replaced, corrupt or cut short); restore it or export the classifier again.");
        TrainingRows read = TrainingRows.load(rows, Arrays.stream(idx).mapToObj(b -> layout.block(b).id()).toList(),
                Arrays.stream(idx).map(b -> layout.block(b).dim()).toArray(), numClasses,
                required(p.rows().settings(), field + ".settings", file), file + ": " + field);
        if (read.size() != p.rows().count())
            throw new ModelPackException(file + ": " + field + " " + rows + " holds " + read.size() + " rows, and the "
                    + "classifier names " + p.rows().count());
        return read;
    }

    private static <T> T required(T value, String field, Path file) {
        if (value == null) throw new ModelPackException(file + ": required field '" + field + "' is missing");
        return value;
    }

    private static Modality modality(String name, Path file) {
        try {
            return Modality.valueOf(required(name, "layout[].modality", file).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelPackException(file + ": modality must be text, speech or video, not '" + name + "'");
        }
    }

    private static FusionMode mode(String name, Path file) {
        try {
            return FusionMode.valueOf(required(name, "mode", file).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelPackException(file + ": mode must be early or late, not '" + name + "'");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
    }

    /**
     * Loads and checks that every block the classifier was trained on is produced, identically, by an encoder of
     * the pack: same id, modality, dimension and fingerprint (model files, precision, parameters; for speech the
     * voice-activity detector too).
     *
     * @throws ClassifierLayoutException naming each block that does not match and why
     */
    public static Stored load(Path dir, ModelPack pack) {
        Stored s = load(dir);
        checkFits(s.classifier().layout(), dir, pack);
        return s;
    }

    /**
     * Whether the classifier in {@code dir} fits {@code pack}, as {@link #load(Path, ModelPack)} checks it, from its
     * {@code classifier.json} alone: the encoders' fingerprints are made from the manifest's sha256 values, so no model
     * file of the classifier or the pack is read. {@code status} (and {@code tag --publish}, before it sends anything)
     * compare results with a pack that {@code tag} would refuse to load without it.
     *
     * @throws ClassifierLayoutException in the words of {@link #load(Path, ModelPack)}
     */
    public static void checkFits(Path dir, ModelPack pack) {
        Path file = dir.resolve(FILE);
        ClassifierJson.File root = read(file);
        FeatureLayout layout;
        try {
            layout = layout(root, file);
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new ModelPackException(file + " is inconsistent: " + e.getMessage(), e); // as load says it
        }
        checkFits(layout, dir, pack);
    }

    private static void checkFits(FeatureLayout layout, Path dir, ModelPack pack) {
        List<String> problems = mismatches(layout, pack);
        if (!problems.isEmpty()) {
            throw new ClassifierLayoutException("classifier " + dir.resolve(FILE) + " does not fit model pack " + pack.id()
                    + " " + pack.version() + ": " + String.join("; ", problems)
                    + ". Retrain it with `moodtag train` on this pack, or use the pack it was trained with.");
        }
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
            } else if (!EncoderFingerprint.of(pack, e.get()).equals(b.fingerprint())) {
                problems.add("block '" + b.id() + "' was trained on encoder fingerprint " + b.fingerprint()
                        + ", the pack's encoder has " + EncoderFingerprint.of(pack, e.get())
                        + " (different model file, precision or parameters, or for speech another voice-activity detector)");
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
