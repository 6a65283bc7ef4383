package dev.moodtag.train;

import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.support.UnwritableFile;
import dev.moodtag.testing.Mounts;
import dev.moodtag.testing.SmallDisks;
import dev.moodtag.testing.SmallDisks.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code moodtag train}'s other writes, the report folder ({@code --out}) and the exported classifier ({@code --export}),
 * each on a read-only tmpfs, one full from the start and one that fills part-way, with a precomputed-feature manifest
 * (no encoder, so each cell takes a second). Every cell ends in one line naming the place and the fault, leaves every
 * file whole (as a run with room writes it) or absent, keeps an earlier export loadable, and a rerun with room writes what
 * a run that never failed writes.
 */
class TrainWritesOnFullDiskTest {

    enum Write {REPORT, EXPORT}

    @TempDir
    Path tmp;

    @RegisterExtension
    final SmallDisks disks = new SmallDisks();

    @Test
    void everyCellSaysWhereAndWhyLeavesNothingHalfWrittenAndAReRunWithRoomWritesTheSame() throws Exception {
        Path manifest = manifest();
        Path plain = tmp.resolve("plain");
        run(manifest, plain.resolve("report"), plain.resolve("export"));
        Map<String, byte[]> reference = files(plain);
        long reportBytes = reference.entrySet().stream().filter(e -> e.getKey().startsWith("report/"))
                .mapToLong(e -> pages(e.getValue().length)).sum();
        long exportBytes = reference.entrySet().stream().filter(e -> e.getKey().startsWith("export/"))
                .mapToLong(e -> pages(e.getValue().length)).sum();
        List<String> wrong = new ArrayList<>();
        for (Write write : Write.values()) {
            for (Disk disk : Disk.values()) {
                String cell = write + " on " + disk;
                Path mount = tmp.resolve((write + "-" + disk).toLowerCase(Locale.ROOT));
                // part-way: room for about half of what the place gets
                long size = disk == Disk.FILLS_PART_WAY ? (write == Write.REPORT ? reportBytes : exportBytes) / 2 : 1 << 20;
                disks.mount(mount, size);
                Path report = write == Write.REPORT ? mount.resolve("report") : tmp.resolve(cell.replace(' ', '-') + "-report");
                Path export = write == Write.EXPORT ? mount.resolve("export") : tmp.resolve(cell.replace(' ', '-') + "-export");
                boolean earlier = write == Write.EXPORT && disk != Disk.FILLS_PART_WAY;
                if (earlier) {
                    // an earlier export, which a failed one must leave loadable
                    copy(plain.resolve("export"), export);
                }
                switch (disk) {
                    case READ_ONLY -> SmallDisks.readOnly(mount);
                    case FULL_FROM_START -> Mounts.fill(mount, "other-files");
                    case FILLS_PART_WAY -> {
                    }
                }
                try {
                    run(manifest, report, export);
                    wrong.add(cell + ": the run passed");
                } catch (RuntimeException e) {
                    Optional<Throwable> line = Stream.iterate((Throwable) e, t -> t != null, Throwable::getCause)
                            .filter(UnwritableFile.class::isInstance).findFirst();
                    if (line.isEmpty()) wrong.add(cell + ": ended in " + e);
                    else if (!line.get().getMessage().contains(disk.words) || !line.get().getMessage().contains(mount.toString())
                            || line.get().getMessage().contains("\n"))
                        wrong.add(cell + ": " + line.get().getMessage());
                }
                // What is left on the mount: every file as the run with room wrote it, or absent; an earlier export
                // whole.
                Map<String, byte[]> left = files(mount);
                left.remove("other-files");
                for (var f : left.entrySet()) {
                    byte[] expected = reference.get(f.getKey());
                    if (expected == null || !Arrays.equals(expected, f.getValue()))
                        wrong.add(cell + ": left " + f.getKey() + " (" + f.getValue().length + " bytes) half-written or stray");
                }
                if (earlier) {
                    try {
                        ClassifierStore.load(export);
                    } catch (RuntimeException e) {
                        wrong.add(cell + ": the earlier export no longer loads: " + e.getMessage());
                    }
                }
                Files.deleteIfExists(mount.resolve("other-files"));
                SmallDisks.makeRoom(mount, 4 << 20);
                try {
                    run(manifest, report, export);
                    Map<String, byte[]> again = files(mount);
                    for (var f : again.entrySet())
                        if (!Arrays.equals(reference.get(f.getKey()), f.getValue())) wrong.add(cell + ": the rerun with room "
                                + "wrote another " + f.getKey());
                } catch (RuntimeException e) {
                    wrong.add(cell + ": the rerun with room ended in " + e);
                }
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " cell(s) wrong");
    }

    /** What a file takes on a tmpfs: whole pages. */
    private static long pages(long bytes) {
        return (bytes + 4095) / 4096 * 4096;
    }

    private static void run(Path manifest, Path report, Path export) {
        Trainer.Request req = new Trainer.Request("toy", manifest, LabelMap.parse("identity"), "grouped:3",
                Synthetic.settings(FusionMode.LATE), Set.of(), report, Optional.of(export), true, false);
        new Trainer().run(req, needed -> {
            throw new AssertionError("a precomputed-feature manifest needs no encoder");
        });
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        return TrainingStopTest.files(root);
    }

    private Path manifest() throws IOException {
        return TrainingStopTest.toyManifest(tmp);
    }
}
