package dev.moodtag.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.support.UnwritableFile;
import dev.moodtag.testing.Mounts;
import dev.moodtag.testing.SmallDisks;
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
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code moodtag tag}'s report folder ({@code --out}: index.jsonl, index.csv, report.html) on a read-only tmpfs, one
 * full from the start and one that fills part-way (after the index, before the report; and after the first file), and
 * with an earlier run's report in it. Every cell ends in one line naming the file and the fault, leaves every file as
 * a whole run writes it or as the earlier run left it, and the run with room writes what a run that never failed writes.
 */
class TagReportOnFullDiskTest {

    enum Disk {
        READ_ONLY(SmallDisks.READ_ONLY_WORDS),
        FULL_FROM_START(SmallDisks.FULL_WORDS),
        FILLS_AFTER_ONE_FILE(SmallDisks.FULL_WORDS),
        FILLS_AFTER_THE_INDEX(SmallDisks.FULL_WORDS);

        final String words;

        Disk(String words) {
            this.words = words;
        }
    }

    @TempDir
    Path tmp;

    @RegisterExtension
    final SmallDisks disks = new SmallDisks();

    private static BatchSummary summary(int rows) throws IOException {
        List<BatchRow> all = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            var result = new ObjectMapper().readTree("""
                    {"classifier": {"classes": ["happy", "sad"]},
                     "timeline": {"segmentation": "vad", "durationSeconds": 60, "segments": [
                       {"start": 2, "end": 4, "status": "labelled", "label": "happy", "probabilities": {"happy": 0.7, "sad": 0.3}}]},
                     "summary": {"dominant": "happy", "shareOfTime": {"happy": 1.0}}}""");
            all.add(new BatchRow("file:///a/clip" + i + ".wav", "processed", "labelled", "happy", 1, "happy", null,
                    "file:///a/clip" + i + ".wav.emotion.json", 1.0, result));
        }
        return new BatchSummary(all, 1.0, false);
    }

    @Test
    void everyCellSaysWhichFileAndWhyKeepsWholeFilesAndTheRunWithRoomWritesTheSame() throws Exception {
        BatchSummary summary = summary(40);
        Path plain = tmp.resolve("plain");
        new BatchReport().write(summary, plain, "t");
        Map<String, byte[]> reference = files(plain);
        byte[] earlierCsv = "earlier run's index\n".getBytes();
        List<String> wrong = new ArrayList<>();
        for (Disk disk : Disk.values()) {
            for (boolean earlier : new boolean[]{false, true}) {
                String cell = disk + (earlier ? " over an earlier report" : "");
                Path out = tmp.resolve(disk.name().toLowerCase(Locale.ROOT) + earlier);
                // index.jsonl first, then index.csv, then report.html; a tmpfs counts whole pages
                long size = switch (disk) {
                    case FILLS_AFTER_ONE_FILE -> pages(reference.get("index.jsonl").length);
                    case FILLS_AFTER_THE_INDEX -> pages(reference.get("index.jsonl").length) + pages(reference.get("index.csv").length);
                    default -> 1 << 20;
                };
                if (earlier) size += 4096;
                disks.mount(out, size);
                if (earlier) Files.write(out.resolve("index.csv"), earlierCsv);
                switch (disk) {
                    case READ_ONLY -> SmallDisks.readOnly(out);
                    case FULL_FROM_START -> Mounts.fill(out, "other-files");
                    default -> {
                    }
                }
                try {
                    new BatchReport().write(summary, out, "t");
                    wrong.add(cell + ": the report was written");
                } catch (IllegalArgumentException refused) {
                    // the folder's check before writing (ReportFolder.prepare): read-only is found there
                    if (!refused.getMessage().contains(disk.words) || !refused.getMessage().contains(out.toString()))
                        wrong.add(cell + ": " + refused.getMessage());
                } catch (UnwritableFile e) {
                    if (!e.getMessage().contains(disk.words) || !e.getMessage().contains(out.toString()) || e.getMessage().contains("\n"))
                        wrong.add(cell + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    wrong.add(cell + ": ended in " + e);
                }
                Map<String, byte[]> left = files(out);
                left.remove("other-files");
                left.remove(".moodtag.lock");
                for (var f : left.entrySet()) {
                    boolean asEarlier = earlier && f.getKey().equals("index.csv") && Arrays.equals(earlierCsv, f.getValue());
                    if (!asEarlier && !Arrays.equals(reference.get(f.getKey()), f.getValue()))
                        wrong.add(cell + ": left " + f.getKey() + " (" + f.getValue().length + " bytes) half-written or stray");
                }
                Files.deleteIfExists(out.resolve("other-files"));
                SmallDisks.makeRoom(out, 1 << 20);
                try {
                    new BatchReport().write(summary, out, "t");
                    Map<String, byte[]> again = files(out);
                    again.remove(".moodtag.lock");
                    if (!again.keySet().equals(reference.keySet()))
                        wrong.add(cell + ": the run with room left " + again.keySet());
                    for (var f : again.entrySet())
                        if (!Arrays.equals(reference.get(f.getKey()), f.getValue()))
                            wrong.add(cell + ": the run with room wrote another " + f.getKey());
                } catch (RuntimeException e) {
                    wrong.add(cell + ": the run with room ended in " + e);
                }
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " cell(s) wrong");
    }

    /**
     * A run over an earlier run's whole report on a disk that fills part-way (after this run's index.jsonl, or after
     * both index files) leaves the earlier run's three files as they were: this run's index.jsonl had replaced the
     * earlier one beside the earlier index.csv and report.html, each whole, the report describing another batch than
     * the index, and nothing saying which file came from which run. With room, the run writes its own three.
     */
    @Test
    void aRunThatFailsPartWayLeavesTheEarlierRunsReportWhole() throws Exception {
        BatchSummary earlierRun = summary(2), thisRun = summary(300);
        Path plain = tmp.resolve("plain");
        new BatchReport().write(thisRun, plain, "this run");
        Map<String, byte[]> reference = files(plain);
        new BatchReport().write(earlierRun, tmp.resolve("plain-earlier"), "earlier run");
        Map<String, byte[]> earlier = files(tmp.resolve("plain-earlier"));
        long earlierPages = earlier.values().stream().mapToLong(b -> pages(b.length)).sum();
        List<String> wrong = new ArrayList<>();
        for (Disk disk : List.of(Disk.FILLS_AFTER_ONE_FILE, Disk.FILLS_AFTER_THE_INDEX)) {
            String cell = disk.name();
            Path out = tmp.resolve(disk.name().toLowerCase(Locale.ROOT) + "-over-earlier");
            long room = pages(reference.get("index.jsonl").length)
                    + (disk == Disk.FILLS_AFTER_THE_INDEX ? pages(reference.get("index.csv").length) : 0);
            disks.mount(out, earlierPages + room);
            new BatchReport().write(earlierRun, out, "earlier run");
            try {
                new BatchReport().write(thisRun, out, "this run");
                wrong.add(cell + ": the report was written");
            } catch (UnwritableFile e) {
                if (!e.getMessage().contains(disk.words) || !e.getMessage().contains(out.toString()) || e.getMessage().contains("\n"))
                    wrong.add(cell + ": " + e.getMessage());
            }
            Map<String, byte[]> left = files(out);
            List<String> from = new ArrayList<>();
            for (String name : earlier.keySet())
                from.add(name + " " + (Arrays.equals(earlier.get(name), left.get(name)) ? "earlier run's"
                        : Arrays.equals(reference.get(name), left.get(name)) ? "this run's" : "neither run's"));
            if (!left.keySet().equals(earlier.keySet()) || from.stream().anyMatch(f -> !f.endsWith("earlier run's")))
                wrong.add(cell + ": left " + left.keySet() + ": " + from);
            try (Stream<Path> names = Files.list(out)) {
                List<String> staged = names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
                if (!staged.isEmpty()) wrong.add(cell + ": left " + staged);
            }
            SmallDisks.makeRoom(out, 1 << 20);
            new BatchReport().write(thisRun, out, "this run");
            Map<String, byte[]> again = files(out);
            if (!again.keySet().equals(reference.keySet())
                    || again.entrySet().stream().anyMatch(f -> !Arrays.equals(reference.get(f.getKey()), f.getValue())))
                wrong.add(cell + ": the run with room wrote another report: " + again.keySet());
        }
        assertEquals(List.of(), wrong, String.join("\n", wrong));
    }

    private static long pages(long bytes) {
        return (bytes + 4095) / 4096 * 4096;
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        if (!Files.isDirectory(root)) return all;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList())
                all.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return all;
    }
}
