package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A result's {@code version} and {@code source.size} read back strictly, by tagging's skip ({@link
 * ResultLocator#doneBySamePackReadWhole}: tag, watch, the function), by status ({@link ArchiveStatus}) and by a batch's
 * second pass ({@code BatchTagger.firstPassInfo}), on the product's own result beside a copy of its sample. Fast: no
 * model is loaded.
 */
class ResultVersionReadBackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEDIA = "03a05Fc.wav";
    private static final long SEED_SIZE = 102322;

    @TempDir
    Path tmp;

    private enum Judged { CURRENT, NEWER, AGAIN }

    private record Place(ResultLocator results, ArchiveStatus status, LocalObjectStorage store, ObjectRef media,
                         Path result, String seed) {
    }

    /** The seed as the copy's result, its time and file version the copy's: judged by the document alone, no hash. */
    private Place place() throws Exception {
        ResultLocator results = ResultReadBackGridTest.locator();
        ArchiveStatus status = new ArchiveStatus(results, new ObjectFilter(ResultReadBackGridTest.config()));
        Path dir = Files.createDirectories(tmp.resolve("archive"));
        Files.copy(Fixtures.sample(MEDIA), dir.resolve(MEDIA));
        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(dir);
        ObjectRef media = store.refFor(dir.resolve(MEDIA));
        ObjectInfo copy = store.stat(media).orElseThrow();
        String seed = Files.readString(ResultReadBackGridTest.SEED);
        seed = new String(ResultReadBackGridTest.replacing(seed, "lastModified", "\"" + copy.lastModified().orElseThrow() + "\""),
                StandardCharsets.UTF_8);
        seed = new String(ResultReadBackGridTest.replacing(seed, "fileVersion", "\"" + copy.fileVersion().orElseThrow() + "\""),
                StandardCharsets.UTF_8);
        return new Place(results, status, store, media, dir.resolve(MEDIA + ".emotion.json"), seed);
    }

    /** What skip and status make of {@code document} at the result's name; a line for each that is not {@code expected}. */
    private static List<String> judge(Place p, String name, String document, Judged expected, String newerWords) throws Exception {
        Files.writeString(p.result(), document);
        ObjectRef resultRef = p.results().resultFor(p.media());
        Optional<StoredResult> skip = p.results().doneBySamePackReadWhole(p.store(), resultRef,
                p.store().stat(p.media()).orElseThrow());
        BatchRow row = p.status().scan(List.of(new BatchItem(p.media(), p.store()))).rows().get(0);
        List<String> wrong = new ArrayList<>();
        if (skip.isPresent() != (expected == Judged.CURRENT))
            wrong.add(name + ": skipped as done " + skip.isPresent() + ", expected " + expected);
        String said = row.outcome() + " (" + row.reason() + ")";
        switch (expected) {
            case CURRENT -> {
                if (!row.outcome().equals(ObjectOutcome.PROCESSED)) wrong.add(name + ": status " + said + ", expected current");
            }
            case AGAIN -> {
                if (!row.outcome().equals(BatchRow.PENDING)) wrong.add(name + ": status " + said + ", expected pending");
            }
            case NEWER -> {
                if (!row.outcome().equals(ObjectOutcome.FAILED) || row.reason() == null
                        || !row.reason().equals(resultRef.uri() + newerWords))
                    wrong.add(name + ": status " + said + ", expected failed: " + resultRef.uri() + newerWords);
            }
        }
        if (!Files.readString(p.result()).equals(document)) wrong.add(name + ": the result was changed");
        return wrong;
    }

    /** Adds a cell's lines to {@code wrong}; 1 where it was judged wrong. */
    private static int add(List<String> wrong, List<String> cell) {
        wrong.addAll(cell);
        return cell.isEmpty() ? 0 : 1;
    }

    private static String newer(long version) {
        return " was made by a newer moodtag (result version " + version + "); this one writes version 2: left as it is"
                + " (--force replaces it)";
    }

    /**
     * Only the integral JSON number 2 is this moodtag's result version (any 2.x schema URL read as now); a newer major
     * is neither done nor pending but a permanent outcome in words, and anything else (an older major, "2", 2.5, none)
     * is no current result, tagged again. On main every one of them with the same pack and source was done.
     */
    @Test
    void aResultsVersionIsReadStrictlyAndANewerMajorIsLeftAsItIs() throws Exception {
        Place p = place();
        Map<String, Judged> versions = new LinkedHashMap<>();
        versions.put("2", Judged.CURRENT);
        for (String v : List.of("3", "4", "2147483648", "9223372036854775807")) versions.put(v, Judged.NEWER);
        for (String v : List.of("1", "0", "-2", "\"2\"", "\"3\"", "2.0", "2.5", "3.0", "2e0", "true", "null", "[2]", "{}",
                "18446744073709551618", "9223372036854775808", "-18446744073709551614"))
            versions.put(v, Judged.AGAIN);
        List<String> wrong = new ArrayList<>();
        int cells = 0, cellsWrong = 0;
        for (Map.Entry<String, Judged> v : versions.entrySet()) {
            cells++;
            String doc = new String(ResultReadBackGridTest.replacing(p.seed(), "version", v.getKey()), StandardCharsets.UTF_8);
            cellsWrong += add(wrong, judge(p, "version " + v.getKey(), doc, v.getValue(),
                    v.getValue() == Judged.NEWER ? newer(Long.parseLong(v.getKey())) : null));
        }
        // A future minor schema of version 2 is read as now
        for (String schema : List.of("emotion-result-v2.8.json", "emotion-result-v2.70.json")) {
            cells++;
            String doc = new String(ResultReadBackGridTest.replacing(p.seed(), "schema", "\"https://moodtag.dev/schema/" + schema + "\""),
                    StandardCharsets.UTF_8);
            cellsWrong += add(wrong, judge(p, "schema " + schema, doc, Judged.CURRENT, null));
        }
        // No version at all: no result document
        cells++;
        cellsWrong += add(wrong, judge(p, "no version", p.seed().replace("\"version\" : 2,", ""), Judged.AGAIN, null));
        // A newer major's result whatever else it holds: another pack, or none of version 2's fields
        cells++;
        String otherPack = new String(ResultReadBackGridTest.replacing(p.seed(), "version", "3"), StandardCharsets.UTF_8)
                .replace("\"moodtag-default\"", "\"another-pack\"");
        cellsWrong += add(wrong, judge(p, "version 3 of another pack", otherPack, Judged.NEWER, newer(3)));
        cells++;
        cellsWrong += add(wrong, judge(p, "version 5 with no field of version 2", "{\"schema\":\"https://moodtag.dev/schema/emotion-result-v5.json\","
                + "\"version\":5,\"verdict\":{\"emotion\":\"happy\"}}", Judged.NEWER, newer(5)));
        assertEquals(List.of(), wrong, cellsWrong + " of " + cells + " versions judged wrong");
    }

    private static final List<String> SIZES = List.of("102322.0", "102322.9", "\"102322\"", "1.02322e5", "\"1.02322e5\"",
            "18446744073709653938", "-18446744073709449294", "true", "null", "\"\"", "102323", "-1", "[102322]");

    /**
     * A result's source size is the file's only as the integral JSON number itself: 102322.9, "102322" and 2^64 + 102322
     * were a 102322-byte file's (skip, status and a batch's second pass alike). On main 7 of the 13 values other than the
     * size itself were the file's, in skip and status alike.
     */
    @Test
    void aResultsSourceSizeIsTheFilesOnlyAsItsWholeNumber() throws Exception {
        Place p = place();
        List<String> wrong = new ArrayList<>();
        int cellsWrong = add(wrong, judge(p, "size " + SEED_SIZE, p.seed(), Judged.CURRENT, null));
        for (String size : SIZES) {
            String doc = new String(ResultReadBackGridTest.replacing(p.seed(), "size", size), StandardCharsets.UTF_8);
            cellsWrong += add(wrong, judge(p, "size " + size, doc, Judged.AGAIN, null));
        }
        assertEquals(List.of(), wrong, cellsWrong + " of " + (SIZES.size() + 1) + " sizes judged wrong");
    }

    /** A batch's second pass compares the object with its first-pass result's source: only its whole size is one. */
    @Test
    void aFirstPassResultsSizeIsReadStrictly() throws Exception {
        Method firstPassInfo = Class.forName("dev.moodtag.batch.BatchTagger")
                .getDeclaredMethod("firstPassInfo", ObjectRef.class, JsonNode.class);
        firstPassInfo.setAccessible(true);
        ObjectRef ref = ObjectRef.s3("bucket", MEDIA);
        List<String> wrong = new ArrayList<>();
        long same = ((ObjectInfo) firstPassInfo.invoke(null, ref, JSON.readTree("{\"size\":" + SEED_SIZE + "}"))).size();
        if (same != SEED_SIZE) wrong.add(SEED_SIZE + " read as " + same);
        for (String size : SIZES) {
            long read = ((ObjectInfo) firstPassInfo.invoke(null, ref, JSON.readTree("{\"size\":" + size + "}"))).size();
            if (read == SEED_SIZE) wrong.add(size + " read as the file's " + SEED_SIZE + " bytes");
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + (SIZES.size() + 1) + " first-pass sizes read wrong");
    }
}
