package dev.moodtag.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.support.Sha256;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded race campaign against a live watcher: random operations at random moments (copies, slow writes pausing
 * around the settle time, appends, truncations, overwrites, deletes, renames within, into and out of the inbox,
 * replacement by a link, a FIFO or a folder, touches, a burst of tiny files) on copies of the shared samples, then,
 * once the inbox is left alone, the watch's promises against the inbox's final state: every media file that is there
 * has one result naming its current bytes, no result of an internal error, no result of a version that never sat still
 * in the inbox, the watcher still answers a new file, and threads, descriptors and heap are back where they were.
 * A minute or more per seed on the shared 2-core machine, over CI's 30 s: it runs only when seeds are given, e.g.
 * {@code -Dwatchrace.seeds=1,2,3 -Dwatchrace.ops=60 -Dwatchrace.burst=500} (bench/README.md).
 */
@QuarkusTest
@TestProfile(WatchModeTest.Profile.class)
@Tag("quarkus")
class WatchRaceCampaignTest {

    static final Duration SETTLE = Duration.ofMillis(1000), ERROR_SETTLE = Duration.ofSeconds(3),
            RESCAN = Duration.ofSeconds(1);
    static final String SUFFIX = ".emotion.json";
    static final List<String> SAMPLES = List.of("03a05Fc.wav", "03b01Wa.wav", "03b09Tc.wav", "Cole_Chapman_0001.jpg",
            "John_Brady_0002.jpg");
    /** A small pool of names, so operations collide on the same files; one is not media by its name. */
    static final List<String> NAMES = List.of("a.wav", "b.wav", "c.jpg", "sub/d.wav", "sub/e.jpg", "sub/deep/f.wav",
            "notes.unknownext");

    @Inject
    InboxWatchers watchers;

    @Test
    void aRandomRaceAgainstTheWatcherKeepsItsPromises() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("watchrace.seeds") != null,
                "a campaign of a minute or more a seed: run with -Dwatchrace.seeds=1,2,3");
        List<Long> seeds = Arrays.stream(System.getProperty("watchrace.seeds").split(",")).map(Long::parseLong).toList();
        int ops = Integer.getInteger("watchrace.ops", 30), burst = Integer.getInteger("watchrace.burst", 40);
        for (long seed : seeds) campaign(seed, ops, burst);
    }

    /** What the driver left: every version each path held once an operation was done, for the final check. */
    private record Log(Map<String, Set<String>> versions, Map<String, Integer> counts) {
        void op(String name) {
            counts.merge(name, 1, Integer::sum);
        }
    }

    private void campaign(long seed, int ops, int burst) throws Exception {
        Path root = Files.createDirectories(WatchModeTest.WORK.resolve("race-" + seed));
        Path inbox = Files.createDirectories(root.resolve("inbox")), outside = Files.createDirectories(root.resolve("outside"));
        Random random = new Random(seed);
        Map<String, byte[]> samples = new LinkedHashMap<>();
        for (String s : SAMPLES) samples.put(s, Files.readAllBytes(Fixtures.sample(s)));

        InboxWatcher watcher = watchers.create(inbox, Optional.empty(), SETTLE, ERROR_SETTLE, RESCAN);
        Thread thread = new Thread(watcher, "inbox-watcher-race-" + seed);
        thread.start();
        // Measured once the watcher has tagged a file: pools that start with the first tagging are not a leak.
        Path first = inbox.resolve("first-" + seed + ".wav");
        Files.write(first, samples.get("03a05Fc.wav"));
        WatchModeTest.awaitResult(Path.of(first + SUFFIX));
        long threads0 = Thread.activeCount(), fds0 = fds(), heap0 = heapAfterGc();
        Log log = new Log(new LinkedHashMap<>(), new LinkedHashMap<>());
        try {
            for (int i = 0; i < ops; i++) {
                operate(random, inbox, outside, samples, log, burst);
                Thread.sleep((long) (random.nextDouble() * SETTLE.toMillis() * 1.5));
            }
            settleAndCheck(seed, inbox, watcher, thread, log);
            // Still answering: a new file gets its result.
            Path fresh = inbox.resolve("after-" + seed + ".wav");
            Files.write(fresh, samples.get("03b01Wa.wav"));
            JsonNode r = WatchModeTest.awaitResult(Path.of(fresh + SUFFIX));
            assertEquals(Sha256.of(Files.readAllBytes(fresh)), r.at("/source/sha256").asText(), "seed " + seed);
            assertTrue(thread.isAlive(), "seed " + seed + ": the watcher stopped");
        } finally {
            watcher.stop();
            thread.join(30_000);
        }
        long threads1 = Thread.activeCount(), fds1 = fds(), heap1 = heapAfterGc();
        System.out.printf("watchrace seed %d: %d ops %s; threads %d -> %d, fds %d -> %d, heap after GC %d -> %d MB; "
                        + "handled %d, held back %d, retried %d, scans %d%n", seed, ops, log.counts(), threads0, threads1,
                fds0, fds1, heap0 >> 20, heap1 >> 20, watcher.handled(), watcher.heldBack(), watcher.retried(),
                watcher.scans());
        assertTrue(threads1 <= threads0 + 2, "seed " + seed + ": threads " + threads0 + " -> " + threads1);
        assertTrue(fds1 <= fds0 + 8, "seed " + seed + ": open descriptors " + fds0 + " -> " + fds1);
        assertTrue(heap1 - heap0 < 256L << 20, "seed " + seed + ": heap after GC " + (heap0 >> 20) + " -> " + (heap1 >> 20) + " MB");
    }

    private void operate(Random random, Path inbox, Path outside, Map<String, byte[]> samples, Log log, int burst)
            throws Exception {
        String name = NAMES.get(random.nextInt(NAMES.size()));
        Path p = inbox.resolve(name);
        Files.createDirectories(p.getParent());
        byte[] sample = samples.values().stream().skip(random.nextInt(samples.size())).findFirst().orElseThrow();
        int op = random.nextInt(16);
        switch (op) {
            case 0 -> { // create or replace by a plain write
                clear(p);
                write(p, sample, log);
                log.op("write");
            }
            case 1 -> { // slow write: chunks with pauses around the settle time
                clear(p);
                int chunks = 2 + random.nextInt(3);
                try (OutputStream out = Files.newOutputStream(p)) {
                    for (int c = 0; c < chunks; c++) {
                        out.write(sample, c * sample.length / chunks, (c + 1) * sample.length / chunks - c * sample.length / chunks);
                        out.flush();
                        record(p, log);
                        if (c < chunks - 1) Thread.sleep((long) (SETTLE.toMillis() * (0.3 + random.nextDouble() * 1.4)));
                    }
                }
                record(p, log);
                log.op("slow-write");
            }
            case 2 -> { // append
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return;
                Files.write(p, Arrays.copyOf(sample, 1 + random.nextInt(4096)), StandardOpenOption.APPEND);
                record(p, log);
                log.op("append");
            }
            case 3 -> { // truncate
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return;
                try (var ch = Files.newByteChannel(p, StandardOpenOption.WRITE)) {
                    ch.truncate(random.nextInt((int) Math.max(1, ch.size())));
                }
                record(p, log);
                log.op("truncate");
            }
            case 4 -> { // overwrite in place with another file's bytes, same length
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return;
                byte[] same = Arrays.copyOf(sample, (int) Files.size(p));
                Files.write(p, same, StandardOpenOption.WRITE);
                record(p, log);
                log.op("overwrite-same-length");
            }
            case 5 -> { // delete
                clear(p);
                log.op("delete");
            }
            case 6 -> { // rename within the inbox (media <-> non-media names, sub-folders in and out)
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
                Path to = inbox.resolve(NAMES.get(random.nextInt(NAMES.size())));
                if (to.equals(p)) return;
                Files.createDirectories(to.getParent());
                clear(to);
                Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
                record(to, log);
                log.op("rename");
            }
            case 7 -> { // atomic publish from outside
                Path staged = outside.resolve("staged");
                Files.write(staged, sample);
                clear(p);
                Files.move(staged, p, StandardCopyOption.ATOMIC_MOVE);
                record(p, log);
                log.op("publish");
            }
            case 8 -> { // move out of the inbox
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
                Files.move(p, outside.resolve("moved-out"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.op("move-out");
            }
            case 9 -> { // replace by a link to a file outside
                Path target = Files.write(outside.resolve("link-target-" + random.nextInt(3)), sample);
                clear(p);
                Files.createSymbolicLink(p, target);
                log.op("symlink");
            }
            case 10 -> { // replace by a FIFO
                clear(p);
                Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
                assertEquals(0, mk.waitFor());
                log.op("fifo");
            }
            case 11 -> { // replace by a folder
                clear(p);
                Files.createDirectories(p);
                log.op("folder");
            }
            case 12 -> { // touch: modification time only
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return;
                Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - random.nextInt(100_000)));
                log.op("touch");
            }
            case 13 -> { // overwrite with another file's bytes, another length
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return;
                write(p, Arrays.copyOf(sample, sample.length / (1 + random.nextInt(3))), log);
                log.op("overwrite-other-length");
            }
            case 14 -> { // a small generated file: noise or a header cut short
                clear(p);
                byte[] small = new byte[random.nextInt(2048)];
                random.nextBytes(small);
                if (random.nextBoolean()) System.arraycopy(sample, 0, small, 0, Math.min(small.length, 64));
                write(p, small, log);
                log.op("small");
            }
            default -> { // a burst of empty or tiny files, once
                if (log.counts().containsKey("burst")) return;
                Path dir = Files.createDirectories(inbox.resolve("burst"));
                for (int i = 0; i < burst; i++) {
                    Path f = dir.resolve("tiny-" + i + (i % 2 == 0 ? ".wav" : ".jpg"));
                    write(f, Arrays.copyOf(sample, random.nextInt(4) == 0 ? 0 : random.nextInt(32)), log);
                }
                log.op("burst");
            }
        }
    }

    private static void write(Path p, byte[] bytes, Log log) throws IOException {
        Files.write(p, bytes);
        record(p, log);
    }

    /** Notes the version a path holds now: a result may only ever describe one of these. */
    private static void record(Path p, Log log) throws IOException {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
            log.versions().computeIfAbsent(p.toString(), k -> new HashSet<>()).add(Sha256.of(Files.readAllBytes(p)));
    }

    /** Removes whatever is at {@code p}: a file, a link, a FIFO or a folder. */
    private static void clear(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) dev.moodtag.function.FileTrees.deleteQuietly(p);
        else Files.deleteIfExists(p);
    }

    /**
     * Waits until every media file left in the inbox has a result naming its bytes (or the deadline), then checks the
     * promises over every result there.
     */
    private static void settleAndCheck(long seed, Path inbox, InboxWatcher watcher, Thread thread, Log log) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        List<String> problems;
        do {
            Thread.sleep(1000);
            problems = problems(inbox, log);
        } while (!problems.isEmpty() && System.currentTimeMillis() < deadline && thread.isAlive());
        assertTrue(problems.isEmpty(), "seed " + seed + ": " + problems.size() + " broken promise(s):\n" + String.join("\n", problems));
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> problems(Path inbox, Log log) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> all;
        try (Stream<Path> s = Files.walk(inbox)) {
            all = s.toList();
        }
        for (Path p : all) {
            String n = p.getFileName().toString();
            if (n.endsWith(SUFFIX)) {
                JsonNode r;
                try {
                    r = JSON.readTree(Files.readAllBytes(p));
                } catch (IOException e) {
                    problems.add(p + ": unreadable result " + e);
                    continue;
                }
                Path media = Path.of(p.toString().substring(0, p.toString().length() - SUFFIX.length()));
                if ("internal".equals(r.at("/error/kind").asText()))
                    problems.add(p + ": internal error " + r.at("/error/message").asText());
                String sha = r.at("/source/sha256").asText();
                if (!log.versions().getOrDefault(media.toString(), Set.of()).contains(sha)
                        && !media.getFileName().toString().matches("(after|first)-.*"))
                    problems.add(p + ": describes bytes " + sha + " that " + media + " never held");
                if (!Files.isRegularFile(media, LinkOption.NOFOLLOW_LINKS))
                    problems.add(p + ": result of a file that is gone (" + kind(media) + ")");
                continue;
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || n.equals("notes.unknownext")
                    || !dev.moodtag.storage.LocalObjectStorage.isInput(n, SUFFIX))
                continue;
            Path result = Path.of(p + SUFFIX);
            if (!Files.exists(result)) {
                problems.add(p + ": no result");
                continue;
            }
            JsonNode r = JSON.readTree(Files.readAllBytes(result));
            String sha = Sha256.of(Files.readAllBytes(p));
            if (!sha.equals(r.at("/source/sha256").asText()) || Files.size(p) != r.at("/source/size").asLong())
                problems.add(p + ": result names " + r.at("/source/size").asLong() + " bytes " + r.at("/source/sha256").asText()
                        + ", the file holds " + Files.size(p) + " bytes " + sha);
        }
        return problems;
    }

    private static String kind(Path p) {
        if (Files.isSymbolicLink(p)) return "a link";
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return "a folder";
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return "not a regular file";
        return "deleted";
    }

    private static long fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
