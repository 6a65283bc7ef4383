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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    List<DatasetAdapter> ALL = List.of(new EmoDb(), new Meld(), new Ravdess(), new RavdessSpeech(), new SpeechPooled(),
            new Faces(), new GoEmotions(), new MeldGoEmotions(), new Fer2013(), new FacesCrossCorpus(FacesCrossCorpus.Direction.FER2013_TO_FACES),
            new FacesCrossCorpus(FacesCrossCorpus.Direction.FACES_TO_FER2013));

    /**
     * Writes {@code adapter}'s manifest from {@code dataDir}, saying in one line what is missing where the data folder
     * or one of the dataset's files is not there (an input the command cannot use; it was an
     * {@code UncheckedIOException}'s stack trace).
     */
    static int writeManifest(DatasetAdapter adapter, Path dataDir, Path manifest) {
        Path where = dataDir.toAbsolutePath().normalize();
        if (!Files.exists(dataDir))
            throw new IllegalArgumentException("the shared data folder " + dataDir + " does not exist (" + where
                    + "): set moodtag.train.data-dir (MOODTAG_TRAIN_DATA_DIR), or give moodtag dataset --data DIR");
        if (!Files.isDirectory(dataDir))
            throw new IllegalArgumentException("the shared data folder " + dataDir + " is not a folder (" + where + ")");
        try {
            return adapter.write(dataDir, manifest);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof java.nio.file.NoSuchFileException missing)) throw e;
            throw new IllegalArgumentException("dataset " + adapter.name() + ": " + missing.getFile() + " does not exist; is "
                    + dataDir + " (" + where + ") the shared data folder (--data, moodtag.train.data-dir)?", e);
        }
    }

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
            try (CSVParser p = gzipCsv(table)) {
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
     * RAVDESS speech: the 1,440 audio-only speech clips (16 kHz FLAC, 24 actors, 8 classes) for the product's speech
     * encoders, each with the 35 OpenFace AU values of the same performance ({@code av_clip_id} → {@code clip_id} of
     * the AU+MFCC table) as a precomputed video block {@code au}: real speech and real facial features of one
     * utterance. No transcript: the two fixed sentences carry no emotion. Actor-independent 6 folds.
     */
    record RavdessSpeech() implements DatasetAdapter {
        public String name() { return "ravdess-speech"; }
        public String folds() { return "grouped:6"; }
        public String labels() { return "identity"; }

        public int write(Path dataDir, Path manifest) {
            Path dir = dataDir.resolve("ravdess");
            Map<String, List<String>> aus = auByClip(dir.resolve("au_mfcc.csv.gz"));
            int dim = aus.values().iterator().next().size();
            List<String> header = new ArrayList<>(List.of("id", "audio", "label", "group"));
            for (int i = 0; i < dim; i++) header.add(DatasetManifest.featureColumn(Modality.VIDEO, "au", i));
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord r : csv(dir.resolve("speech.csv"))) {
                List<String> au = aus.get(r.get("av_clip_id"));
                if (au == null) throw new IllegalArgumentException(dir.resolve("speech.csv") + ": clip " + r.get("file")
                        + " names av_clip_id " + r.get("av_clip_id") + ", which the AU table does not have");
                String file = r.get("file");
                List<String> row = new ArrayList<>(List.of(stem(file), rel(manifest, dir.resolve(file)), r.get("emotion"),
                        "actor" + r.get("actor")));
                row.addAll(au);
                rows.add(row);
            }
            DatasetManifest.write(manifest, header, rows);
            return rows.size();
        }

        /** clip id → the AU values (au_0, au_1, ... in column order) of the AU+MFCC table. */
        private static Map<String, List<String>> auByClip(Path table) {
            try (CSVParser p = gzipCsv(table)) {
                List<Integer> cols = new ArrayList<>();
                List<String> names = p.getHeaderNames();
                for (int c = 0; c < names.size(); c++) if (names.get(c).startsWith("au_")) cols.add(c);
                cols.sort(java.util.Comparator.comparingInt(c -> Integer.parseInt(names.get(c).substring(3))));
                Map<String, List<String>> out = new HashMap<>();
                for (CSVRecord r : p) out.put(r.get("clip_id"), cols.stream().map(r::get).toList());
                if (out.isEmpty()) throw new IllegalArgumentException(table + " has no rows");
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + table, e);
            }
        }
    }

    /**
     * EmoDB and RAVDESS speech pooled (two languages, 34 speakers), speech only, for the cross-corpus protocol: the
     * group is {@code corpus:speaker}, so {@code --folds corpus} holds out one corpus and the inner grid folds stay
     * grouped by speaker. Four classes; RAVDESS {@code calm} is left out (measured: mapping it to neutral lowers
     * cross-corpus UA, see TRAINING.md).
     */
    record SpeechPooled() implements DatasetAdapter {
        public String name() { return "speech-pooled"; }
        public String folds() { return "corpus"; }
        public String labels() { return "4class"; }

        public int write(Path dataDir, Path manifest) {
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord r : csv(dataDir.resolve("emodb").resolve("manifest.csv"))) {
                String file = r.get("file");
                rows.add(List.of(stem(file), rel(manifest, dataDir.resolve("emodb").resolve(file)), r.get("emotion"),
                        FoldScheme.corpusGroup("emodb", r.get("speaker"))));
            }
            for (CSVRecord r : csv(dataDir.resolve("ravdess").resolve("speech.csv"))) {
                String file = r.get("file");
                rows.add(List.of(stem(file), rel(manifest, dataDir.resolve("ravdess").resolve(file)), r.get("emotion"),
                        FoldScheme.corpusGroup("ravdess", "actor" + r.get("actor"))));
            }
            DatasetManifest.write(manifest, List.of("id", "audio", "label", "group"), rows);
            return rows.size();
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
     * FER-2013: 35,887 48×48 grey face crops, 7 classes, in the official splits: train, PublicTest as dev (it
     * selects C and gamma), PrivateTest as test (the split papers report). group = the corpus: there are no
     * subject ids.
     */
    record Fer2013() implements DatasetAdapter {
        public String name() { return "fer2013"; }
        public String folds() { return "split"; }
        public String labels() { return "identity"; }

        public int write(Path dataDir, Path manifest) {
            List<List<String>> rows = fer2013Rows(dataDir, manifest, Map.of("train", "train", "publictest", "dev",
                    "privatetest", "test"));
            DatasetManifest.write(manifest, faceColumns(), rows);
            return rows.size();
        }
    }

    /**
     * Leave-one-corpus-out for faces, 4 classes: one corpus trains (FER-2013 train with PublicTest as dev, or the
     * whole faces set with inner folds), the other is the test split (the whole faces set, or FER-2013
     * PrivateTest). group = the corpus, so the rows say where they come from.
     */
    record FacesCrossCorpus(Direction direction) implements DatasetAdapter {
        public enum Direction { FER2013_TO_FACES, FACES_TO_FER2013 }

        public String name() {
            return direction == Direction.FER2013_TO_FACES ? "fer2013-to-faces" : "faces-to-fer2013";
        }

        public String folds() { return "split"; }
        public String labels() { return "4class"; }

        public int write(Path dataDir, Path manifest) {
            boolean ferTrains = direction == Direction.FER2013_TO_FACES;
            List<List<String>> rows = new ArrayList<>(fer2013Rows(dataDir, manifest, ferTrains
                    ? Map.of("train", "train", "publictest", "dev") : Map.of("privatetest", "test")));
            rows.addAll(facesRows(dataDir, manifest, ferTrains ? "test" : "train"));
            DatasetManifest.write(manifest, faceColumns(), rows);
            return rows.size();
        }
    }

    /** Columns of the face-picture manifests that carry a split. */
    private static List<String> faceColumns() {
        return List.of("id", "image", "label", "group", "split");
    }

    /** FER-2013 rows of the given upstream splits, renamed to manifest splits; the others are left out. */
    private static List<List<String>> fer2013Rows(Path dataDir, Path manifest, Map<String, String> splits) {
        Path dir = dataDir.resolve("fer2013");
        List<List<String>> rows = new ArrayList<>();
        for (CSVRecord r : csv(dir.resolve("labels.csv"))) {
            String split = splits.get(r.get("split"));
            if (split == null) continue;
            String file = r.get("file");
            // The id is the picture's path without its extension: two training pictures share a file name under two
            // classes (Training_8475486, Training_52789098), and rows are keyed by id.
            rows.add(List.of(file.replaceFirst("\\.[^./]*$", ""), rel(manifest, dir.resolve(file)), r.get("emotion"),
                    "fer2013", split));
        }
        return rows;
    }

    /** Every faces row in one split; group = the corpus (the identity is not needed across corpora). */
    private static List<List<String>> facesRows(Path dataDir, Path manifest, String split) {
        Path dir = dataDir.resolve("faces");
        List<List<String>> rows = new ArrayList<>();
        for (CSVRecord r : csv(dir.resolve("manifest.csv"))) {
            String file = r.get("file");
            rows.add(List.of(stem(file), rel(manifest, dir.resolve(file)), r.get("label"), "faces", split));
        }
        return rows;
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

    /** A gzip CSV with a header row; closing the parser closes the file. */
    private static CSVParser gzipCsv(Path table) throws IOException {
        Reader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(table)), StandardCharsets.UTF_8));
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
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
