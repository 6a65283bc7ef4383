package dev.moodtag.tagging;

import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ResultWriter#writeStreamed} stages a result in the configured temporary folder ({@code moodtag.storage.temp-dir},
 * the {@link ScratchSpace} the media's copies use), not the JVM's: an edge box whose /tmp is a small tmpfs failed a
 * rewrite that the configured folder would hold. The staged file is gone after, whether the write succeeded, the
 * document was damaged or the store refused.
 */
class StreamedResultStagingTest {

    private static final String DOC = "{\"version\":2,\"status\":\"labelled\"}";

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aStreamedResultIsStagedInTheConfiguredFolderAndRemovedAfterAlsoOnFailure() throws Exception {
        Path base = Files.createDirectories(Path.of("target", "streamed-result-staging").toAbsolutePath());
        Path scratch = Files.createDirectories(base.resolve("scratch")), results = Files.createDirectories(base.resolve("results"));
        for (Path p : entries(scratch)) Files.delete(p);
        LocalObjectStorage store = new LocalObjectStorage(List.of(results), false);
        ObjectRef ref = store.refFor(results.resolve("a.wav.emotion.json"));
        ResultWriter writer = new ResultWriter(new FunctionMetrics(new SimpleMeterRegistry()), new ScratchSpace(scratch));
        String prefix = "moodtag-" + ProcessHandle.current().pid() + "-";

        List<Path> seen = new ArrayList<>();
        writer.writeStreamed(store, ref, out -> {
            seen.addAll(entries(scratch));
            out.writeRawValue(DOC);
        });
        assertEquals(1, seen.size(), "staged in the configured folder: " + seen);
        assertTrue(seen.get(0).getFileName().toString().startsWith(prefix), "named as the scratch space's: " + seen);
        assertEquals(List.of(), entries(scratch), "removed after");
        assertEquals(DOC, Files.readString(results.resolve("a.wav.emotion.json")).strip());

        // the document it copies is damaged: its own failure, nothing written, nothing left
        IOException damaged = assertThrows(IOException.class, () -> writer.writeStreamed(store, ref, out -> {
            out.writeStartObject();
            throw new IOException("cut short");
        }));
        assertEquals("cut short", damaged.getMessage());
        assertEquals(List.of(), entries(scratch), "removed after a damaged document");
        assertEquals(DOC, Files.readString(results.resolve("a.wav.emotion.json")).strip(), "nothing written");

        // the store refuses: its failure, nothing left
        LocalObjectStorage refusing = new LocalObjectStorage(List.of(results), false) {
            @Override
            public void writeAtomically(ObjectRef r, Path content, String contentType) {
                assertTrue(content.startsWith(scratch), "the store is given the staged file: " + content);
                throw new StorageException(StorageException.Kind.FAILED, r.uri() + ": read-only for the test");
            }
        };
        StorageException refused = assertThrows(StorageException.class,
                () -> writer.writeStreamed(refusing, ref, out -> out.writeRawValue(DOC)));
        assertTrue(refused.getMessage().endsWith("read-only for the test"), refused.getMessage());
        assertEquals(List.of(), entries(scratch), "removed after the store refused");

        // a configured folder that is gone: said, naming it and the result, as the deployment's (retryable)
        Path gone = base.resolve("gone");
        ResultWriter nowhere = new ResultWriter(new FunctionMetrics(new SimpleMeterRegistry()), new ScratchSpace(gone));
        StorageException missing = assertThrows(StorageException.class,
                () -> nowhere.writeStreamed(store, ref, out -> out.writeRawValue(DOC)));
        assertTrue(missing.getMessage().contains(gone.toString()) && missing.getMessage().contains("does not exist")
                && missing.getMessage().contains(ref.uri()), missing.getMessage());
        assertTrue(missing.kind().isTransient(), missing.kind().toString());
        assertEquals(DOC, Files.readString(results.resolve("a.wav.emotion.json")).strip(), "nothing written");
    }
}
