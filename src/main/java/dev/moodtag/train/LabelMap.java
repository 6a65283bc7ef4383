package dev.moodtag.train;

import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.Utf8Text;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a dataset's raw labels onto the class set a classifier learns. Matching is case-insensitive. A raw label
 * the map does not name maps to nothing; such rows are reported and skipped.
 *
 * @param name     how the map was given ({@code 4class}, a file name, ...), for reports
 * @param classes  the class set, in order (index = class number); null entries never occur
 * @param mapping  raw label (lower case) → class name; empty for the identity map
 * @param identity every raw label is its own class (classes then come from the data, sorted)
 */
public record LabelMap(String name, List<String> classes, Map<String, String> mapping, boolean identity) {

    public LabelMap {
        classes = List.copyOf(classes);
        mapping = Map.copyOf(mapping);
    }

    /**
     * IEMOCAP-style four classes (the paper's set): neutral, happy (happiness, joy, excited), sad (sadness),
     * angry (anger). Everything else (fear, disgust, surprise, boredom, calm, frustration, ...) is skipped.
     */
    public static final String FOUR_CLASS = "neutral=neutral,happy=happy,happiness=happy,joy=happy,excited=happy,"
            + "sad=sad,sadness=sad,angry=angry,anger=angry";

    /**
     * {@code identity} (classes = the distinct raw labels, sorted), {@code 4class}, a CSV file {@code raw,class}
     * (classes in order of first appearance; any value that looks like a path is one), or inline
     * {@code raw=class,raw=class,...} ({@code raw} alone keeps it as its own class).
     */
    public static LabelMap parse(String spec) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("identity")) return new LabelMap("identity", List.of(), Map.of(), true);
        if (s.equalsIgnoreCase("4class")) return parse(FOUR_CLASS).renamed("4class");
        if (s.toLowerCase(Locale.ROOT).endsWith(".csv") || looksLikeAPath(s)) return file(Path.of(s));
        List<String[]> pairs = new ArrayList<>();
        for (String pair : s.split(",")) {
            if (pair.isBlank()) continue;
            String[] kv = pair.split("=", 2);
            pairs.add(new String[]{kv[0], kv.length > 1 ? kv[1] : kv[0]});
        }
        return of(s, pairs);
    }

    /**
     * Whether {@code spec} names a file rather than listing labels: a folder separator or a file name's ending, and
     * neither of an inline list's separators ({@code ,} {@code =}). A path that is not there ({@code --labels
     * /proc/x}, a misspelt {@code maps/four.txt}) was taken as an inline list of one label, and the training failed
     * after its start on "keeps none of its rows", never saying the file was missing; a label holding a slash
     * ({@code anger/frustration=angry}) stays inline by its {@code =}.
     */
    private static boolean looksLikeAPath(String spec) {
        if (spec.contains(",") || spec.contains("=")) return false;
        String lower = spec.toLowerCase(Locale.ROOT);
        return spec.contains("/") || lower.endsWith(".json") || lower.endsWith(".txt");
    }

    /** A label map file: RFC 4180 CSV as spreadsheets save it (byte order mark, CRLF, quotes), {@code #} comments. */
    private static final CSVFormat FILE = CSVFormat.DEFAULT.builder().setCommentMarker('#').setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true).get();

    /**
     * Read as CSV: it was split at each line's first comma, so a byte order mark made the header {@code raw,class} a
     * mapping (and "class" a class without rows), and a quoted label holding a comma or an equals sign another label.
     */
    private static LabelMap file(Path file) {
        String name = file.getFileName().toString();
        List<String[]> pairs = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new Utf8Text(file))) {
            r.mark(1);
            if (r.read() != '\uFEFF') r.reset();
            try (CSVParser csv = FILE.parse(r)) {
                for (CSVRecord rec : csv) {
                    String raw = rec.get(0).strip(), cls = rec.size() > 1 ? rec.get(1).strip() : raw;
                    if (rec.getRecordNumber() == 1 && raw.equalsIgnoreCase("raw") && cls.equalsIgnoreCase("class")) continue;
                    if (rec.size() > 2 || raw.isEmpty() || cls.isEmpty())
                        throw new IllegalArgumentException("label map " + file + " line " + csv.getCurrentLineNumber()
                                + ": a row is a raw label and its class (raw,class), or a raw label alone; it has "
                                + rec.toList());
                    pairs.add(new String[]{raw, cls});
                }
            } catch (UncheckedIOException e) {
                Utf8Text.refuseIfNotUtf8(e, "label map");
                // commons-csv reports a syntax error (an unclosed quote) while iterating
                throw new IllegalArgumentException("label map " + file + " is not well-formed CSV: " + e.getCause().getMessage(), e);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("label map " + file + " does not exist (" + file.toAbsolutePath().normalize() + ")", e);
        } catch (IOException e) {
            Utf8Text.refuseIfNotUtf8(e, "label map");
            // "reading label map X" alone did not say what was wrong (a folder, no permission)
            throw new IllegalArgumentException("label map " + file + " cannot be read: " + LocalFailures.inWords(e, file), e);
        }
        return of(name, pairs);
    }

    private static LabelMap of(String name, List<String[]> pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> classes = new ArrayList<>();
        for (String[] pair : pairs) {
            String raw = pair[0].strip().toLowerCase(Locale.ROOT);
            String cls = pair[1].strip();
            // "angry=" (a typo) trained the rows as a class named "", which every result then gave as its label
            if (raw.isEmpty() || cls.isEmpty())
                throw new IllegalArgumentException("label map " + name + " has '" + pair[0].strip() + "=" + pair[1].strip()
                        + "': each entry is raw=class (or a raw label alone, its own class), neither blank");
            if (m.put(raw, cls) != null) throw new IllegalArgumentException("label map " + name + " maps '" + raw + "' twice");
            if (!classes.contains(cls)) classes.add(cls);
        }
        if (classes.isEmpty()) throw new IllegalArgumentException("label map " + name + " names no class");
        return new LabelMap(name, classes, m, false);
    }

    private LabelMap renamed(String newName) {
        return new LabelMap(newName, classes, mapping, identity);
    }

    /** The map with the identity's classes taken from the data (a no-op for explicit maps). */
    public LabelMap resolve(List<String> rawLabels) {
        if (!identity) return this;
        // Matching is case-insensitive, so "Angry" and "angry" are one class (spelt as the first in sorted order):
        // two would leave one of them without rows.
        Map<String, String> m = new LinkedHashMap<>();
        rawLabels.stream().filter(l -> l != null && !l.isBlank()).map(String::strip).distinct().sorted()
                .forEach(c -> m.putIfAbsent(c.toLowerCase(Locale.ROOT), c));
        List<String> cls = m.values().stream().sorted().toList();
        return new LabelMap(name, cls, m, false);
    }

    /** The class number of a raw label, or empty when the map leaves it out. */
    public Optional<Integer> classOf(String raw) {
        if (raw == null) return Optional.empty();
        String cls = mapping.get(raw.strip().toLowerCase(Locale.ROOT));
        return cls == null ? Optional.empty() : Optional.of(classes.indexOf(cls));
    }
}
