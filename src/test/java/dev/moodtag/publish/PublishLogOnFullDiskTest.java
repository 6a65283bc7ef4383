package dev.moodtag.publish;

import dev.moodtag.support.UnwritableFile;
import dev.moodtag.testing.Mounts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code tag --publish --publish-log} on a tmpfs that fills part-way, then has room again within the same publish (other
 * files deleted): a line the disk refused is not in the log, no part of it is glued to the next, and every line written
 * is read back as acknowledged by the next publish (else its object is sent again). The refusal names the log and says
 * no space is left.
 */
class PublishLogOnFullDiskTest {

    @TempDir
    Path tmp;

    @Test
    void aRefusedLineLeavesNothingAndTheLinesAroundItAreReadBack() throws Exception {
        Path mount = tmp.resolve("logs");
        Assumptions.assumeTrue(Mounts.tmpfs(mount, 8 << 10), "skipped: this process may not mount a tmpfs (needs root)");
        try {
            Path log = mount.resolve("publish-log.jsonl");
            List<String> written = new ArrayList<>(), wrong = new ArrayList<>();
            boolean grown = false;
            try (PublishJournal journal = PublishJournal.open(log)) {
                for (int i = 0; i < 120; i++) {
                    String id = "moodtag-" + i;
                    try {
                        journal.append(new PublishRecord("file:///a/clip-" + i + ".wav", id, PublishState.PUBLISHED, 202, 1,
                                null, 0.01, "2026-01-01T00:00:00Z"));
                        written.add(id);
                    } catch (RuntimeException e) {
                        if (!(e instanceof UnwritableFile) || !e.getMessage().contains("no space left on the file system of")
                                || !e.getMessage().contains(mount.toString()))
                            wrong.add("line " + i + ": " + e);
                        if (grown) {
                            wrong.add("refused again with room");
                            break;
                        }
                        Assumptions.assumeTrue(Mounts.resize(mount, 1 << 20), "skipped: cannot remount with room");
                        grown = true;
                    }
                }
            }
            if (!grown) wrong.add("the log never filled");
            try (PublishJournal again = PublishJournal.open(log)) {
                for (String id : written) if (!again.acknowledged(id)) wrong.add(id + " written but not read back");
            }
            long lines = Files.readAllLines(log).size();
            if (lines != written.size()) wrong.add(lines + " lines for " + written.size() + " written");
            assertEquals(List.of(), wrong);
        } finally {
            Mounts.unmount(mount);
        }
    }
}
