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

    /**
     * `moodtag tag /tmp/a /tmp/a/clip.wav` with /tmp/a a link to the archive: the folder was listed where it leads, the
     * file by the link's path, two URIs for one file, and it was tagged twice at once (found by a review).
     */
    @Test
    void aFileNamedThroughALinkedFolderIsTheFileTheFolderLists(@TempDir Path dir) throws IOException {
        Path arch = Files.createDirectories(dir.resolve("data/arch"));
        Files.writeString(arch.resolve("clip.wav"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("a"), arch);
        Files.writeString(dir.resolve("list.csv"), "path\na/clip.wav\ndata/arch/clip.wav\n");
        List<String> inputs = List.of(link.toString(), link.resolve("clip.wav").toString(), dir.resolve("list.csv").toString());
        List<BatchItem> items = TagCommand.resolve(new BatchSources(null), inputs, ".emotion.json", "tag").orElseThrow();
        assertEquals(List.of(arch.toRealPath().resolve("clip.wav").toString()),
                items.stream().map(i -> Path.of(i.ref().container(), i.ref().key()).toString()).toList());
    }
}
