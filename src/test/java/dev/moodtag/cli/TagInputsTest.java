package dev.moodtag.cli;

import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TagInputsTest {

    @Test
    void anObjectNamedByTwoInputsIsTakenOnce(@TempDir Path dir) throws IOException {
        for (String f : List.of("a.wav", "sub/b.mp4")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "x");
        }
        // Before, `moodtag status dir dir` counted every file twice and `tag` tagged it twice.
        List<String> inputs = List.of(dir.toString(), dir.toString(), dir.resolve("sub/b.mp4").toString(),
                dir.resolve("sub").toString());
        List<BatchItem> items = TagCommand.resolve(new BatchSources(null), inputs, ".emotion.json", "status").orElseThrow();
        assertEquals(List.of("a.wav", "b.mp4"), items.stream().map(i -> TagCommand.shortName(i.ref().uri())).sorted().toList());
    }
}
