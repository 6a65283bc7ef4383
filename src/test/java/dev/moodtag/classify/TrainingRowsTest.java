package dev.moodtag.classify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.support.Sha256;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recording part's training rows shipped beside its model ({@code svm-3.rows.gz}): loaded and checked with the
 * classifier, carried by a combine, and refused, naming the file, when they are not the ones exported (another hash,
 * values that are not finite, a file cut short or run on).
 */
class TrainingRowsTest {

    private static final Path SHIPPED = Path.of("models", "classifier");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ClassifierStore.Stored shipped;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        shipped = ClassifierStore.load(SHIPPED);
    }

    private Path copy() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "clf");
        try (var files = Files.list(SHIPPED)) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir;
    }

    /** Replaces the recording part's rows file and records its hash, so the file reaches the rows' own checks. */
    private static void replaceRows(Path dir, byte[] bytes) throws IOException {
        Files.write(dir.resolve("svm-3.rows.gz"), bytes);
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve(ClassifierStore.FILE).toFile());
        ((ObjectNode) root.path("parts").get(3).path("rows")).put("sha256", Sha256.of(bytes));
        JSON.writeValue(dir.resolve(ClassifierStore.FILE).toFile(), root);
    }

    @Test
    void theShippedRecordingPartShipsItsThousandAndElevenStandardisedRowsAndNoOtherPartDoes() {
        List<FusedSvm> parts = shipped.classifier().parts();
        for (int k = 0; k < 3; k++) assertNull(parts.get(k).rows(), "part " + k);
        TrainingRows rows = parts.get(3).rows();
        assertNotNull(rows);
        assertEquals(1011, rows.size());
        assertEquals(List.of("speech-oww-embedding", "speech-functionals"), rows.blocks());
        assertArrayEquals(new int[]{192, 105}, rows.dims());
        assertEquals("SPEAKER", rows.settings().path("normalisation").asText());
        // Standardised per speaker: each speaker's rows have mean 0 in every dimension of the block they all have
        String speaker = rows.groups().get(0);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < rows.size(); i++)
            if (rows.groups().get(i).equals(speaker)) {
                sum += rows.samples().get(i)[1][7];
                n++;
            }
        assertTrue(n > 5 && Math.abs(sum / n) < 1e-4, speaker + ": " + n + " rows, mean " + sum / n);
        int[] perClass = new int[4];
        for (int y : rows.labels()) perClass[y]++;
        assertTrue(Arrays.stream(perClass).allMatch(c -> c > 100), Arrays.toString(perClass));
    }

    @Test
    void aRowsFileSwappedIsRefusedNamingItAndItsHash() throws IOException {
        Path dir = copy();
        Path rows = dir.resolve("svm-3.rows.gz");
        String recorded = Sha256.of(rows);
        byte[] bytes = Files.readAllBytes(rows);
        bytes[bytes.length / 2] ^= 1;
        Files.write(rows, bytes);
        ModelPackException e = assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir));
        assertTrue(e.getMessage().contains("parts[3].rows") && e.getMessage().contains(rows.toString())
                && e.getMessage().contains(recorded), e.getMessage());
    }

    @Test
    void rowsWithAValueNotFiniteAreRefusedAtLoadNamingTheFileRowAndBlock() throws IOException {
        TrainingRows real = shipped.classifier().parts().get(3).rows();
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            List<float[][]> samples = new ArrayList<>(real.samples());
            float[][] row = {samples.get(500)[0].clone(), samples.get(500)[1].clone()};
            row[1][104] = bad;
            samples.set(500, row);
            Path dir = copy();
            Path file = tmp.resolve("bad.rows.gz");
            new TrainingRows(real.blocks(), real.dims(), samples, real.labels(), real.groups(), real.settings()).save(file);
            replaceRows(dir, Files.readAllBytes(file));
            ModelPackException e = assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir));
            assertTrue(e.getMessage().contains(dir.resolve("svm-3.rows.gz").toString())
                    && e.getMessage().contains("row 500 block speech-functionals value 104 is " + bad), e.getMessage());
        }
    }

    @Test
    void aRowsFileCutShortOrRunOnIsRefusedNamingIt() throws IOException {
        byte[] whole = Files.readAllBytes(SHIPPED.resolve("svm-3.rows.gz"));
        byte[] raw;
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(whole))) {
            raw = in.readAllBytes();
        }
        // cut inside the compressed stream, at its end (the gzip trailer), and a whole stream short of its last row
        List<byte[]> damaged = new ArrayList<>(List.of(Arrays.copyOf(whole, whole.length / 3),
                Arrays.copyOf(whole, whole.length - 4), gzip(Arrays.copyOf(raw, raw.length - 10)),
                gzip(Arrays.copyOf(raw, raw.length + 3)), new byte[0]));
        for (byte[] bytes : damaged) {
            Path dir = copy();
            replaceRows(dir, bytes);
            ModelPackException e = assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir),
                    bytes.length + " bytes");
            assertTrue(e.getMessage().contains(dir.resolve("svm-3.rows.gz").toString()) && e.getMessage().contains("refused"),
                    e.getMessage());
        }
    }

    @Test
    void rowsOfOtherBlocksOrClassesOrAnotherCountThanRecordedAreRefused() throws IOException {
        TrainingRows real = shipped.classifier().parts().get(3).rows();
        int[] labels = real.labels().clone();
        labels[3] = 4;
        Path file = tmp.resolve("other.rows.gz");
        new TrainingRows(real.blocks(), real.dims(), real.samples(), labels, real.groups(), real.settings()).save(file);
        Path dir = copy();
        replaceRows(dir, Files.readAllBytes(file));
        assertTrue(assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir)).getMessage()
                .contains("row 3 has class number 4"));

        List<float[][]> swapped = real.samples().stream().map(s -> new float[][]{s[1], s[0]}).toList();
        new TrainingRows(List.of("speech-functionals", "speech-oww-embedding"), new int[]{105, 192}, swapped,
                real.labels(), real.groups(), real.settings()).save(file);
        Path dir2 = copy();
        replaceRows(dir2, Files.readAllBytes(file));
        assertTrue(assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir2)).getMessage()
                .contains("the part reads [speech-oww-embedding, speech-functionals]"));

        Path dir3 = copy();
        ObjectNode root = (ObjectNode) JSON.readTree(dir3.resolve(ClassifierStore.FILE).toFile());
        ((ObjectNode) root.path("parts").get(3).path("rows")).put("count", 1000);
        JSON.writeValue(dir3.resolve(ClassifierStore.FILE).toFile(), root);
        assertTrue(assertThrows(ModelPackException.class, () -> ClassifierStore.load(dir3)).getMessage()
                .contains("holds 1011 rows, and the classifier names 1000"));
    }

    @Test
    void aCombineCarriesTheRowsAndAClassifierWithoutThemStillLoads() throws IOException {
        EmotionClassifier clf = shipped.classifier();
        Path out = tmp.resolve("combined");
        ClassifierStore.save(out, EmotionClassifier.combineLate(List.of(clf), new double[]{1}), Map.of("from", "test"));
        assertArrayEquals(Files.readAllBytes(SHIPPED.resolve("svm-3.rows.gz")), Files.readAllBytes(out.resolve("svm-3.rows.gz")),
                "the same rows, byte for byte");
        TrainingRows again = ClassifierStore.load(out).classifier().parts().get(3).rows();
        assertEquals(clf.parts().get(3).rows().groups(), again.groups());
        assertArrayEquals(clf.parts().get(3).rows().samples().get(1010)[0], again.samples().get(1010)[0]);

        // written before rows were shipped: the part loads without them
        Path old = copy();
        ObjectNode root = (ObjectNode) JSON.readTree(old.resolve(ClassifierStore.FILE).toFile());
        ((ObjectNode) root.path("parts").get(3)).remove("rows");
        JSON.writeValue(old.resolve(ClassifierStore.FILE).toFile(), root);
        Files.delete(old.resolve("svm-3.rows.gz"));
        assertNull(ClassifierStore.load(old).classifier().parts().get(3).rows());
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }
}
