package dev.moodtag.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.pack.ModelPackException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The rows a part was trained on, shipped beside its model ({@code svm-<part>.rows.gz}) so that a batch can train the
 * part again with some of its own clips added (self-training, {@code moodtag tag --self-train}). Each row's blocks are
 * exactly what the part's trainer received: for a part trained with {@code --normalise speaker}, already standardised
 * per speaker, before the part's own scalers.
 *
 * <p>The file is a gzipped stream of big-endian values: the format line, the block ids and dimensions, the row
 * count, then per row its class number, group and, per block, a presence byte and the block's floats (float32, as
 * the trainer held them, so a part trained again on these rows alone is the part shipped).
 *
 * @param blocks   the part's block ids, in the part's order
 * @param dims     each block's dimension
 * @param samples  per row, one vector per block (null where the row lacks the block)
 * @param labels   per row, its class number in the classifier's classes
 * @param groups   per row, its group (speaker) as the manifest gave it: the grid search's inner folds are grouped
 * @param settings how the part was trained ({@code moodtag train}'s settings), so it is trained again the same way
 */
public record TrainingRows(List<String> blocks, int[] dims, List<float[][]> samples, int[] labels, List<String> groups,
                           JsonNode settings) {

    static final String FORMAT = "moodtag training rows 1";
    /** Room made for labels before any row is read; it doubles as rows arrive, up to the count the file gives. */
    private static final int FIRST_ROWS = 1024;

    public TrainingRows {
        blocks = List.copyOf(blocks);
        samples = List.copyOf(samples);
        groups = List.copyOf(groups);
        if (dims.length != blocks.size()) throw new IllegalArgumentException("one dimension per block");
        if (labels.length != samples.size() || groups.size() != samples.size())
            throw new IllegalArgumentException("one label and one group per row");
    }

    public int size() {
        return samples.size();
    }

    /** Writes the rows; the caller records the file's hash. */
    public void save(Path file) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)))) {
            out.writeUTF(FORMAT);
            out.writeInt(blocks.size());
            for (int b = 0; b < blocks.size(); b++) {
                out.writeUTF(blocks.get(b));
                out.writeInt(dims[b]);
            }
            out.writeInt(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                out.writeInt(labels[i]);
                out.writeUTF(groups.get(i) == null ? "" : groups.get(i));
                for (float[] v : samples.get(i)) {
                    out.writeBoolean(v != null);
                    if (v != null) for (float x : v) out.writeFloat(x);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing training rows to " + file, e);
        }
    }

    /**
     * Reads the rows of a part, refusing, with the file named, rows that could not have trained it: another format,
     * other blocks than the part's, a class number outside the classes, a value that is not finite (LIBSVM would
     * train on it silently), a file cut short or with bytes after its last row.
     *
     * @param where names the part in messages ({@code classifier.json: parts[3].rows})
     */
    public static TrainingRows load(Path file, List<String> partBlocks, int[] partDims, int numClasses,
                                    JsonNode settings, String where) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16)))) {
            String format = in.readUTF();
            if (!FORMAT.equals(format)) throw refused(file, where, "its format is '" + format + "', not '" + FORMAT + "'");
            int nb = in.readInt();
            List<String> ids = new ArrayList<>();
            int[] dims = new int[Math.max(0, Math.min(nb, 1024))];
            if (nb != partBlocks.size()) throw refused(file, where, "it holds " + nb + " block(s), the part reads "
                    + partBlocks);
            for (int b = 0; b < nb; b++) {
                ids.add(in.readUTF());
                dims[b] = in.readInt();
            }
            if (!ids.equals(partBlocks) || !Arrays.equals(dims, partDims))
                throw refused(file, where, "its blocks are " + ids + " " + Arrays.toString(dims) + ", the part reads "
                        + partBlocks + " " + Arrays.toString(partDims));
            int n = in.readInt();
            if (n < 1) throw refused(file, where, "it holds " + n + " rows");
            List<float[][]> samples = new ArrayList<>();
            // Grown with the rows actually read, never sized by the count the file claims: a damaged or hostile header
            // of 2^31 - 1 rows allocated 8 GiB before the first row (an OutOfMemoryError, not a refusal naming the file)
            int[] labels = new int[Math.min(n, FIRST_ROWS)];
            List<String> groups = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i == labels.length) labels = Arrays.copyOf(labels, (int) Math.min(n, 2L * labels.length));
                labels[i] = in.readInt();
                if (labels[i] < 0 || labels[i] >= numClasses)
                    throw refused(file, where, "row " + i + " has class number " + labels[i] + ", the classifier has "
                            + numClasses + " classes");
                groups.add(in.readUTF());
                float[][] s = new float[nb][];
                for (int b = 0; b < nb; b++) {
                    if (!in.readBoolean()) continue;
                    s[b] = new float[dims[b]];
                    for (int j = 0; j < dims[b]; j++) {
                        float v = in.readFloat();
                        if (!Float.isFinite(v))
                            throw refused(file, where, "row " + i + " block " + ids.get(b) + " value " + j + " is " + v);
                        s[b][j] = v;
                    }
                }
                samples.add(s);
            }
            if (in.read() != -1) throw refused(file, where, "it has bytes after its " + n + " rows");
            return new TrainingRows(ids, dims, samples, labels, groups, settings);
        } catch (EOFException e) {
            throw refused(file, where, "it ends before its last row (cut short)");
        } catch (IOException e) {
            throw refused(file, where, "it cannot be read (" + e.getMessage() + ")");
        }
    }

    private static ModelPackException refused(Path file, String where, String why) {
        return new ModelPackException(where + " " + file + " is refused: " + why + ". Export the classifier again.");
    }
}
