package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.pack.PackIdentity;
import dev.moodtag.storage.ForwardingStorage;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.support.Sha256;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.TypeLiteral;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@code moodtag status} asks of the store per object, through a counting store over a real folder: an object
 * with no result was stat'ed twice (once to compare a result with it, once for what the function ignores), 200,000
 * stats for a folder of 100,000 pending files, each a walk of the folders from the root and two attribute reads.
 */
class StatusStatsOnceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PackIdentity PACK = new PackIdentity("p", "1", "c");

    @TempDir
    Path tmp;

    /** The store the listing gives, counting what status asks of it. */
    private static final class Counting extends ForwardingStorage {
        final Map<String, AtomicInteger> stats = new TreeMap<>();
        final AtomicInteger reads = new AtomicInteger();

        Counting(ObjectStorage store) {
            super(store);
        }

        @Override
        public Optional<ObjectInfo> stat(ObjectRef ref) {
            stats.computeIfAbsent(ref.key(), k -> new AtomicInteger()).incrementAndGet();
            return store.stat(ref);
        }

        @Override
        public <T> T read(ObjectRef ref, ContentReader<T> reader) {
            reads.incrementAndGet();
            return store.read(ref, reader);
        }

        @Override
        public <T> T read(ObjectInfo stat, ContentReader<T> reader) {
            reads.incrementAndGet();
            return store.read(stat, reader);
        }

        @Override
        public void writeAtomically(ObjectRef ref, byte[] content, String contentType) {
            throw new AssertionError("status writes nothing into storage: " + ref);
        }
    }

    /** The configured pack's identity, as CDI hands it to the locator (ResultReadBackGridTest uses it too). */
    record Identity(PackIdentity identity) implements Instance<PackIdentity> {
        @Override
        public PackIdentity get() {
            return identity;
        }

        @Override
        public Instance<PackIdentity> select(Annotation... qualifiers) {
            return this;
        }

        @Override
        public <U extends PackIdentity> Instance<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends PackIdentity> Instance<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isUnsatisfied() {
            return false;
        }

        @Override
        public boolean isAmbiguous() {
            return false;
        }

        @Override
        public void destroy(PackIdentity instance) {
        }

        @Override
        public Handle<PackIdentity> getHandle() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterable<? extends Handle<PackIdentity>> handles() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterator<PackIdentity> iterator() {
            return List.of(identity).iterator();
        }
    }

    @Test
    void eachObjectIsStatedOnceWhetherItHasACurrentResultOrNone() throws Exception {
        ObjectFilterTest.Config config = new ObjectFilterTest.Config(new ObjectFilterTest.Result(Optional.empty(),
                ".emotion.json"), new ObjectFilterTest.Filter(Optional.empty(), Optional.empty(), Optional.empty(), 536870912));
        ArchiveStatus status = new ArchiveStatus(new ResultLocator(config, new Identity(PACK)), new ObjectFilter(config));
        Counting store = new Counting(LocalObjectStorage.ofNamedFolder(tmp));
        LocalObjectStorage local = LocalObjectStorage.ofNamedFolder(tmp);
        // Empty and not, pending and tagged, and a tagged one whose result is another pack's (none yet for status)
        List<BatchItem> items = new ArrayList<>();
        int n = 0;
        for (int size : new int[]{0, 1, 4096}) {
            for (String state : List.of("pending", "tagged", "other-pack")) {
                byte[] bytes = new byte[size];
                Path media = Files.write(tmp.resolve(state + "-" + size + "-" + n++ + ".wav"), bytes);
                ObjectRef ref = local.refFor(media);
                if (!state.equals("pending")) {
                    ObjectInfo info = local.stat(ref).orElseThrow();
                    ObjectNode doc = JSON.createObjectNode().put("version", 2).put("status", "labelled").put("label", "happy");
                    doc.putObject("source").put("uri", ref.uri()).put("size", size).put("sha256", Sha256.of(bytes))
                            .put("lastModified", info.lastModified().orElseThrow().toString())
                            .put("fileVersion", info.fileVersion().orElseThrow());
                    doc.putObject("pack").put("id", "p").put("version", state.equals("tagged") ? "1" : "0");
                    doc.putObject("classifier").put("description", "c");
                    Files.write(tmp.resolve(media.getFileName() + ".emotion.json"), JSON.writeValueAsBytes(doc));
                }
                items.add(new BatchItem(ref, store));
            }
        }

        BatchSummary summary = status.scan(items);

        Map<String, String> outcomes = new TreeMap<>();
        for (BatchRow row : summary.rows()) outcomes.put(row.object().replaceAll(".*/", ""), row.outcome());
        Map<String, String> expected = new TreeMap<>();
        for (BatchItem item : items)
            expected.put(item.ref().name(), item.ref().name().startsWith("tagged") ? ObjectOutcome.PROCESSED : BatchRow.PENDING);
        assertEquals(expected, outcomes, "what status says of each object");
        Map<String, Integer> stats = new TreeMap<>();
        store.stats.forEach((key, count) -> stats.put(key, count.get()));
        Map<String, Integer> once = new TreeMap<>();
        items.forEach(i -> once.put(i.ref().key(), 1));
        assertEquals(once, stats, "stats per object");
        assertEquals(items.size(), store.reads.get(), "reads: one per object, of its result (none of the media)");
    }
}
