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

    /**
     * Damaged and hostile rows files read directly: a header that claims 2^31 - 1 rows (or 2^30, 2^24, any count the
     * file does not hold), other block counts and dimensions, every byte of the header flipped, bytes flipped across
     * the rows, cuts all along the stream and plain garbage. Each is answered with the loader's refusal naming the
     * file (or read, where a flipped float is still a finite value), never an OutOfMemoryError or another exception,
     * and what the read allocates stays within a few times the file's real content. Before, the claimed count sized the
     * label array before the first row: 2^31 - 1 rows ended in an OutOfMemoryError (8 GiB asked of a 2 GiB heap).
     */
    @Test
    void damagedOrHostileRowsFilesAreRefusedNamingTheFileInMemoryBoundedByTheirRealSize() throws IOException {
        byte[] raw;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(SHIPPED.resolve("svm-3.rows.gz")))) {
            raw = in.readAllBytes();
        }
        List<String> blocks = List.of("speech-oww-embedding", "speech-functionals");
        int[] dims = {192, 105};
        int countAt = 2 + TrainingRows.FORMAT.length() + 4;
        for (String b : blocks) countAt += 2 + b.length() + 4;
        Map<String, byte[]> grid = new java.util.LinkedHashMap<>();
        for (int claimed : new int[]{Integer.MAX_VALUE, 1 << 30, 1 << 24, 1_000_000, 1012, 0, -1, Integer.MIN_VALUE})
            grid.put("count " + claimed, quickGzip(withInt(raw, countAt, claimed)));
        int nbAt = 2 + TrainingRows.FORMAT.length();
        for (int nb : new int[]{Integer.MAX_VALUE, 1 << 20, 3, 1, 0, -1})
            grid.put("blocks " + nb, quickGzip(withInt(raw, nbAt, nb)));
        int dimAt = nbAt + 4 + 2 + blocks.get(0).length();
        for (int dim : new int[]{Integer.MAX_VALUE, 1 << 28, 193, 0, -1})
            grid.put("dim " + dim, quickGzip(withInt(raw, dimAt, dim)));
        // A byte past the count may leave a file that still reads (a presence byte still true, a float still finite):
        // only those cases may be read, and then as all of their rows.
        java.util.Set<String> mayRead = new java.util.HashSet<>();
        for (int i = 0; i < countAt + 16; i++) {
            byte[] flipped = raw.clone();
            flipped[i] ^= (byte) 0xFF;
            grid.put("header byte " + i + " flipped", quickGzip(flipped));
            if (i >= countAt + 4) mayRead.add("header byte " + i + " flipped");
        }
        java.util.Random random = new java.util.Random(42);
        for (int k = 0; k < 16; k++) {
            byte[] flipped = raw.clone();
            int at = countAt + random.nextInt(raw.length - countAt);
            flipped[at] ^= (byte) (1 + random.nextInt(255));
            grid.put("byte " + at + " changed", quickGzip(flipped));
            mayRead.add("byte " + at + " changed");
        }
        byte[] whole = quickGzip(raw);
        for (int k = 1; k < 10; k++) {
            grid.put("cut at " + k + "/10", quickGzip(Arrays.copyOf(raw, raw.length * k / 10)));
            grid.put("gzip cut at " + k + "/10", Arrays.copyOf(whole, whole.length * k / 10));
        }
        byte[] garbage = new byte[4096];
        random.nextBytes(garbage);
        grid.put("garbage", garbage);
        grid.put("gzipped garbage", quickGzip(garbage));
        grid.put("empty gzip", quickGzip(new byte[0]));

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long bound = 4L * raw.length + (16L << 20);
        int refused = 0;
        for (Map.Entry<String, byte[]> c : grid.entrySet()) {
            Path file = tmp.resolve("case-" + refused + "-" + c.getKey().replaceAll("[^a-z0-9]+", "-") + ".rows.gz");
            Files.write(file, c.getValue());
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                TrainingRows read = TrainingRows.load(file, blocks, dims, 4, JSON.createObjectNode(), "parts[3].rows");
                assertTrue(mayRead.contains(c.getKey()) && read.size() == 1011, c.getKey() + ": read " + read.size() + " rows");
            } catch (ModelPackException e) {
                refused++;
                assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("refused"),
                        c.getKey() + ": " + e.getMessage());
            } catch (Throwable t) {
                throw new AssertionError(c.getKey() + ": " + t, t);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < bound, c.getKey() + ": " + allocated + " bytes allocated for a file of " + raw.length
                    + " bytes uncompressed");
        }
        assertTrue(refused >= grid.size() - mayRead.size(), refused + " of " + grid.size() + " refused");
    }

    /** Gzipped at the fastest level: the grid writes a hundred and more files of about a megabyte. */
    private static byte[] quickGzip(byte[] raw) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    /** {@code raw} with the big-endian int at {@code at} replaced by {@code value}. */
    private static byte[] withInt(byte[] raw, int at, int value) {
        byte[] copy = raw.clone();
        java.nio.ByteBuffer.wrap(copy).putInt(at, value);
        return copy;
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }
}
