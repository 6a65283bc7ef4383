package dev.moodtag.train;

import dev.moodtag.media.Modality;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Writes a {@link DatasetManifest} for one dataset of the shared data folder (layouts and protocols in its
 * {@code SOURCES.md}). Each adapter also says which protocol and label map the dataset's standard experiment uses.
 */
public sealed interface DatasetAdapter {

    String name();

    /** The fold scheme of the recommended protocol ({@link FoldScheme#parse}). */
    String folds();

    /** The label map of the standard experiment ({@link LabelMap#parse}). */
    String labels();

    /** Writes the manifest; returns the number of rows written. */
    int write(Path dataDir, Path manifest);

    List<DatasetAdapter> ALL = List.of(new EmoDb(), new Meld(), new Ravdess(), new Faces(), new GoEmotions(),
            new MeldGoEmotions());

    static DatasetAdapter named(String name) {
        return ALL.stream().filter(a -> a.name().equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no dataset adapter '" + name + "'; known: "
                        + ALL.stream().map(DatasetAdapter::name).toList()));
    }

    /** EmoDB: 535 wavs, 10 speakers, 7 classes; leave-one-speaker-out. */
    record EmoDb() implements DatasetAdapter {
        public String name() { return "emodb"; }
        public String folds() { return "logo"; }
        public String labels() { return "identity"; }

        public int write(Path dataDir, Path manifest) {
            Path dir = dataDir.resolve("emodb");
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord r : csv(dir.resolve("manifest.csv"))) {
                String file = r.get("file");
                rows.add(List.of(stem(file), rel(manifest, dir.resolve(file)), r.get("emotion"), r.get("speaker")));
            }
            DatasetManifest.write(manifest, List.of("id", "audio", "label", "group"), rows);
            return rows.size();
        }
    }

    /** MELD: text only, official train/dev/test split, 7 classes; group = speaker name. */
    record Meld() implements DatasetAdapter {
        public String name() { return "meld"; }
        public String folds() { return "split"; }
        public String labels() { return "identity"; }

        static final List<String> COLUMNS = List.of("id", "transcript", "label", "group", "split");

        public int write(Path dataDir, Path manifest) {
            List<List<String>> rows = rows(dataDir);
            DatasetManifest.write(manifest, COLUMNS, rows);
            return rows.size();
        }

        /** Rows in {@link #COLUMNS}' order. */
        static List<List<String>> rows(Path dataDir) {
            Path dir = dataDir.resolve("meld");
            List<List<String>> rows = new ArrayList<>();
            for (String split : List.of("train", "dev", "test")) {
                for (CSVRecord r : csv(dir.resolve(split + "_sent_emo.csv"))) {
                    rows.add(List.of(split + "-dia" + r.get("Dialogue_ID") + "_utt" + r.get("Utterance_ID"),
                            r.get("Utterance"), r.get("Emotion"), r.get("Speaker"), split));
                }
            }
            return rows;
        }
    }

    /**
     * RAVDESS feature table: 1,440 clips, 24 actors, 8 classes; the 35 OpenFace AU values as a video block and the
     * 259 "mfcc" values as a speech block (the column split of the upstream code). Actor-independent 6 folds.
     */
    record Ravdess() implements DatasetAdapter {
        public String name() { return "ravdess"; }
        public String folds() { return "grouped:6"; }
        public String labels() { return "identity"; }

        public int write(Path dataDir, Path manifest) {
            Path table = dataDir.resolve("ravdess").resolve("au_mfcc.csv.gz");
            try (Reader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(table)),
                    StandardCharsets.UTF_8));
                 CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                List<String> src = p.getHeaderNames();
                List<String> header = new ArrayList<>(List.of("id", "label", "group"));
                List<Integer> featureCols = new ArrayList<>();
                for (int c = 0; c < src.size(); c++) {
                    String h = src.get(c);
                    if (h.startsWith("au_")) header.add(DatasetManifest.featureColumn(Modality.VIDEO, "au", Integer.parseInt(h.substring(3))));
                    else if (h.startsWith("mfcc_")) header.add(DatasetManifest.featureColumn(Modality.SPEECH, "mfcc", Integer.parseInt(h.substring(5))));
                    else continue;
                    featureCols.add(c);
                }
                List<List<String>> rows = new ArrayList<>();
                for (CSVRecord r : p) {
                    List<String> row = new ArrayList<>(List.of(r.get("clip_id"), r.get("emotion"), "actor" + r.get("actor")));
                    for (int c : featureCols) row.add(r.get(c));
                    rows.add(row);
                }
                DatasetManifest.write(manifest, header, rows);
                return rows.size();
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + table, e);
            }
        }
    }

    /**
     * Faces: 2,344 greyscale face crops, 7 labels; the standard experiment is stratified 5-fold on four classes.
     * group = the identity (file name without its trailing number) for the stricter grouped variant.
     */
    record Faces() implements DatasetAdapter {
        public String name() { return "faces"; }
        public String folds() { return "stratified:5"; }
        public String labels() { return "4class"; }

        public int write(Path dataDir, Path manifest) {
            Path dir = dataDir.resolve("faces");
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord r : csv(dir.resolve("manifest.csv"))) {
                String file = r.get("file");
                String stem = stem(file);
                rows.add(List.of(stem, rel(manifest, dir.resolve(file)), r.get("label"), stem.replaceFirst("_\\d+$", "")));
            }
            DatasetManifest.write(manifest, List.of("id", "image", "label", "group"), rows);
            return rows.size();
        }
    }

    /**
     * GoEmotions (Ekman): Reddit comments, official split. Only single-label comments are written (about 91 %);
     * a multi-label comment has no one true class for a single-label classifier.
     */
    record GoEmotions() implements DatasetAdapter {
        public String name() { return "goemotions"; }
        public String folds() { return "split"; }
        public String labels() { return "identity"; }

        public int write(Path dataDir, Path manifest) {
            List<List<String>> rows = new ArrayList<>();
            for (String split : List.of("train", "dev", "test")) rows.addAll(rows(dataDir, split));
            DatasetManifest.write(manifest, List.of("id", "transcript", "label", "split"), rows);
            return rows.size();
        }

        /** The single-label comments of one split as {@code id, transcript, label, split}. */
        static List<List<String>> rows(Path dataDir, String split) {
            Path dir = dataDir.resolve("goemotions");
            try {
                List<String> labels = List.of(Files.readString(dir.resolve("labels.txt")).strip().split("\\R"));
                List<List<String>> rows = new ArrayList<>();
                for (String line : Files.readAllLines(dir.resolve(split + ".tsv"), StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t");
                    if (f.length < 3 || f[1].contains(",")) continue;
                    rows.add(List.of(f[2], f[0], labels.get(Integer.parseInt(f[1].strip())), split));
                }
                return rows;
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + dir, e);
            }
        }
    }

    /**
     * MELD's official split with GoEmotions' single-label training comments (39,555) added to its training rows: the
     * same 7 classes (both say joy, sadness, anger, neutral, surprise, fear, disgust), so the text part learns from
     * Reddit as well as from Friends. Dev (which chooses C) and test stay MELD's own, so the figures answer for MELD;
     * GoEmotions' dev and test splits are not used. All training comments are kept: bge-small embedded about 50
     * texts/s on the loaded 2-core box, so they cost about 15 minutes once, and the feature cache keeps them.
     * group = the MELD speaker, or {@code goemotions}.
     */
    record MeldGoEmotions() implements DatasetAdapter {
        public String name() { return "meld-goemotions"; }
        public String folds() { return "split"; }
        public String labels() { return "identity"; }

        public int write(Path dataDir, Path manifest) {
            List<List<String>> rows = new ArrayList<>(Meld.rows(dataDir));
            for (List<String> r : GoEmotions.rows(dataDir, "train"))
                rows.add(List.of("goemotions-" + r.get(0), r.get(1), r.get(2), "goemotions", "train"));
            DatasetManifest.write(manifest, Meld.COLUMNS, rows);
            return rows.size();
        }
    }

    private static List<CSVRecord> csv(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            return p.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static String rel(Path manifest, Path file) {
        Path base = manifest.toAbsolutePath().normalize().getParent();
        return base.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private static String stem(String file) {
        String name = Path.of(file).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
