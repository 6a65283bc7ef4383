package dev.moodtag.tagging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.pack.PackIdentity;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.StorageException;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Result documents read back, seeded by a result the product wrote ({@code src/test/resources/results}: {@code moodtag
 * tag} on a copy of the shared samples) beside a copy of the sample it describes, and judged as {@code moodtag status}
 * judges them ({@link ArchiveStatus}) against what tagging the object would then meet.
 */
public class ResultReadBackGridTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Path SEED = Path.of("src", "test", "resources", "results", "03a05Fc.wav.emotion.json");
    private static final String MEDIA = "03a05Fc.wav";

    @TempDir
    Path tmp;

    /** The pack and classifier the seed names: the configured pack, for which the seed is current. */
    static PackIdentity packOf(JsonNode result) {
        return new PackIdentity(result.at("/pack/id").asText(), result.at("/pack/version").asText(),
                result.at("/classifier/description").asText());
    }

    static ObjectFilterTest.Config config() {
        return new ObjectFilterTest.Config(new ObjectFilterTest.Result(Optional.empty(), ".emotion.json"),
                new ObjectFilterTest.Filter(Optional.empty(), Optional.empty(), Optional.empty(), 536870912));
    }

    public static ResultLocator locator() throws IOException {
        return new ResultLocator(config(), new StatusStatsOnceTest.Identity(packOf(JSON.readTree(SEED.toFile()))));
    }

    /** What can stand at the result's name, made there. */
    @FunctionalInterface
    private interface Maker {
        void make(Path result) throws IOException, InterruptedException;
    }

    private static void mkfifo(Path at) throws IOException, InterruptedException {
        if (new ProcessBuilder("mkfifo", at.toString()).start().waitFor() != 0) throw new IOException("mkfifo " + at);
    }

    /**
     * Whatever stands at a result's name, status and tagging agree: an object status counts as having no result yet
     * is one whose result can then be written there, and one whose result cannot be written is the same permanent
     * failure in status, in the same words, as tagging it meets. On main a folder at the name (empty or not, or a
     * folder holding a folder) was "none yet" in status for ever (status --wait to its timeout) while tagging failed
     * only at the write, after the whole tagging.
     */
    @Test
    void statusSaysOfWhatStandsAtTheResultsNameWhatItsWriteThenMeets() throws Exception {
        byte[] seed = Files.readAllBytes(SEED);
        Map<String, Maker> places = new LinkedHashMap<>();
        places.put("nothing", r -> { });
        places.put("the product's result", r -> Files.write(r, seed));
        places.put("an empty file", r -> Files.write(r, new byte[0]));
        places.put("a FIFO", ResultReadBackGridTest::mkfifo);
        places.put("an empty folder", Files::createDirectory);
        places.put("a folder holding a file", r -> Files.write(Files.createDirectory(r).resolve("x"), seed));
        places.put("a folder holding a folder", r -> Files.createDirectories(r.resolve("x")));
        places.put("a folder holding a FIFO", r -> mkfifo(Files.createDirectory(r).resolve("x")));
        places.put("a link to a folder", r -> Files.createSymbolicLink(r, Files.createDirectory(r.resolveSibling("elsewhere"))));
        places.put("a link to the product's result", r -> Files.createSymbolicLink(r, Files.write(r.resolveSibling("other.json"), seed)));
        places.put("a link that leads nowhere", r -> Files.createSymbolicLink(r, r.resolveSibling("gone")));
        places.put("a loop of two links", r -> {
            Files.createSymbolicLink(r, r.resolveSibling("loop-b"));
            Files.createSymbolicLink(r.resolveSibling("loop-b"), r);
        });
        ResultLocator results = locator();
        ArchiveStatus status = new ArchiveStatus(results, new ObjectFilter(config()));
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (boolean followLinks : new boolean[]{false, true}) {
            int n = 0;
            for (Map.Entry<String, Maker> place : places.entrySet()) {
                cells++;
                Path dir = Files.createDirectories(tmp.resolve((followLinks ? "follow-" : "") + n++));
                Files.copy(Fixtures.sample(MEDIA), dir.resolve(MEDIA));
                place.getValue().make(dir.resolve(MEDIA + ".emotion.json"));
                LocalObjectStorage store = new LocalObjectStorage(List.of(tmp), followLinks);
                ObjectRef media = store.refFor(dir.resolve(MEDIA));
                BatchRow row = status.scan(List.of(new BatchItem(media, store))).rows().get(0);
                String cell = place.getKey() + (followLinks ? " (links within the root followed)" : "");
                // Current: skipped by tagging, nothing written (a link to the result is read through where links are)
                if (place.getKey().equals("the product's result") && !row.outcome().equals(ObjectOutcome.PROCESSED))
                    wrong.add(cell + ": not current in status: " + row);
                if (row.outcome().equals(ObjectOutcome.PROCESSED)) continue;
                String written;
                try {
                    store.writeAtomically(results.resultFor(media), seed, "application/json");
                    written = null;
                } catch (StorageException e) {
                    written = e.getMessage();
                }
                if (written == null && !row.outcome().equals(BatchRow.PENDING))
                    wrong.add(cell + ": status says " + row.outcome() + " (" + row.reason() + "), but its result is then written");
                // In the write's words, or (a link to a folder followed, which the write says in the system's words
                // after it) in words naming the result and the folder
                if (written != null && (!List.of(ObjectOutcome.FAILED, ObjectOutcome.REJECTED).contains(row.outcome()) || !(row.reason().contains(written)
                        || row.reason().contains(results.resultFor(media).uri() + ": a folder of that name is in the way"))))
                    wrong.add(cell + ": status says " + row.outcome() + " (" + row.reason() + "), but the write fails: " + written);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells");
    }

    /** Whether {@code bytes} start with one whole JSON object (what follows it is not looked at), read as a stream. */
    private static boolean wholeJsonObject(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            for (int depth = 1; depth > 0; ) {
                JsonToken t = p.nextToken();
                if (t == null) return false;
                if (t == JsonToken.VALUE_STRING) p.getTextLength();
                else if (t.isStructStart()) depth++;
                else if (t.isStructEnd()) depth--;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether status says {@code row}'s object has a file where its result goes that is not a result document. */
    private static boolean statusUnreadable(BatchRow row) {
        return row.reason() != null && row.reason().contains("is not a result document");
    }

    /**
     * Whether {@code bytes} are a whole JSON object naming a source, pack and classifier, and no schema of another
     * major than its version ({@link StoredResult#versionsDisagree}: a bit flipped in either): a result, if maybe another's.
     */
    private static boolean headed(byte[] bytes) {
        if (!wholeJsonObject(bytes)) return false;
        try {
            JsonNode doc = JSON.readTree(bytes);
            return doc.has("version") && doc.has("source") && doc.has("pack") && doc.has("classifier")
                    && !StoredResult.versionsDisagree(doc);
        } catch (IOException e) {
            return false;
        }
    }

    /** A damaged copy of the seed, named for the message; made when it is checked (the largest are 50 and 100 MB). */
    private record Damaged(String name, Supplier<byte[]> bytes) {
        Damaged(String name, byte[] bytes) {
            this(name, () -> bytes);
        }
    }

    /** The seed with {@code json} standing for {@code field}'s value (its first occurrence), as text. */
    static byte[] replacing(String seed, String field, String json) {
        int at = seed.indexOf("\"" + field + "\" : ");
        int from = at + field.length() + 5;
        int depth = 0, to = from;
        boolean inString = false;
        for (; to < seed.length(); to++) {
            char c = seed.charAt(to);
            if (inString) {
                if (c == '\\') to++;
                else if (c == '"') inString = false;
            } else if (c == '"') inString = true;
            else if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') depth--;
            if (depth < 0 || (depth == 0 && !inString && (c == ',' || c == '\n'))) break;
        }
        return (seed.substring(0, from) + json + seed.substring(to)).getBytes(StandardCharsets.UTF_8);
    }

    /** The seed with {@code extra} (text) put before its closing brace, as a field a later writer might add last. */
    private static byte[] withLastField(String seed, String extra) {
        return withLastField(seed, extra, "", "", 0, "");
    }

    /**
     * As {@link #withLastField(String, String)} with {@code open + String.join(separator, nCopies(times, unit)) + close}
     * as the field, written as bytes: built as a string, the 100 MB one took seconds and twice its size in memory.
     */
    private static byte[] withLastField(String seed, String open, String unit, String separator, int times, String close) {
        int end = seed.lastIndexOf('}');
        byte[] head = (seed.substring(0, end).stripTrailing() + ",\n  " + open).getBytes(StandardCharsets.UTF_8);
        byte[] each = unit.getBytes(StandardCharsets.UTF_8), between = separator.getBytes(StandardCharsets.UTF_8);
        byte[] tail = (close + "\n}").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + times * each.length + Math.max(0, times - 1) * between.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        if (times > 0) {
            System.arraycopy(each, 0, out, at, each.length);
            at += each.length;
            // The rest is (separator, unit) over and over: one written, then what is written so far copied after it
            int from = at, last = at + (times - 1) * (between.length + each.length);
            if (last > from) {
                System.arraycopy(between, 0, out, at, between.length);
                System.arraycopy(each, 0, out, at + between.length, each.length);
                for (int done = between.length + each.length; from + done < last; done *= 2)
                    System.arraycopy(out, from, out, from + done, Math.min(done, last - from - done));
            }
            at = last;
        }
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }

    /** Every cut point, every bit flipped, and shapes, encodings, versions and sizes no writer of this version makes. */
    private static List<Damaged> damages(byte[] seed) {
        String text = new String(seed, StandardCharsets.UTF_8);
        List<Damaged> out = new ArrayList<>();
        for (int cut = 0; cut < seed.length; cut++) out.add(new Damaged("cut at byte " + cut, Arrays.copyOf(seed, cut)));
        // One bit of every byte (a different one from byte to byte), and every bit of every 16th byte
        for (int at = 0; at < seed.length; at++)
            for (int bit = 0; bit < 8; bit++) {
                if (bit != at * 3 % 8 && at % 16 != 0) continue;
                byte[] b = seed.clone();
                b[at] ^= (byte) (1 << bit);
                out.add(new Damaged("bit " + bit + " of byte " + at + " flipped", b));
            }
        BiConsumer<String, byte[]> add = (name, b) -> out.add(new Damaged(name, b));
        BiConsumer<String, Supplier<byte[]>> addLater = (name, b) -> out.add(new Damaged(name, b));
        add.accept("the seed itself", seed);
        add.accept("an empty file", new byte[0]);
        for (String json : List.of("null", "[]", "5", "\"x\"", "{}", "[" + text + "]", text + text, text + "garbage", " \n\t" + text))
            add.accept("the document " + (json.length() > 20 ? json.substring(0, 8) + "..." + json.length() + " chars" : json), json.getBytes(StandardCharsets.UTF_8));
        for (String field : List.of("source", "pack", "classifier", "status", "label", "error", "encoders", "timingsMs", "modalities"))
            for (String value : List.of("5", "null", "[]", "{}", "\"x\"", "true"))
                add.accept(field + " = " + value, replacing(text, field, value));
        for (String field : List.of("size", "sha256", "lastModified", "fileVersion", "etag"))
            for (String value : List.of("null", "\"102322\"", "102322.0", "-1", "{}", "\"" + "f".repeat(64) + "\""))
                add.accept("source." + field + " = " + value, replacing(text, field, value));
        add.accept("a field added last", withLastField(text, "\"addedLater\" : {\"a\" : [1, 2, {\"b\" : null}]}"));
        add.accept("pack given twice, another pack second", withLastField(text, "\"pack\" : {\"id\" : \"other\", \"version\" : \"0\"}"));
        add.accept("schema and version from the future", replacing(new String(replacing(text, "schema",
                "\"https://moodtag.dev/schema/emotion-result-v3.0.json\""), StandardCharsets.UTF_8), "version", "3"));
        add.accept("schema and version from the past (2.0, no file version)", replacing(new String(replacing(
                new String(replacing(text, "schema", "\"https://moodtag.dev/schema/emotion-result-v2.json\""),
                        StandardCharsets.UTF_8), "version", "2"), StandardCharsets.UTF_8), "fileVersion", "null"));
        add.accept("version 1", replacing(text, "version", "1"));
        add.accept("no schema, no version", replacing(new String(replacing(text, "schema", "null"), StandardCharsets.UTF_8), "version", "null"));
        add.accept("UTF-16", text.getBytes(StandardCharsets.UTF_16));
        add.accept("UTF-8 with a BOM", ("\ufeff" + text).getBytes(StandardCharsets.UTF_8));
        add.accept("a Latin-1 byte after the head", text.replace("\"moodtag 0.1.0\"", "\"moodtag 0.1.0 caf\u00e9\"")
                .getBytes(StandardCharsets.ISO_8859_1));
        add.accept("a Latin-1 byte in the head", text.replace("\"label\" : \"happy\"", "\"label\" : \"h\u00e4ppy\"")
                .getBytes(StandardCharsets.ISO_8859_1));
        add.accept("a NUL byte after the head", text.replace("\"moodtag 0.1.0\"", "\"moodtag\u0000 0.1.0\"").getBytes(StandardCharsets.UTF_8));
        add.accept("an unpaired surrogate after the head", withLastField(text, "\"note\" : \"\\ud800\""));
        add.accept("nested 5,000 deep after the head", withLastField(text, "\"deep\" : " + "[".repeat(5000) + "]".repeat(5000)));
        addLater.accept("a 50 MB line after the head", () -> withLastField(text, "\"note\" : \"", "x", "", 50 << 20, "\""));
        addLater.accept("a 100 MB timeline after the head", () -> withLastField(text, "\"timeline\" : {\"segmentation\" : \"vad\", "
                + "\"durationSeconds\" : 1, \"segments\" : [", "{\"start\":0,\"end\":1,\"status\":\"labelled\",\"label\":\"happy\",\"x\":\""
                + "y".repeat(60) + "\"}", ",", 1 << 20, "]}"));
        return out;
    }

    /**
     * Every damage of a real result is judged alike by tagging's skip (tag, watch, the function: {@link
     * ResultLocator#doneBySamePackReadWhole}) and by status: current in both or in neither, and where current, whole in
     * both or said damaged in both, and damaged exactly where the document is not whole JSON; where tagged again, said
     * by status to be no result document exactly where it is none (not whole JSON naming a version, source, pack and classifier),
     * and otherwise as none yet. The function and the watch decided by the head alone and answered a result cut or
     * damaged after its head "skipped: a result … exists" without a word, where status and tag's rows said it was
     * damaged; status said "none yet" of a file that was no result document.
     */
    @Test
    void everyDamageOfARealResultIsJudgedAlikeBySkipAndStatusAndSaidWhereItIsCurrent() throws Exception {
        // The damages are checked by workers, each in a folder of its own: the same media file in each (hard links, made
        // before the seed is fitted to the file, so that every folder's stat gives the same time and file version)
        int workers = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        List<Path> dirs = new ArrayList<>();
        for (int w = 0; w < workers; w++) dirs.add(Files.createDirectories(tmp.resolve("archive-" + w)));
        Files.copy(Fixtures.sample(MEDIA), dirs.get(0).resolve(MEDIA));
        for (Path dir : dirs.subList(1, workers)) Files.createLink(dir.resolve(MEDIA), dirs.get(0).resolve(MEDIA));
        // The seed as the copy's result: its time and file version those of the copy (as the next run records them
        // after hashing the bytes once), so that each damage is judged by the result alone, without a hash
        LocalObjectStorage first = LocalObjectStorage.ofNamedFolder(dirs.get(0));
        ObjectInfo copy = first.stat(first.refFor(dirs.get(0).resolve(MEDIA))).orElseThrow();
        String seedText = Files.readString(SEED);
        seedText = new String(replacing(seedText, "lastModified", "\"" + copy.lastModified().orElseThrow() + "\""),
                StandardCharsets.UTF_8);
        byte[] seed = replacing(seedText, "fileVersion", "\"" + copy.fileVersion().orElseThrow() + "\"");
        List<Damaged> damages = damages(seed);
        AtomicInteger next = new AtomicInteger();
        List<Future<List<String>>> judged = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            for (int w = 0; w < workers; w++) {
                Path dir = dirs.get(w);
                judged.add(pool.submit(() -> judge(dir, damages, next, counts)));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> f : judged) wrong.addAll(f.get());
            System.out.println(damages.size() + " damaged results checked, " + counts);
            assertEquals(List.of(), wrong.size() > 40 ? wrong.subList(0, 40) : wrong,
                    wrong.size() + " of " + damages.size() + " damaged results judged wrong; " + counts);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(damages.size(), counts.values().stream().mapToInt(Integer::intValue).sum(), "damages checked");
    }

    /**
     * Judges the damages not taken yet ({@code next}) one by one as the result of the media in {@code dir}, with a
     * locator and a status of its own; returns what is wrong.
     */
    private static List<String> judge(Path dir, List<Damaged> damages, AtomicInteger next, Map<String, Integer> counts)
            throws IOException {
        ResultLocator results = locator();
        ArchiveStatus status = new ArchiveStatus(results, new ObjectFilter(config()));
        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(dir);
        ObjectRef media = store.refFor(dir.resolve(MEDIA));
        ObjectInfo mediaNow = store.stat(media).orElseThrow(); // the media is not touched: one stat for every damage
        ObjectRef resultRef = results.resultFor(media);
        Path result = dir.resolve(MEDIA + ".emotion.json");
        List<String> wrong = new ArrayList<>();
        for (int i = next.getAndIncrement(); i < damages.size(); i = next.getAndIncrement()) {
            Damaged d = damages.get(i);
            byte[] bytes = d.bytes().get();
            // A new file each time: rewritten in place (truncated), ext4 wrote the earlier content out first
            // (auto_da_alloc), 4.6 ms a write here against 0.17 ms for a new file, and most of this grid's time
            Files.deleteIfExists(result);
            Files.write(result, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            boolean whole = wholeJsonObject(bytes);
            Optional<StoredResult> skip = results.doneBySamePackReadWhole(store, resultRef, mediaNow);
            BatchRow row = status.scan(List.of(new BatchItem(media, store))).rows().get(0);
            boolean current = row.outcome().equals(ObjectOutcome.PROCESSED);
            boolean statusDamaged = row.reason() != null && row.reason().contains(StoredResult.DAMAGED_WORDS);
            synchronized (counts) {
                counts.merge(skip.isEmpty() ? "tagged again" : skip.get().complete() ? "current" : "current, said damaged", 1, Integer::sum);
            }
            if (skip.isPresent() != current)
                wrong.add(d.name() + ": skip " + skip.isPresent() + ", status " + row.outcome() + " (" + row.reason() + ")");
            else if (skip.isPresent() && skip.get().complete() == statusDamaged)
                wrong.add(d.name() + ": skip says " + (skip.get().complete() ? "whole" : "damaged") + ", status " + row.reason());
            else if (skip.isPresent() && skip.get().complete() != whole)
                wrong.add(d.name() + ": current and " + (whole ? "said damaged, but it is whole JSON" : "said whole, but it is no whole JSON"));
            else if (skip.isEmpty() && statusUnreadable(row) != !headed(bytes))
                wrong.add(d.name() + ": tagged again, and status says " + row.reason() + " of a file that "
                        + (headed(bytes) ? "is a result of another pack or object version" : "is no result document"));
        }
        return wrong;
    }
}
