package dev.moodtag.train;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.media.Modality;
import dev.moodtag.support.UnwritableFile;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.Mounts;
import dev.moodtag.testing.SmallDisks;
import dev.moodtag.testing.SmallDisks.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The feature cache (what makes {@code moodtag train}'s extraction resumable) on small real file systems: a read-only
 * one, one full from the start and one that fills part-way through. Every cell must end the run with one line naming
 * the cache file and the fault (never a row counted as failed to encode, which trained on the rest), leave no
 * half-written entry, and let a later run with room complete with the features a run that never failed computes.
 */
class FeatureCacheOnFullDiskTest {

    private static final int DIM = 256;
    /** One entry of {@link #BLOCK}: hash, length, floats. */
    private static final long ENTRY_BYTES = 32 + 4 + 4L * DIM;
    private static final FeatureBlock BLOCK = new FeatureBlock("speech", Modality.SPEECH, DIM, "4444444444444444");
    /** Room for about 15 entries of {@link #BLOCK}, 10 of bge-small's. */
    private static final long SMALL = 16 << 10;

    @TempDir
    Path tmp;

    @RegisterExtension
    final SmallDisks disks = new SmallDisks();

    private Path cacheOn(Disk disk, String name) throws Exception {
        Path dir = tmp.resolve(name);
        disks.mount(dir, SMALL);
        switch (disk) {
            case READ_ONLY -> SmallDisks.readOnly(dir);
            case FULL_FROM_START -> Mounts.fill(dir, "other-files");
            case FILLS_PART_WAY -> {
            }
        }
        return dir;
    }

    private static Map<String, float[]> entries(int n, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> all = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byte[] hash = new byte[32];
            r.nextBytes(hash);
            float[] v = new float[DIM];
            for (int k = 0; k < DIM; k++) v[k] = (float) r.nextGaussian();
            all.put(java.util.HexFormat.of().formatHex(hash), v);
        }
        return all;
    }

    /** The cache file's bytes hold whole entries only. */
    private static void assertNothingHalfWritten(Path dir, String cell) throws Exception {
        Path file = dir.resolve(BLOCK.id()).resolve(BLOCK.fingerprint() + ".bin");
        long size = Files.exists(file) ? Files.size(file) : 0;
        assertEquals(0, size % ENTRY_BYTES, cell + ": " + size + " bytes are no whole number of entries");
    }

    /**
     * Each cell three ways: the run that meets the fault, the run after the disk has room again, and (part-way) the
     * same run going on once room came back (another file deleted meanwhile).
     */
    @Test
    void everyCellEndsInOneLineNamingTheFileLeavesWholeEntriesAndAReRunWithRoomGetsTheSameFeatures() throws Exception {
        Map<String, float[]> all = entries(30, 11);
        List<String> wrong = new ArrayList<>();
        for (Disk disk : Disk.values()) {
            for (boolean roomInTheSameRun : disk == Disk.FILLS_PART_WAY ? new boolean[]{false, true} : new boolean[]{false}) {
                String cell = disk + (roomInTheSameRun ? " (room again in the same run)" : "");
                Path dir = cacheOn(disk, disk.name().toLowerCase(java.util.Locale.ROOT) + roomInTheSameRun);
                int stored = 0;
                try (FeatureCache cache = new FeatureCache(dir)) {
                    for (var e : all.entrySet()) {
                        try {
                            cache.put(BLOCK, e.getKey(), new FeatureCache.Entry(e.getValue(), null));
                            stored++;
                        } catch (RuntimeException ex) {
                            if (!(ex instanceof UnwritableFile)) {
                                wrong.add(cell + ": " + ex.getClass().getName() + ": " + ex.getMessage());
                                break;
                            }
                            String m = ex.getMessage();
                            if (!m.contains(disk.words) || !m.contains(dir.toString()) || m.contains("\n")
                                    || m.contains("Exception"))
                                wrong.add(cell + ": not one line naming the file and '" + disk.words + "': " + m);
                            if (!roomInTheSameRun) break;
                            Mounts.resize(dir, 1L << 20);
                            roomInTheSameRun = false; // once
                        }
                    }
                } catch (RuntimeException opening) {
                    wrong.add(cell + ": closing: " + opening);
                }
                if (disk == Disk.FILLS_PART_WAY && !cell.contains("same run") && (stored == 0 || stored == all.size()))
                    wrong.add(cell + ": the disk should have filled part-way, " + stored + " of " + all.size() + " stored");
                try {
                    assertNothingHalfWritten(dir, cell);
                } catch (AssertionError e) {
                    wrong.add(e.getMessage());
                }
                // A later run with room: what the cache serves is what was put, never another utterance's bytes, and
                // it completes.
                Files.deleteIfExists(dir.resolve("other-files"));
                SmallDisks.makeRoom(dir, 1L << 20);
                try (FeatureCache cache = new FeatureCache(dir)) {
                    for (var e : all.entrySet()) {
                        Optional<FeatureCache.Entry> got = cache.get(BLOCK, e.getKey());
                        if (got.isPresent() && !java.util.Arrays.equals(got.get().vector(), e.getValue())) {
                            wrong.add(cell + ": the next run is served other features for " + e.getKey().substring(0, 8));
                            break;
                        }
                    }
                    for (var e : all.entrySet()) cache.put(BLOCK, e.getKey(), new FeatureCache.Entry(e.getValue(), null));
                } catch (RuntimeException e) {
                    wrong.add(cell + ": the run with room failed: " + e);
                }
                try (FeatureCache cache = new FeatureCache(dir)) {
                    for (var e : all.entrySet())
                        if (!java.util.Arrays.equals(all.get(e.getKey()),
                                cache.get(BLOCK, e.getKey()).map(FeatureCache.Entry::vector).orElse(null))) {
                            wrong.add(cell + ": after the run with room, " + e.getKey().substring(0, 8) + " is not as put");
                            break;
                        }
                }
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " cell(s) wrong");
    }

    /**
     * Through the extraction with the real text encoder: a cache that cannot be written stops it (before, every row
     * from there on was counted as failed to encode and the training went on without them), and the rerun with room
     * gives exactly the vectors of a run on a disk that never filled.
     */
    @Test
    void theExtractionStopsOnAnUnwritableCacheAndTheRerunWithRoomGivesTheSameVectors() throws Exception {
        Path m = tmp.resolve("m.csv");
        StringBuilder csv = new StringBuilder("id,transcript,label,split\n");
        String[] words = {"happy", "sad", "angry", "calm", "tired", "afraid", "glad", "bored"};
        for (int i = 0; i < 24; i++)
            csv.append("r").append(i).append(",I feel ").append(words[i % words.length]).append(" about thing ").append(i)
                    .append(",x").append(i % 3).append(",train\n");
        Files.writeString(m, csv);
        DatasetManifest manifest = DatasetManifest.read(m);
        Map<String, float[][]> reference;
        try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
             FeatureCache cache = new FeatureCache(tmp.resolve("plain"))) {
            reference = new FeatureExtractor(engine, null, cache, 2).extract(manifest.rows()).vectors();
        }
        assertEquals(24, reference.size());
        List<String> wrong = new ArrayList<>();
        for (Disk disk : Disk.values()) {
            Path dir = cacheOn(disk, "x-" + disk);
            try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
                 FeatureCache cache = new FeatureCache(dir)) {
                FeatureExtractor.Result r = new FeatureExtractor(engine, null, cache, 2).extract(manifest.rows());
                wrong.add(disk + ": the extraction went on: " + r.failed().size() + " row(s) counted as failed, e.g. "
                        + r.failed().values().stream().findFirst().orElse("none"));
            } catch (RuntimeException e) {
                Optional<Throwable> cause = Stream.iterate((Throwable) e, t -> t != null, Throwable::getCause)
                        .filter(UnwritableFile.class::isInstance).findFirst();
                if (cause.isEmpty()) wrong.add(disk + ": ended in " + e);
                else if (!cause.get().getMessage().contains(disk.words) || !cause.get().getMessage().contains(dir.toString()))
                    wrong.add(disk + ": " + cause.get().getMessage());
            }
            Files.deleteIfExists(dir.resolve("other-files"));
            SmallDisks.makeRoom(dir, 1L << 20);
            try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
                 FeatureCache cache = new FeatureCache(dir)) {
                FeatureExtractor.Result r = new FeatureExtractor(engine, null, cache, 2).extract(manifest.rows());
                if (!r.failed().isEmpty()) wrong.add(disk + ": the rerun with room failed rows " + r.failed());
                for (var row : reference.entrySet()) {
                    float[][] got = r.vectors().get(row.getKey());
                    if (got == null || !java.util.Arrays.equals(got[0], row.getValue()[0])) {
                        wrong.add(disk + ": the rerun with room gave other features for " + row.getKey());
                        break;
                    }
                }
            } catch (RuntimeException e) {
                wrong.add(disk + ": the rerun with room ended in " + e);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " cell(s) wrong");
    }
}
