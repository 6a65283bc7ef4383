package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.publish.AcceptingSink;
import dev.moodtag.publish.ArchivePublisher;
import dev.moodtag.publish.PublishConfig;
import dev.moodtag.publish.PublishJournal;
import dev.moodtag.publish.PublishRecord;
import dev.moodtag.publish.PublishState;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.testing.Fixtures;
import io.smallrye.config.SmallRyeConfigBuilder;
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
import java.util.concurrent.atomic.AtomicBoolean;

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
        return judge(p, name, document, expected, newerWords, null);
    }

    /**
     * As above, where a document judged {@link Judged#AGAIN} is also said to be {@code pendingWords} by status, and
     * tagging's own read (tag, watch, the function) and a publish's read of the head (its skip) are judged alike.
     */
    private static List<String> judge(Place p, String name, String document, Judged expected, String newerWords,
                                      String pendingWords) throws Exception {
        Files.writeString(p.result(), document);
        ObjectRef resultRef = p.results().resultFor(p.media());
        ObjectInfo info = p.store().stat(p.media()).orElseThrow();
        Optional<StoredResult> skip = p.results().doneBySamePackReadWhole(p.store(), resultRef, info);
        BatchRow row = p.status().scan(List.of(new BatchItem(p.media(), p.store()))).rows().get(0);
        List<String> wrong = new ArrayList<>();
        if (skip.isPresent() != (expected == Judged.CURRENT))
            wrong.add(name + ": skipped as done " + skip.isPresent() + ", expected " + expected);
        boolean headCurrent = p.results().doneBySamePack(p.store(), resultRef, info).isPresent();
        if (headCurrent != (expected == Judged.CURRENT))
            wrong.add(name + ": its head alone current " + headCurrent + ", expected " + expected);
        boolean leftByTagging = p.results().readForSkip(p.store(), resultRef)
                .map(r -> StoredResult.newerVersion(r.document()).isPresent()).orElse(false);
        if (leftByTagging != (expected == Judged.NEWER))
            wrong.add(name + ": tagging leaves it as a newer moodtag's " + leftByTagging + ", expected " + expected);
        if (pendingWords != null && expected == Judged.AGAIN && (row.reason() == null || !row.reason().contains(pendingWords)))
            wrong.add(name + ": status says " + row.reason() + ", expected it to say " + pendingWords);
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

    /** {@code seed} as a result of {@code version} would be written: that version under its major's schema. */
    private static String ofVersion(String seed, String version) {
        return new String(ResultReadBackGridTest.replacing(new String(ResultReadBackGridTest.replacing(seed, "schema",
                "\"https://moodtag.dev/schema/emotion-result-v" + version + ".0.json\""), StandardCharsets.UTF_8),
                "version", version), StandardCharsets.UTF_8);
    }

    private static String newer(Object version) {
        return " was made by a newer moodtag (result version " + version + "); this one writes version 2: left as it is"
                + " (--force replaces it)";
    }

    /**
     * Only the integral JSON number 2 is this moodtag's result version (any 2.x schema URL read as now); a newer major
     * is neither done nor pending but a permanent outcome in words, and anything else (an older major, "2", 2.5, none)
     * is no current result, tagged again. On main every one of them with the same pack and source was done; until
     * 2026-12-08 a major past a long (2^63, 2^64 + 2, 99999999999999999999, 10^70) was no version and tagged over.
     */
    @Test
    void aResultsVersionIsReadStrictlyAndANewerMajorIsLeftAsItIs() throws Exception {
        Place p = place();
        Map<String, Judged> versions = new LinkedHashMap<>();
        versions.put("2", Judged.CURRENT);
        // A major past a long is a newer moodtag's as 3 is: it was no version at all, and tagged over
        for (String v : List.of("3", "4", "2147483648", "9223372036854775807", "9223372036854775808",
                "18446744073709551618", "99999999999999999999", "1" + "0".repeat(70)))
            versions.put(v, Judged.NEWER);
        for (String v : List.of("1", "0", "-2", "\"2\"", "\"3\"", "2.0", "2.5", "3.0", "2e0", "true", "null", "[2]", "{}",
                "-18446744073709551614", "-9223372036854775809", "\"99999999999999999999\"", "1e20", "99999999999999999999.0"))
            versions.put(v, Judged.AGAIN);
        List<String> wrong = new ArrayList<>();
        int cells = 0, cellsWrong = 0;
        for (Map.Entry<String, Judged> v : versions.entrySet()) {
            cells++;
            // a newer major under its own schema: under the seed's v2.7 it contradicts itself (aSchemaOfAnotherMajor...)
            String doc = v.getValue() == Judged.NEWER ? ofVersion(p.seed(), v.getKey())
                    : new String(ResultReadBackGridTest.replacing(p.seed(), "version", v.getKey()), StandardCharsets.UTF_8);
            cellsWrong += add(wrong, judge(p, "version " + v.getKey(), doc, v.getValue(),
                    v.getValue() == Judged.NEWER ? newer(v.getKey()) : null));
        }
        // A future minor schema of version 2 is read as now
        for (String schema : List.of("emotion-result-v2.9.json", "emotion-result-v2.70.json")) {
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
        String otherPack = ofVersion(p.seed(), "3").replace("\"moodtag-default\"", "\"another-pack\"");
        cellsWrong += add(wrong, judge(p, "version 3 of another pack", otherPack, Judged.NEWER, newer(3)));
        cells++;
        cellsWrong += add(wrong, judge(p, "version 5 with no field of version 2", "{\"schema\":\"https://moodtag.dev/schema/emotion-result-v5.json\","
                + "\"version\":5,\"verdict\":{\"emotion\":\"happy\"}}", Judged.NEWER, newer(5)));
        assertEquals(List.of(), wrong, cellsWrong + " of " + cells + " versions judged wrong");
    }

    /** What status says of a document that is no result: tagging reads none in it either and tags the object again. */
    private static final String NO_RESULT = " is not a result document (";

    /**
     * A result's schema URL names its major ({@code emotion-result-v<major>[.<minor>].json}): where it names another
     * than {@code version}, the document contradicts itself and is no result (status says so as of any damaged head,
     * and the next run tags the object again), in either order of the two fields; a schema that is no moodtag result
     * schema's URL names none, and the version decides as before. On main the version alone decided: version 2 under
     * a v3 schema was current and skipped, version 3 under a v2 schema left as a newer moodtag's.
     */
    @Test
    void aSchemaOfAnotherMajorThanTheVersionIsNoResult() throws Exception {
        Place p = place();
        String base = "https://moodtag.dev/schema/";
        // the schema as JSON, and the major it names (null: none)
        Map<String, String> schemas = new LinkedHashMap<>();
        schemas.put("\"" + base + "emotion-result-v2.7.json\"", "2");
        schemas.put("\"" + base + "emotion-result-v2.0.json\"", "2");
        schemas.put("\"" + base + "emotion-result-v2.json\"", "2");
        schemas.put("\"" + base + "emotion-result-v2.99.json\"", "2");
        schemas.put("\"emotion-result-v2.4.json\"", "2");
        schemas.put("\"" + base + "emotion-result-v02.4.json\"", "2");
        schemas.put("\"" + base + "emotion-result-v3.0.json\"", "3");
        schemas.put("\"" + base + "emotion-result-v3.json\"", "3");
        schemas.put("\"https://elsewhere.example/emotion-result-v3.1.json\"", "3");
        schemas.put("\"" + base + "emotion-result-v1.0.json\"", "1");
        schemas.put("\"" + base + "emotion-result-v0.1.json\"", "0");
        schemas.put("\"" + base + "emotion-result-v99999999999999999999.0.json\"", "99999999999999999999");
        for (String none : List.of("\"" + base + "emotion-result-v3.0.json.bak\"", "\"" + base + "emotion-result-v3.0.json?x\"",
                "\"" + base + "emotion-result-v3.0.json\\n\"", "\"" + base.toUpperCase() + "EMOTION-RESULT-V3.0.JSON\"",
                "\"" + base + "emotion-result-v.json\"", "\"" + base + "emotion-result-v-3.json\"", "\"" + base + "other-v3.json\"",
                "\"" + base + "emotion-result-v" + "3".repeat(64) + ".json\"", "\"\"", "3", "null", "[\"" + base + "emotion-result-v3.0.json\"]"))
            schemas.put(none, null);
        List<String> versions = List.of("2", "3", "1", "99999999999999999999", "\"2\"", "2.5");
        List<String> wrong = new ArrayList<>();
        int cells = 0, cellsWrong = 0;
        for (Map.Entry<String, String> schema : schemas.entrySet()) {
            for (String version : versions) {
                boolean whole = version.matches("[0-9]+");
                boolean disagree = whole && schema.getValue() != null
                        && !new java.math.BigInteger(schema.getValue()).equals(new java.math.BigInteger(version));
                Judged expected = !whole || disagree ? Judged.AGAIN : version.equals("2") ? Judged.CURRENT
                        : new java.math.BigInteger(version).compareTo(java.math.BigInteger.TWO) > 0 ? Judged.NEWER : Judged.AGAIN;
                String schemaFirst = new String(ResultReadBackGridTest.replacing(new String(ResultReadBackGridTest.replacing(
                        p.seed(), "schema", schema.getKey()), StandardCharsets.UTF_8), "version", version), StandardCharsets.UTF_8);
                int schemaAt = schemaFirst.indexOf("\"schema\" : "), versionAt = schemaFirst.indexOf("\"version\" : ");
                int versionEnd = schemaFirst.indexOf('\n', versionAt) + 1;
                // the version's line, then the schema's, as a hand-made document may have them
                String versionFirst = schemaFirst.substring(0, schemaAt) + schemaFirst.substring(versionAt, versionEnd)
                        + schemaFirst.substring(schemaAt, versionAt) + schemaFirst.substring(versionEnd);
                for (String doc : List.of(schemaFirst, versionFirst)) {
                    cells++;
                    String name = "schema " + schema.getKey() + ", version " + version
                            + (doc == schemaFirst ? "" : " (version first)");
                    cellsWrong += add(wrong, judge(p, name, doc, expected, expected == Judged.NEWER ? newer(version) : null,
                            disagree ? NO_RESULT : null));
                }
            }
        }
        assertEquals(List.of(), wrong, cellsWrong + " of " + cells + " schemas and versions judged wrong");
    }

    /**
     * tag --publish sends no event for an object whose result a newer moodtag wrote: the function would answer it
     * failed, left as it is, whatever it is sent, so it is failed-to-publish naming why (as an object whose result no
     * run can write is), in every publish, with the log of an earlier one or without, and with --resend-acknowledged.
     * On main each publish sent it, and the function answered failed each time.
     */
    @Test
    void aPublishSendsNoEventForAResultANewerMoodtagWrote() throws Exception {
        Place p = place();
        PublishConfig config = new SmallRyeConfigBuilder().withMapping(PublishConfig.class).build()
                .getConfigMapping(PublishConfig.class);
        ArchivePublisher publisher = new ArchivePublisher(p.results(), new ObjectFilter(ResultReadBackGridTest.config()), config);
        String resultUri = p.results().resultFor(p.media()).uri();
        List<String> wrong = new ArrayList<>();
        int publishes = 0, sent = 0;
        try (AcceptingSink sink = AcceptingSink.start()) {
            for (String version : List.of("3", "99999999999999999999")) {
                String doc = ofVersion(p.seed(), version);
                Files.writeString(p.result(), doc);
                // the same log twice (an earlier publish's lines read back), a log of its own, and a resend
                Path log = tmp.resolve("publish-" + version + ".jsonl");
                for (Map.Entry<Path, Boolean> run : List.of(Map.entry(log, false), Map.entry(log, false),
                        Map.entry(tmp.resolve("other-" + version + ".jsonl"), false), Map.entry(log, true))) {
                    publishes++;
                    int before = sink.requests();
                    List<PublishRecord> records;
                    try (PublishJournal journal = PublishJournal.open(run.getKey())) {
                        records = publisher.publish(List.of(new BatchItem(p.media(), p.store())), new ArchivePublisher.Options(
                                sink.uri(), Optional.of(1000.0), Optional.of(2), run.getValue()), journal, (r, done, total) -> { },
                                new AtomicBoolean());
                    }
                    int requests = sink.requests() - before;
                    sent += requests > 0 ? 1 : 0;
                    PublishRecord r = records.get(0);
                    String expected = "not sent, the function would answer failed: " + resultUri + newer(version);
                    if (requests != 0 || r.state() != PublishState.FAILED || !expected.equals(r.reason()))
                        wrong.add("version " + version + (run.getValue() ? " resent" : "") + ": " + requests + " request(s), "
                                + r.state() + ": " + r.reason());
                    if (!Files.readString(p.result()).equals(doc)) wrong.add("version " + version + ": the result was changed");
                }
            }
        }
        assertEquals(List.of(), wrong, sent + " of " + publishes + " publishes sent the object");
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
