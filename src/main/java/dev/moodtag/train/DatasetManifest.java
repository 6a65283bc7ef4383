package dev.moodtag.train;

import dev.moodtag.support.Sha256;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.media.Modality;
import dev.moodtag.support.SpreadsheetCells;
import dev.moodtag.support.Utf8Text;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.support.UnwritableFile;
import dev.moodtag.support.WholeFile;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dataset as a CSV manifest, one row per utterance. Columns (all optional except {@code id} and {@code label}):
 * <pre>
 * id, media, audio, video, image, transcript, transcript_file, label, group, split, feat.MODALITY.BLOCK.I ...
 * </pre>
 * {@code media} is a file with any streams; {@code audio}, {@code video}, {@code image} name separate files.
 * Paths are relative to the manifest's folder. {@code transcript} is inline text, {@code transcript_file} a
 * plain-text file. {@code group} is the speaker or session the folds keep together; {@code split} is
 * {@code train}, {@code dev} or {@code test} where the dataset has an official split. Precomputed features come
 * as columns {@code feat.<text|speech|video>.<block>.<index>}: each block is fused like an encoder's output.
 * Header names are read without a leading byte order mark and surrounding spaces; any other name is refused, since a
 * column read under no name (" group", "Group") would leave every row without its value. A text cell is read without
 * surrounding spaces and without a formula guard ({@link SpreadsheetCells}: {@code '=x} reads as {@code =x}).
 *
 * @param sha256 the manifest file's hash, recorded with an exported classifier
 */
public record DatasetManifest(Path file, String sha256, List<FeatureBlock> precomputed, List<ManifestRow> rows) {

    public static final List<String> MEDIA_COLUMNS = List.of("media", "audio", "video", "image");
    public static final List<String> BASE_COLUMNS = List.of("id", "media", "audio", "video", "image", "transcript",
            "transcript_file", "label", "group", "split");
    private static final Pattern FEATURE = Pattern.compile("feat\\.(text|speech|video)\\.([A-Za-z0-9_-]+)\\.(\\d+)");

    public DatasetManifest {
        precomputed = List.copyOf(precomputed);
        rows = List.copyOf(rows);
    }

    public static String featureColumn(Modality modality, String block, int index) {
        return "feat." + modality.name().toLowerCase(Locale.ROOT) + "." + block + "." + index;
    }

    public static DatasetManifest read(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
            sha = Sha256.of(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading manifest " + file, e);
        }
        try (Reader r = Utf8Text.withoutByteOrderMark(new BufferedReader(new Utf8Text(file)));
             CSVParser csv = parser(file, r)) {
            List<String> header = columns(file, csv);
            Map<String, Integer> position = new HashMap<>();
            for (int c = 0; c < header.size(); c++) position.put(header.get(c), c);
            if (!header.contains("id") || !header.contains("label"))
                throw new IllegalArgumentException("manifest " + file + " needs the columns id and label; it has " + header);
            // block id → (index → column position)
            Map<String, TreeMap<Integer, Integer>> blockCols = new LinkedHashMap<>();
            Map<String, Modality> blockModality = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                Matcher m = FEATURE.matcher(header.get(c));
                if (!m.matches()) continue;
                int index;
                try {
                    index = Integer.parseInt(m.group(3));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("manifest " + file + ": column " + header.get(c)
                            + " has an index too large for a feature block");
                }
                Integer twin = blockCols.computeIfAbsent(m.group(2), b -> new TreeMap<>()).put(index, c);
                // "x.0" and "x.00" are one index: one of the two columns would be dropped without a word
                if (twin != null)
                    throw new IllegalArgumentException("manifest " + file + ": columns " + header.get(twin) + " and "
                            + header.get(c) + " are both index " + index + " of feature block " + m.group(2)
                            + "; give each index one column");
                Modality mod = Modality.valueOf(m.group(1).toUpperCase(Locale.ROOT));
                Modality prev = blockModality.put(m.group(2), mod);
                if (prev != null && prev != mod)
                    throw new IllegalArgumentException("manifest " + file + ": block " + m.group(2) + " has two modalities");
            }
            List<FeatureBlock> blocks = new ArrayList<>();
            for (var e : blockCols.entrySet()) {
                TreeMap<Integer, Integer> cols = e.getValue();
                if (cols.firstKey() != 0 || cols.lastKey() != cols.size() - 1)
                    throw new IllegalArgumentException("manifest " + file + ": feature block " + e.getKey()
                            + " must have columns numbered 0.." + (cols.size() - 1));
                blocks.add(new FeatureBlock(e.getKey(), blockModality.get(e.getKey()), cols.size(), FeatureBlock.PRECOMPUTED));
            }
            List<ManifestRow> rows = new ArrayList<>();
            Map<String, Long> lineOfId = new HashMap<>();
            for (CSVRecord rec : records(file, csv)) {
                if (rec.size() != header.size())
                    throw new IllegalArgumentException("manifest " + file + " line " + line(rec) + " has " + rec.size()
                            + " cells; its header has " + header.size());
                Map<String, Path> media = new LinkedHashMap<>();
                for (String col : MEDIA_COLUMNS) {
                    String v = get(rec, position, col);
                    if (!v.isEmpty()) media.put(col, path(file, dir, rec, col, v));
                }
                String tf = get(rec, position, "transcript_file");
                Map<String, float[]> features = new LinkedHashMap<>();
                for (FeatureBlock b : blocks) {
                    float[] v = new float[b.dim()];
                    int filled = 0, firstBlank = -1;
                    for (var c : blockCols.get(b.id()).entrySet()) {
                        String s = rec.get(c.getValue());
                        if (s.isEmpty()) {
                            if (firstBlank < 0) firstBlank = c.getValue();
                            continue;
                        }
                        v[c.getKey()] = feature(file, rec, header.get(c.getValue()), s);
                        filled++;
                    }
                    // A block is there or missing as a whole: a blank cell read as 0 would be a made-up value.
                    if (filled > 0 && filled < b.dim())
                        throw new IllegalArgumentException("manifest " + file + " line " + line(rec) + ": feature block "
                                + b.id() + " has " + filled + " of its " + b.dim() + " cells filled (the first blank: "
                                + header.get(firstBlank) + "); fill them all, or leave them all blank for a missing block");
                    if (filled > 0) features.put(b.id(), v);
                }
                String id = get(rec, position, "id");
                if (id.isEmpty()) throw new IllegalArgumentException("manifest " + file + " line " + line(rec) + " has no id");
                Long first = lineOfId.putIfAbsent(id, line(rec));
                // Features, cached encodings and results are keyed by id: a second row would silently take the first's.
                if (first != null)
                    throw new IllegalArgumentException("manifest " + file + ": id " + id + " is on lines " + first + " and " + line(rec));
                rows.add(new ManifestRow(id, media, get(rec, position, "transcript"),
                        tf.isEmpty() ? null : path(file, dir, rec, "transcript_file", tf), get(rec, position, "label"),
                        get(rec, position, "group"), get(rec, position, "split").toLowerCase(Locale.ROOT), features));
            }
            return new DatasetManifest(file, sha, blocks, rows);
        } catch (IOException e) {
            Utf8Text.refuseIfNotUtf8(e, "manifest");
            throw new UncheckedIOException("reading manifest " + file, e);
        }
    }

    /**
     * The header parsed, with a CSV syntax error and a column without a name (commons-csv's message names no file)
     * answered as the manifest's fault. {@code asr-eval}'s manifests are read so too.
     */
    public static CSVParser parser(Path file, Reader r) throws IOException {
        try {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r);
        } catch (CSVException e) {
            throw malformed(file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest " + file + ": its header has a column with no name ("
                    + e.getMessage() + "); name it, or remove its comma", e);
        }
    }

    /**
     * The header's names without surrounding spaces, each a column moodtag reads and named once: an unknown name
     * ("Group", "speaker", "feat.audio.x.0") or a column named twice would be read from nowhere, or from one of its
     * two places, without a word.
     */
    private static List<String> columns(Path file, CSVParser csv) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : csv.getHeaderNames()) {
            String name = raw.strip();
            String problem = !BASE_COLUMNS.contains(name) && !FEATURE.matcher(name).matches()
                    ? "its header has the column '" + raw + "', which moodtag does not read; the columns are "
                    + String.join(", ", BASE_COLUMNS) + " and feat.<text|speech|video>.<block>.<index>, in lower case"
                    : !seen.add(name) ? "its header names the column " + name + " twice" : null;
            if (problem != null) throw new IllegalArgumentException("manifest " + file + ": " + problem);
            names.add(name);
        }
        return names;
    }

    /**
     * The records. commons-csv reports a syntax error (an unterminated quote) while iterating, wrapped: that is the
     * manifest's fault, and so are bytes that are not UTF-8 text ({@link Utf8Text}); any other read failure stays an
     * I/O failure.
     */
    public static List<CSVRecord> records(Path file, CSVParser csv) {
        try {
            return csv.getRecords();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException syntax) throw malformed(file, syntax);
            Utf8Text.refuseIfNotUtf8(e, "manifest");
            throw e;
        }
    }

    private static IllegalArgumentException malformed(Path file, CSVException e) {
        return new IllegalArgumentException("manifest " + file + " is not well-formed CSV: " + e.getMessage(), e);
    }

    /**
     * A path cell, relative to the manifest's folder: under a C/POSIX locale "café.wav" is no file name at all, and the
     * manifest was refused with a bare InvalidPathException naming neither it, nor the line, nor what to change.
     */
    private static Path path(Path file, Path dir, CSVRecord rec, String column, String cell) {
        try {
            return dir.resolve(cell).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("manifest " + file + " line " + line(rec) + ", " + column + ": '" + cell
                    + "' " + LocalObjectStorage.noFileName(e), e);
        }
    }

    /** A precomputed feature value: a finite number, or the manifest is refused with its line and column. */
    private static float feature(Path file, CSVRecord rec, String column, String cell) {
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("manifest " + file + " line " + line(rec) + ", " + column + ": '" + cell
                    + "' is not a number");
        }
        // NaN, an infinity, or a number beyond float's range, which parses as an infinity: no SVM can use it
        if (!Float.isFinite(v))
            throw new IllegalArgumentException("manifest " + file + " line " + line(rec) + ", " + column + ": '" + cell
                    + "' is not a finite number");
        return v;
    }

    /** The record's line in the file, counting the header as line 1 (a quoted cell may span lines: its first line). */
    private static long line(CSVRecord rec) {
        return rec.getRecordNumber() + 1;
    }

    /** A text cell without surrounding spaces and without the formula guard that {@link #write} puts on one. */
    private static String get(CSVRecord rec, Map<String, Integer> position, String col) {
        Integer c = position.get(col);
        return c != null && c < rec.size() ? SpreadsheetCells.unguard(rec.get(c)).strip() : "";
    }

    /**
     * Writes a manifest: the header, then one list of cells per row (in header order). Its text cells (names, labels,
     * transcripts, from a corpus) are guarded against formula injection for the spreadsheets it is opened in, and
     * {@link #read} drops the guard; feature cells are numbers and written as they are.
     */
    public static void write(Path file, List<String> header, Iterable<List<String>> rows) {
        // Whole or not at all: a full disk left a manifest cut after its last whole line, which train then read as
        // the corpus with fewer rows, without a word
        try {
            WholeFile.write(file, temporary -> writeTo(temporary, header, rows));
        } catch (IOException e) {
            throw new UnwritableFile("the manifest " + file + " cannot be written: " + LocalFailures.inWords(e, file), e);
        }
    }

    private static void writeTo(Path file, List<String> header, Iterable<List<String>> rows) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter p = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                     .setRecordSeparator("\n").get().print(w)) {
            boolean[] text = new boolean[header.size()];
            for (int i = 0; i < text.length; i++) text[i] = !FEATURE.matcher(header.get(i)).matches();
            for (List<String> row : rows) {
                List<String> cells = new ArrayList<>(row);
                for (int i = 0; i < cells.size() && i < text.length; i++) if (text[i]) cells.set(i, SpreadsheetCells.guard(cells.get(i)));
                p.printRecord(cells);
            }
        }
    }
}
