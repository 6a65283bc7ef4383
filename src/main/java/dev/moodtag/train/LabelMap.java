package dev.moodtag.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
     * (classes in order of first appearance), or inline {@code raw=class,raw=class,...} ({@code raw} alone keeps
     * it as its own class).
     */
    public static LabelMap parse(String spec) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("identity")) return new LabelMap("identity", List.of(), Map.of(), true);
        if (s.equalsIgnoreCase("4class")) return inline("4class", FOUR_CLASS);
        if (s.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            try {
                List<String> pairs = new ArrayList<>();
                for (String line : Files.readAllLines(Path.of(s))) {
                    String t = line.strip();
                    if (t.isEmpty() || t.startsWith("#") || t.equalsIgnoreCase("raw,class")) continue;
                    pairs.add(t.replaceFirst(",", "="));
                }
                return inline(Path.of(s).getFileName().toString(), String.join(",", pairs));
            } catch (IOException e) {
                throw new UncheckedIOException("reading label map " + s, e);
            }
        }
        return inline(s, s);
    }

    private static LabelMap inline(String name, String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> classes = new ArrayList<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) continue;
            String[] kv = pair.split("=", 2);
            String raw = kv[0].strip().toLowerCase(Locale.ROOT);
            String cls = (kv.length > 1 ? kv[1] : kv[0]).strip();
            if (m.put(raw, cls) != null) throw new IllegalArgumentException("label map " + name + " maps '" + raw + "' twice");
            if (!classes.contains(cls)) classes.add(cls);
        }
        if (classes.isEmpty()) throw new IllegalArgumentException("label map " + name + " names no class");
        return new LabelMap(name, classes, m, false);
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
