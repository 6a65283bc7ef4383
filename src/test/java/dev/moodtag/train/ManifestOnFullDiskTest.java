package dev.moodtag.train;

import dev.moodtag.support.UnwritableFile;
import dev.moodtag.testing.Mounts;
import dev.moodtag.testing.SmallDisks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A manifest ({@code moodtag dataset}, and train's {@code --dataset}) written on a tmpfs that is full from the start,
 * fills part-way or is read-only: one line naming the file and the fault, never a manifest cut after its last whole
 * line (which train read as the corpus with fewer rows), an earlier manifest kept, and the same bytes once there is room.
 */
class ManifestOnFullDiskTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final SmallDisks disks = new SmallDisks();

    @Test
    void aManifestIsWrittenWholeOrNotAtAllAndSaysWhy() throws Exception {
        List<String> header = List.of("id", "label", "transcript");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) rows.add(List.of("row" + i, i % 2 == 0 ? "happy" : "sad", "some words of row " + i));
        Path plain = tmp.resolve("plain.csv");
        DatasetManifest.write(plain, header, rows);
        byte[] reference = Files.readAllBytes(plain);
        byte[] earlier = "id,label,transcript\nold,sad,kept\n".getBytes();
        List<String> wrong = new ArrayList<>();
        for (String disk : List.of("read-only", "full from the start", "fills part-way")) {
            for (boolean withEarlier : new boolean[]{false, true}) {
                String cell = disk + (withEarlier ? " over an earlier manifest" : "");
                Path mount = tmp.resolve(cell.replace(' ', '-'));
                long size = disk.equals("fills part-way") ? reference.length / 2 / 4096 * 4096 + (withEarlier ? 4096 : 0) : 1 << 20;
                disks.mount(mount, size);
                Path file = mount.resolve("m.csv");
                if (withEarlier) Files.write(file, earlier);
                if (disk.equals("read-only")) SmallDisks.readOnly(mount);
                if (disk.equals("full from the start")) Mounts.fill(mount, "other-files");
                try {
                    DatasetManifest.write(file, header, rows);
                    wrong.add(cell + ": written");
                } catch (UnwritableFile e) {
                    String words = disk.equals("read-only") ? "is on a read-only file system" : "no space left on the file system of";
                    if (!e.getMessage().contains(words) || !e.getMessage().contains(file.toString()))
                        wrong.add(cell + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    wrong.add(cell + ": ended in " + e);
                }
                try (var left = Files.list(mount)) {
                    for (Path p : left.toList()) {
                        if (p.getFileName().toString().equals("other-files")) continue;
                        byte[] b = Files.readAllBytes(p);
                        if (!(p.equals(file) && withEarlier && Arrays.equals(b, earlier)))
                            wrong.add(cell + ": left " + p.getFileName() + " (" + b.length + " bytes)");
                    }
                }
                Files.deleteIfExists(mount.resolve("other-files"));
                SmallDisks.makeRoom(mount, 4 << 20);
                DatasetManifest.write(file, header, rows);
                if (!Arrays.equals(reference, Files.readAllBytes(file))) wrong.add(cell + ": the run with room wrote other bytes");
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " cell(s) wrong");
    }
}
