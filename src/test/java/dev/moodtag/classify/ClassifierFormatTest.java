package dev.moodtag.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.media.Modality;
import dev.moodtag.pack.ModelPackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code classifier.json}'s format and the whole numbers of its records, read as written: a format other than 1, or
 * one that is no whole number, is refused naming the file and the format this moodtag reads, both where the classifier
 * loads and where only its fusion mode is read; a block's {@code dim} or a part's rows {@code count} that is no whole
 * number is refused naming the field, never cut or parsed into one.
 */
class ClassifierFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHIPPED = Path.of("models", "classifier");

    @TempDir
    Path tmp;

    /** A one-part early-fusion classifier over one 2-value block, saved: its JSON is what each cell changes. */
    private Path saved() {
        double[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        int[] y = {0, 1, 0, 1};
        FeatureLayout layout = new FeatureLayout(List.of(new FeatureBlock("a", Modality.SPEECH, 2, FeatureBlock.PRECOMPUTED)));
        List<float[][]> samples = new ArrayList<>();
        for (double[] row : x) samples.add(new float[][]{{(float) row[0], (float) row[1]}});
        SvmParams params = new SvmParams(SvmParams.Kernel.LINEAR, 1, 0, false, SvmParams.ClassWeighting.NONE);
        FusedSvm part = FusedSvm.train(layout, samples, new int[]{0, 1, 2, 3}, y, 2, new int[]{0}, false, params);
        Path dir = tmp.resolve("base");
        ClassifierStore.save(dir, new EmotionClassifier(FusionMode.EARLY, List.of("neutral", "happy"), layout,
                List.of(part), new double[]{1}), Map.of("from", "test"));
        return dir;
    }

    /** A copy of {@code from} whose classifier.json is changed by {@code change}. */
    private Path copy(Path from, Consumer<ObjectNode> change) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "clf");
        try (var files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve(ClassifierStore.FILE).toFile());
        change.accept(root);
        JSON.writeValue(dir.resolve(ClassifierStore.FILE).toFile(), root);
        return dir;
    }

    private static String loaded(Path dir) {
        try {
            return ClassifierStore.load(dir).classifier().mode() + " loaded";
        } catch (ModelPackException e) {
            return e.getMessage();
        }
    }

    private static String modeRead(Path dir) {
        try {
            return ClassifierStore.modeOf(dir.resolve(ClassifierStore.FILE)) + " loaded";
        } catch (ModelPackException e) {
            return e.getMessage();
        }
    }

    @Test
    void formatOneLoadsAndEveryOtherValueIsRefusedNamingTheFileAndTheFormatItReads() throws IOException {
        Path base = saved();
        List<String> notAWholeNumber = List.of("<absent>", "null", "\"1\"", "\"\"", "1.0", "1.5", "0.9", "true", "[1]",
                "{\"v\": 1}", "1e0", "1E0");
        List<String> tooOld = List.of("0", "-1", "-2147483648", "-4294967295");
        List<String> newer = List.of("2", "3", "2147483647", "2147483649", "4294967297", "9223372036854775809",
                "100000000000000000000000000001");
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        List<String> values = new ArrayList<>(List.of("1"));
        values.addAll(notAWholeNumber);
        values.addAll(tooOld);
        values.addAll(newer);
        for (String f : values) {
            Path dir = copy(base, root -> {
                if (f.equals("<absent>")) root.remove("format");
                else root.set("format", readTree(f));
            });
            String file = "classifier " + dir.resolve(ClassifierStore.FILE);
            String expected = f.equals("1") ? "EARLY loaded"
                    : notAWholeNumber.contains(f) ? file + ": 'format' must be a whole number (this moodtag reads format 1), not "
                    + (f.equals("<absent>") ? "missing" : readTree(f).toString())
                    : tooOld.contains(f) ? file + " has format " + f + ", which no moodtag wrote; this moodtag reads format 1"
                    : file + " has format " + f + ", newer than this moodtag reads format 1: it was made for a newer moodtag, which reads it";
            for (String how : List.of("load", "modeOf")) {
                String got = how.equals("load") ? loaded(dir) : modeRead(dir);
                cells++;
                if (!got.equals(expected)) wrong.add("format " + f + ", " + how + ": " + got);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
    }

    /**
     * A block's {@code dim} (2 here) and the shipped recording part's rows {@code count} (1011): the number as written
     * loads, the same number as text, as a fraction or a boolean is refused naming the field. Bound by Jackson's
     * defaults, "2", 2.0, 2.5 and 2e0 were all 2 (and 1011.9 was 1011 rows).
     */
    @Test
    void aBlocksDimAndARowsCountAreWholeNumbersAsWrittenOrRefusedNamingTheField() throws IOException {
        Path base = saved();
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (String dim : List.of("2", "\"2\"", "2.0", "2.5", "2.9", "2e0", "true", "\"\"", "4294967298")) {
            Path dir = copy(base, root -> ((ObjectNode) root.path("layout").get(0)).set("dim", readTree(dim)));
            String got = loaded(dir);
            cells++;
            boolean right = dim.equals("2") ? got.equals("EARLY loaded")
                    : got.startsWith(dir.resolve(ClassifierStore.FILE) + ": field layout[0].dim is malformed: ");
            if (!right) wrong.add("dim " + dim + ": " + got);
        }
        int recording = 3;
        for (String count : List.of("1011", "\"1011\"", "1011.0", "1011.5", "1.011e3", "true")) {
            Path dir = copy(SHIPPED, root -> ((ObjectNode) root.path("parts").get(recording).path("rows"))
                    .set("count", readTree(count)));
            String got = loaded(dir);
            cells++;
            boolean right = count.equals("1011") ? got.equals("LATE loaded")
                    : got.startsWith(dir.resolve(ClassifierStore.FILE) + ": field parts[3].rows.count is malformed: ");
            if (!right) wrong.add("rows count " + count + ": " + got);
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
