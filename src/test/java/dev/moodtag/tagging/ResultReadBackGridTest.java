package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.pack.PackIdentity;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.StorageException;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Result documents read back, seeded by a result the product wrote ({@code src/test/resources/results}: {@code moodtag
 * tag} on a copy of the shared samples) beside a copy of the sample it describes, and judged as {@code moodtag status}
 * judges them ({@link ArchiveStatus}) against what tagging the object would then meet.
 */
class ResultReadBackGridTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path SEED = Path.of("src", "test", "resources", "results", "03a05Fc.wav.emotion.json");
    private static final String MEDIA = "03a05Fc.wav";

    @TempDir
    Path tmp;

    /** The pack and classifier the seed names: the configured pack, for which the seed is current. */
    static PackIdentity packOf(JsonNode result) {
        return new PackIdentity(result.at("/pack/id").asText(), result.at("/pack/version").asText(),
                result.at("/classifier/description").asText());
    }

    private static ObjectFilterTest.Config config() {
        return new ObjectFilterTest.Config(new ObjectFilterTest.Result(Optional.empty(), ".emotion.json"),
                new ObjectFilterTest.Filter(Optional.empty(), Optional.empty(), Optional.empty(), 536870912));
    }

    static ResultLocator locator() throws IOException {
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
}
