package dev.moodtag.train;

import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.media.Modality;
import dev.moodtag.support.FormulaCells;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetManifestTest {

    /**
     * A manifest written by {@code moodtag dataset} holds names and transcripts from a corpus (MELD's utterances
     * start with "-" or "="): opened in a spreadsheet, none of its text cells is a formula (OWASP CSV injection), the
     * features stay numbers, and {@code train} reads every cell back as it was.
     */
    @Test
    void aWrittenManifestHasNoFormulaCellsAndReadsBackAsItWas(@TempDir Path dir) throws Exception {
        List<String> cells = FormulaCells.grid();
        List<String> header = List.of("id", "audio", "transcript", "label", "group", "feat.speech.b.0", "feat.speech.b.1");
        List<List<String>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i), d = cells.get(cells.size() - 1 - i);
            rows.add(List.of(c + "#" + i, d + ".wav", c, d, c, "-3.2", "+" + i));
        }
        Path m = dir.resolve("m.csv");
        DatasetManifest.write(m, header, rows);
        List<String> wrong = new java.util.ArrayList<>();
        try (var p = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(m))) {
            for (var rec : p) {
                for (String column : List.of("id", "audio", "transcript", "label", "group"))
                    if (FormulaCells.isFormula(rec.get(column))) wrong.add(column + " is a formula: " + rec.get(column));
                if (!rec.get("feat.speech.b.0").equals("-3.2")) wrong.add("a feature changed: " + rec.get("feat.speech.b.0"));
            }
        }
        List<ManifestRow> back = DatasetManifest.read(m).rows();
        for (int i = 0; i < rows.size(); i++) {
            List<String> w = rows.get(i);
            ManifestRow r = back.get(i);
            // a manifest's cells are read without surrounding spaces, as before any guard
            List<String> expected = List.of(w.get(0).strip(), dir.resolve(w.get(1).strip()).normalize().toString(),
                    w.get(2).strip(), w.get(3).strip(), w.get(4).strip());
            List<String> read = List.of(r.id(), r.media().get("audio").toString(), r.transcript(), r.label(), r.group());
            if (!read.equals(expected)) wrong.add("reads back as " + read + ", not " + expected);
            if (r.features().get("b")[0] != -3.2f || r.features().get("b")[1] != i) wrong.add("features " + Arrays.toString(r.features().get("b")));
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong, the first: " + wrong.subList(0, Math.min(20, wrong.size())));
    }

    @Test
    void readsPathsTranscriptsSplitsAndPrecomputedBlocks(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("sets").resolve("m.csv");
        Files.createDirectories(m.getParent());
        Files.writeString(m, """
                id,audio,transcript,label,group,split,feat.video.au.0,feat.video.au.1,feat.speech.mfcc.0
                u1,../wav/u1.wav,"Hello, there",Joy,spk1,TRAIN,0.5,1,-3
                u2,,,excited,spk2,test,,,2
                u3,,,frustrated,spk2,test,1,1,1
                """);
        DatasetManifest d = DatasetManifest.read(m);
        assertEquals(64, d.sha256().length());
        assertEquals(List.of("au", "mfcc"), d.precomputed().stream().map(b -> b.id()).toList());
        assertEquals(Modality.VIDEO, d.precomputed().get(0).modality());
        assertEquals(2, d.precomputed().get(0).dim());
        ManifestRow u1 = d.rows().get(0);
        assertEquals(dir.resolve("wav/u1.wav").toAbsolutePath().normalize(), u1.media().get("audio"));
        assertEquals("Hello, there", u1.transcript());
        assertEquals("train", u1.split());
        assertTrue(u1.hasEncoderInput());
        assertFalse(d.rows().get(1).hasEncoderInput());
        assertNull(d.rows().get(1).features().get("au"), "an empty block is a missing block");

        // 4 classes: joy and excited are happy; frustrated is reported and skipped
        FeatureTable t = FeatureTable.build(d, LabelMap.parse("4class"), new FeatureLayout(List.of()), Map.of(), Map.of(), false);
        assertEquals(List.of("neutral", "happy", "sad", "angry"), t.classes());
        assertEquals(2, t.size());
        assertEquals(1, t.labels()[0]);
        assertEquals(1, t.labels()[1]);
        assertEquals(Map.of("frustrated", 1), t.skippedLabels());
        assertNull(t.samples().get(1)[0]);
        assertEquals(2f, t.samples().get(1)[1][0]);
    }

    @Test
    void labelMaps() {
        LabelMap inline = LabelMap.parse("ang=anger,hap=happiness,exc=happiness,neu");
        assertEquals(List.of("anger", "happiness", "neu"), inline.classes());
        assertEquals(1, inline.classOf("EXC").orElseThrow());
        assertTrue(inline.classOf("sad").isEmpty());
        LabelMap identity = LabelMap.parse("identity").resolve(List.of("sad", "angry", "sad", ""));
        assertEquals(List.of("angry", "sad"), identity.classes());
        // Matching is case-insensitive, so spellings are one class: before, "angry" and "sad" were classes without rows.
        LabelMap spelt = LabelMap.parse("identity").resolve(List.of("Angry", "angry", "sad", "Sad", "ANGRY"));
        assertEquals(List.of("ANGRY", "Sad"), spelt.classes());
        assertEquals(0, spelt.classOf("angry").orElseThrow());
        assertEquals(1, spelt.classOf("sad").orElseThrow());
    }

    @Test
    void aPrecomputedBlockIsThereOrMissingAsAWhole(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m.csv");
        String head = "id,label,feat.speech.x.0,feat.speech.x.1,feat.speech.x.2\n";
        Files.writeString(m, head + "a,sad,1,2,3\nb,sad,,,\n");
        DatasetManifest ok = DatasetManifest.read(m);
        assertEquals(3, ok.rows().get(0).features().get("x").length);
        assertNull(ok.rows().get(1).features().get("x"), "all blank: the block is missing");
        Files.writeString(m, head + "a,sad,1,2,3\nb,sad,1.5,,\n");
        var e = assertThrows(IllegalArgumentException.class, () -> DatasetManifest.read(m));
        assertTrue(e.getMessage().contains("line 3: feature block x has 1 of its 3 cells filled (the first blank: "
                + "feat.speech.x.1)"), e.getMessage());
    }

    /**
     * Before, header names were matched exactly and any other column was dropped without a word: a UTF-8 byte order
     * mark before "group", " group" or "Group" left every row without a group, and "auto" folds then put one
     * speaker on both sides of a fold without the report saying so.
     */
    @Test
    void headerNamesAreReadPastAByteOrderMarkAndSpacesAndAnUnknownColumnIsRefused(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m.csv");
        String rows = "u1,sad,spk1,0.5\nu2,angry,spk2,1\n";
        for (String head : List.of("\uFEFFgroup,id,label,feat.speech.x.0", " group, id ,label ,feat.speech.x.0 ")) {
            Files.writeString(m, head + "\nspk1,u1,sad,0.5\nspk2,u2,angry,1\n", java.nio.charset.StandardCharsets.UTF_8);
            DatasetManifest d = DatasetManifest.read(m);
            assertEquals(List.of("spk1", "spk2"), d.rows().stream().map(ManifestRow::group).toList(), head);
            assertEquals(List.of("u1", "u2"), d.rows().stream().map(ManifestRow::id).toList(), head);
            assertEquals(List.of("x"), d.precomputed().stream().map(b -> b.id()).toList(), head);
        }
        for (String column : List.of("Group", "speaker", "feat.audio.x.0", "feat.speech.x", "Feat.speech.y.0")) {
            Files.writeString(m, "id,label," + column + ",feat.speech.x.0\n" + rows);
            var e = assertThrows(IllegalArgumentException.class, () -> DatasetManifest.read(m), column);
            assertTrue(e.getMessage().contains(m.toString()) && e.getMessage().contains("'" + column + "'"), e.getMessage());
        }
    }

    /** Before, "feat.speech.x.0" and "feat.speech.x.00" were both index 0, and one of the two columns was dropped. */
    @Test
    void twoSpellingsOfOneFeatureIndexAreRefused(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m.csv");
        Files.writeString(m, "id,label,feat.speech.x.0,feat.speech.x.00,feat.speech.x.1\nu1,sad,1,2,3\n");
        var e = assertThrows(IllegalArgumentException.class, () -> DatasetManifest.read(m));
        assertTrue(e.getMessage().contains(m.toString()) && e.getMessage().contains("feat.speech.x.0")
                && e.getMessage().contains("feat.speech.x.00"), e.getMessage());
    }

    /** Before, a blank header name (a trailing comma) failed with commons-csv's message, which names no file. */
    @Test
    void aHeaderWithABlankNameIsRefusedNamingTheManifest(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m.csv");
        for (String header : List.of("id,label,", "id,,label", "id,label, ")) {
            Files.writeString(m, header + "\nu1,sad,\n");
            var e = assertThrows(IllegalArgumentException.class, () -> DatasetManifest.read(m), header);
            assertTrue(e.getMessage().contains(m.toString()) && e.getMessage().contains("no name"), e.getMessage());
        }
    }

    @Test
    void adaptersWriteManifestsForTheSharedData(@TempDir Path dir) {
        Path data = Fixtures.shared("data");
        Map<String, Integer> expected = Map.of("emodb", 535, "ravdess", 1440, "faces", 2344, "meld", 13708);
        for (var e : expected.entrySet()) {
            Path m = dir.resolve(e.getKey() + ".csv");
            assertEquals(e.getValue(), DatasetAdapter.named(e.getKey()).write(data, m));
            DatasetManifest d = DatasetManifest.read(m);
            assertEquals(e.getValue(), d.rows().size());
            ManifestRow first = d.rows().get(0);
            first.media().values().forEach(p -> assertTrue(Files.isRegularFile(p), p + " exists"));
            assertFalse(first.group().isEmpty() && !e.getKey().equals("meld"));
        }
        DatasetManifest rav = DatasetManifest.read(dir.resolve("ravdess.csv"));
        assertEquals(List.of(35, 259), rav.precomputed().stream().map(b -> b.dim()).toList());
        assertEquals(24, rav.rows().stream().map(ManifestRow::group).distinct().count());
        assertEquals(1440, DatasetAdapter.named("ravdess-speech").write(data, dir.resolve("ravdess-speech.csv")));
        DatasetManifest speech = DatasetManifest.read(dir.resolve("ravdess-speech.csv"));
        assertEquals(List.of("au"), speech.precomputed().stream().map(b -> b.id()).toList());
        assertEquals(35, speech.precomputed().get(0).dim());
        assertEquals(24, speech.rows().stream().map(ManifestRow::group).distinct().count());
        // the AU block of a speech clip is the row of the same performance (03-... audio-only → 01-... full AV)
        ManifestRow clip = speech.rows().stream().filter(r -> r.id().equals("03-01-05-02-01-02-12")).findFirst().orElseThrow();
        ManifestRow av = rav.rows().stream().filter(r -> r.id().equals("01-01-05-02-01-02-12")).findFirst().orElseThrow();
        assertTrue(Arrays.equals(av.features().get("au"), clip.features().get("au")));
        assertEquals(av.label(), clip.label());
        assertTrue(Files.isRegularFile(clip.media().get("audio")));
        assertEquals(1975, DatasetAdapter.named("speech-pooled").write(data, dir.resolve("speech-pooled.csv")));
        DatasetManifest pooled = DatasetManifest.read(dir.resolve("speech-pooled.csv"));
        assertEquals(34, pooled.rows().stream().map(ManifestRow::group).distinct().count());
        assertEquals(Set.of("emodb", "ravdess"), pooled.rows().stream().map(r -> FoldScheme.corpusOf(r.group())).collect(Collectors.toSet()));
        DatasetManifest meld = DatasetManifest.read(dir.resolve("meld.csv"));
        assertEquals(2610, meld.rows().stream().filter(r -> r.split().equals("test")).count());
    }

    @Test
    void fer2013KeepsTheOfficialSplitAndTheCrossCorpusManifestsPutOneCorpusOnEachSide(@TempDir Path dir) {
        Path data = Fixtures.shared("data");
        Path fer = dir.resolve("fer2013.csv");
        assertEquals(35887, DatasetAdapter.named("fer2013").write(data, fer));
        Map<String, Long> splits = DatasetManifest.read(fer).rows().stream()
                .collect(java.util.stream.Collectors.groupingBy(ManifestRow::split, java.util.stream.Collectors.counting()));
        assertEquals(Map.of("train", 28709L, "dev", 3589L, "test", 3589L), splits);
        // Two training pictures share a file name under two classes: two rows, each with its own id (reading the
        // manifest refuses duplicate ids, so this test failed before the ids were made unique)
        assertEquals(List.of("train/neutral/Training_52789098", "train/surprise/Training_52789098"),
                DatasetManifest.read(fer).rows().stream().map(ManifestRow::id).filter(id -> id.endsWith("/Training_52789098"))
                        .sorted().toList());
        ManifestRow first = DatasetManifest.read(fer).rows().get(0);
        first.media().values().forEach(p -> assertTrue(Files.isRegularFile(p), p + " exists"));
        assertEquals("split", DatasetAdapter.named("fer2013").folds());

        for (String name : List.of("fer2013-to-faces", "faces-to-fer2013")) {
            Path m = dir.resolve(name + ".csv");
            DatasetAdapter.named(name).write(data, m);
            Map<String, java.util.Set<String>> corporaPerSplit = DatasetManifest.read(m).rows().stream()
                    .collect(java.util.stream.Collectors.groupingBy(ManifestRow::split,
                            java.util.stream.Collectors.mapping(ManifestRow::group, java.util.stream.Collectors.toSet())));
            String train = name.startsWith("fer2013") ? "fer2013" : "faces";
            String test = name.startsWith("fer2013") ? "faces" : "fer2013";
            assertEquals(java.util.Set.of(train), corporaPerSplit.get("train"), name);
            assertEquals(java.util.Set.of(test), corporaPerSplit.get("test"), name);
            assertEquals("4class", DatasetAdapter.named(name).labels());
        }
        // FER-2013's PrivateTest is the test side of faces → FER-2013; its train pictures never appear there.
        assertEquals(2344 + 3589, DatasetManifest.read(dir.resolve("faces-to-fer2013.csv")).rows().size());
        assertEquals(28709 + 3589 + 2344, DatasetManifest.read(dir.resolve("fer2013-to-faces.csv")).rows().size());
    }

    @Test
    void meldWithGoEmotionsAddsRedditCommentsToTrainingOnly(@TempDir Path dir) {
        Path data = Fixtures.shared("data");
        Path m = dir.resolve("meld-goemotions.csv");
        assertEquals(13708 + 39555, DatasetAdapter.named("meld-goemotions").write(data, m));
        DatasetManifest both = DatasetManifest.read(m);
        DatasetManifest meld = DatasetManifest.read(writeMeld(data, dir));
        for (String split : List.of("dev", "test"))
            assertEquals(meld.rows().stream().filter(r -> r.split().equals(split)).map(ManifestRow::id).toList(),
                    both.rows().stream().filter(r -> r.split().equals(split)).map(ManifestRow::id).toList(),
                    split + " is MELD's own");
        List<ManifestRow> reddit = both.rows().stream().filter(r -> r.group().equals("goemotions")).toList();
        assertEquals(39555, reddit.size());
        assertTrue(reddit.stream().allMatch(r -> r.split().equals("train") && r.id().startsWith("goemotions-")));
        assertEquals(java.util.Set.of("anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"),
                reddit.stream().map(ManifestRow::label).collect(java.util.stream.Collectors.toSet()),
                "the same 7 names as MELD, so one label map serves both");
        assertEquals(both.rows().size(), both.rows().stream().map(ManifestRow::id).distinct().count(), "ids are unique");
    }

    private static Path writeMeld(Path data, Path dir) {
        Path m = dir.resolve("meld.csv");
        DatasetAdapter.named("meld").write(data, m);
        return m;
    }
}
